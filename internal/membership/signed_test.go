package membership

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	testKey   = []byte("test key, 32 bytes long.........")
	otherKey  = []byte("another key, also 32 bytes......")
	testNow   = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	testUntil = testNow.Add(30 * 24 * time.Hour)
)

const testNumber = "ABCDEFGHJKQ"

func TestVerifyURL(t *testing.T) {
	u, err := url.Parse(VerifyURL("https://jodo.example/", testKey, testNumber))
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/verify/"+testNumber {
		t.Errorf("path %q", u.Path)
	}
	if !CheckVerify(testKey, testNumber, u.Query().Get("s")) {
		t.Errorf("own signature refused: %s", u)
	}
}

func TestCheckVerifyRefuses(t *testing.T) {
	sig := VerifySignature(testKey, testNumber)
	for _, tc := range []struct {
		name        string
		key         []byte
		number, sig string
	}{
		{"other number", testKey, "00000000000", sig},
		{"other key", otherKey, testNumber, sig},
		{"empty key", nil, testNumber, VerifySignature(nil, testNumber)},
		{"empty signature", testKey, testNumber, ""},
		{"cut signature", testKey, testNumber, sig[:len(sig)-1]},
		{"changed signature", testKey, testNumber, flip(sig)},
		{"card signature", testKey, testNumber, CardSignature(testKey, testNumber, testUntil)},
		{"lower case number", testKey, strings.ToLower(testNumber), sig},
	} {
		if CheckVerify(tc.key, tc.number, tc.sig) {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestCardURL(t *testing.T) {
	raw := CardURL("https://jodo.example", testKey, testNumber, testUntil)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/card/"+testNumber+".png" {
		t.Errorf("path %q", u.Path)
	}
	q := u.Query()
	if !CheckCardQuery(testKey, testNumber, q, testNow) {
		t.Errorf("own link refused: %s", raw)
	}
	if !CheckCardQuery(testKey, testNumber, q, testUntil.Add(-time.Second)) {
		t.Error("refused a second before expiry")
	}
	if CheckCardQuery(testKey, testNumber, q, testUntil) {
		t.Error("accepted at expiry")
	}
	q.Set("utm_source", "sms")
	if !CheckCardQuery(testKey, testNumber, q, testNow) {
		t.Error("refused with an extra parameter")
	}
}

func TestCheckCardQueryRefuses(t *testing.T) {
	e := testUntil.Unix()
	sig := CardSignature(testKey, testNumber, testUntil)
	later := CardSignature(testKey, testNumber, testUntil.Add(time.Hour))
	for _, tc := range []struct {
		name   string
		key    []byte
		number string
		query  string
	}{
		{"other number", testKey, "00000000000", "e=" + itoa(e) + "&s=" + sig},
		{"other key", otherKey, testNumber, "e=" + itoa(e) + "&s=" + sig},
		{"later expiry, old signature", testKey, testNumber, "e=" + itoa(e+3600) + "&s=" + sig},
		{"old expiry, later signature", testKey, testNumber, "e=" + itoa(e) + "&s=" + later},
		{"changed signature", testKey, testNumber, "e=" + itoa(e) + "&s=" + flip(sig)},
		{"verify signature", testKey, testNumber, "e=" + itoa(e) + "&s=" + VerifySignature(testKey, testNumber)},
		{"no signature", testKey, testNumber, "e=" + itoa(e)},
		{"no expiry", testKey, testNumber, "s=" + sig},
		{"two signatures", testKey, testNumber, "e=" + itoa(e) + "&s=" + sig + "&s=" + sig},
		{"two expiries", testKey, testNumber, "e=" + itoa(e) + "&e=" + itoa(e) + "&s=" + sig},
		{"leading zero", testKey, testNumber, "e=0" + itoa(e) + "&s=" + sig},
		{"plus sign", testKey, testNumber, "e=%2B" + itoa(e) + "&s=" + sig},
		{"not a number", testKey, testNumber, "e=soon&s=" + sig},
		{"empty key", nil, testNumber, "e=" + itoa(e) + "&s="},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		if CheckCardQuery(tc.key, tc.number, q, testNow) {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func FuzzCheckCardQuery(f *testing.F) {
	good, _ := url.Parse(CardURL("https://jodo.example", testKey, testNumber, testUntil))
	f.Add(testNumber, good.RawQuery, testNow.Unix())
	f.Add(testNumber, "e=1&s=", int64(0))
	f.Add("", "", int64(-1))
	f.Fuzz(func(t *testing.T, number, rawQuery string, now int64) {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		if !CheckCardQuery(testKey, number, q, time.Unix(now, 0)) {
			return
		}
		// Only the e and s that CardURL writes pass (other parameters,
		// such as a tracking tag a messenger adds, are ignored).
		want, _ := url.Parse(CardURL("https://jodo.example", testKey, number, time.Unix(mustInt(t, q.Get("e")), 0)))
		if number != testNumber || q.Get("e") != want.Query().Get("e") || q.Get("s") != want.Query().Get("s") {
			t.Fatalf("accepted number %q query %q", number, rawQuery)
		}
	})
}

func FuzzCheckVerify(f *testing.F) {
	f.Add(testNumber, VerifySignature(testKey, testNumber))
	f.Add("", "")
	f.Fuzz(func(t *testing.T, number, sig string) {
		if CheckVerify(testKey, number, sig) && (number != testNumber || sig != VerifySignature(testKey, testNumber)) {
			t.Fatalf("accepted %q %q", number, sig)
		}
	})
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// flip changes the signature's first character, keeping it base64url.
func flip(sig string) string {
	if sig[0] == 'A' {
		return "B" + sig[1:]
	}
	return "A" + sig[1:]
}

func mustInt(t *testing.T, s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
