package app_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// homeWorld serves jh-sms (open now, from smsDrive) and an open drive with
// a Hindi name beside a drive that has ended and one that has not started,
// with sign-in on.
func homeWorld(t *testing.T) string {
	t.Helper()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	ist := time.FixedZone("IST", 19800)
	day := func(d int) string { return time.Now().In(ist).AddDate(0, 0, d).Format(time.DateOnly) }
	for i, w := range []struct{ slug, name, local, from, to string }{
		{"ended", "Ended drive", "", day(-40), day(-1)},
		{"later", "Later drive", "", day(1), day(30)},
		{"open-hi", "Open drive", "खुला अभियान", day(-1), day(10)},
	} {
		file := filepath.Join(t.TempDir(), "drive.json")
		local := ""
		if w.local != "" {
			local = fmt.Sprintf(`"name_local":%q,`, w.local)
		}
		os.WriteFile(file, fmt.Appendf(nil, `{"version":1,"slug":%q,"name":%q,%s"starts_on":%q,"ends_on":%q,"timezone":"Asia/Kolkata",
			"root_area":"JH","channels":[{"kind":"missed_call","number":"1800 000 000%d"}],"targets":[]}`, w.slug, w.name, local, w.from, w.to, i+1), 0o600)
		mustJodo(t, dbURL, "drive", "apply", file)
	}
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	return smsServe(t, dbURL, gw)
}

// The front page lists the drives open today, each with its missed-call
// number, WhatsApp link and web join page, and links to sign-in, in Hindi
// and English; any other unknown path is still a 404.
func TestFrontPageShowsTheDrivesOpenNow(t *testing.T) {
	t.Parallel()
	base := homeWorld(t)
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{`<html lang="en">`, "Join a drive", `<meta name="description" content="Join a membership drive`,
			"<h2>Sadasyata — Jharkhand</h2>", `href="tel:18000000000" class="missed-call">1800 000 0000</a>`, `href="https://wa.me/917000000000?text=Hi"`,
			`href="/d/jh-sms/join?lang=en"`, `href="/signin?lang=en"`, `href="/?lang=hi"`, "<h2>Open drive</h2>"}},
		{"hi", []string{`<html lang="hi">`, "किसी अभियान से जुड़ें", `<meta name="description" content="मिस्ड कॉल`,
			"<h2>Sadasyata — Jharkhand</h2>", `href="tel:18000000000"`, `href="https://wa.me/917000000000?text=` + url.PathEscape("नमस्ते") + `"`,
			`href="/d/jh-sms/join?lang=hi"`, `href="/signin?lang=hi"`, `href="/?lang=en"`, "<h2>खुला अभियान</h2>"}},
	} {
		code, body := get(t, base+"/?lang="+tc.lang)
		if code != 200 {
			t.Fatalf("GET /?lang=%s: %d\n%s", tc.lang, code, body)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET /?lang=%s: no %s in\n%s", tc.lang, w, body)
			}
		}
		for _, not := range []string{"Ended drive", "Later drive"} {
			if strings.Contains(body, not) {
				t.Errorf("GET /?lang=%s shows %q, which is not open today", tc.lang, not)
			}
		}
	}
	if code, _ := get(t, base+"/no/such/page"); code != 404 {
		t.Errorf("an unknown path: %d, want 404", code)
	}
}
