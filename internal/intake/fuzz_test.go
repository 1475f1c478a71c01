package intake

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkParsed holds for every parser: either a malformed-request error and
// no call, or a call the store can keep as it is.
func checkParsed(t *testing.T, provider string, c Call, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %q (%T) does not wrap ErrMalformed", err, err)
		}
		if c != (Call{}) {
			t.Fatalf("error %q came with call %+v", err, c)
		}
		// The reason is stored as the kept request's note: it must be text
		// both engines store (PostgreSQL refuses invalid UTF-8 and NUL).
		if !utf8.ValidString(err.Error()) || strings.ContainsRune(err.Error(), 0) {
			t.Fatalf("error %q is not storable text", err)
		}
		return
	}
	if c.Provider != provider {
		t.Fatalf("Provider %q; want %q", c.Provider, provider)
	}
	if err := checkCall(c, "id", "from", "to"); err != nil {
		t.Fatalf("accepted call %+v fails its own check: %v", c, err)
	}
	// The id is the inbox key (at most 200 bytes); every value is text
	// both engines store.
	if len(c.CallID) > 200 {
		t.Fatalf("call id of %d bytes does not fit the inbox key", len(c.CallID))
	}
	for _, s := range []string{c.CallID, c.From, c.To} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Fatalf("value %q is not storable text", s)
		}
	}
	for _, s := range []string{c.CallID, c.From, c.To} {
		if s != strings.TrimSpace(s) {
			t.Fatalf("value %q is not trimmed in %+v", s, c)
		}
	}
	if !c.At.IsZero() && (c.At.Unix() <= 0 || c.At.Year() > 9999) {
		t.Fatalf("At %v is outside what the store can format", c.At)
	}
}

func FuzzParseExotel(f *testing.F) {
	observed, _ := sampleQuery(f, "exotel_passthru.txt")
	newer, _ := sampleQuery(f, "exotel_passthru_iso.txt")
	f.Add(observed)
	f.Add(newer)
	f.Add("")
	f.Add("CallSid=s&CallFrom=+919876543210&StartTime=2026-02-12T10:00:00+05:30")
	f.Add("CallSid=%22s%22&From=%2209876543210%22&Created=Fri%2C+14+Nov+2025+10%3A15%3A30")
	f.Add("CallSid=s&StartTime=1970-01-01+05%3A30%3A00&CallSid=t&CallFrom=%00")
	f.Fuzz(func(t *testing.T, query string) {
		v, _ := url.ParseQuery(query) // Exotel's parameters as far as they parse, as the handler would see them
		c, err := ParseExotel(v)
		checkParsed(t, "exotel", c, err)
	})
}

func FuzzParseMyOperator(f *testing.F) {
	f.Add(string(readSample(f, "myoperator_aftercall.json")))
	f.Add(`{"_ai":"a1","_cr":"9711636496","_st":"1594969929"}`)
	f.Add(`{"_ai":1e5,"_cl":null,"_st":-1}`)
	f.Add(`{"_ai":"a1","_st":99999999999999999999}`)
	f.Add(`[]`)
	f.Add(``)
	f.Add("{\"_ai\":[\"\xff\xfe\"]}")
	f.Add("{\"_ai\":{\"\xff\":1},\"_cl\":\"\u0000\"}")
	f.Fuzz(func(t *testing.T, log string) {
		c, err := ParseMyOperator(url.Values{"myoperator": {log}})
		checkParsed(t, "myoperator", c, err)
		direct, directErr := ParseMyOperatorJSON([]byte(log))
		if strings.TrimSpace(log) != "" && (c != direct || (err == nil) != (directErr == nil)) {
			t.Fatalf("form field and raw JSON disagree: %+v, %v vs %+v, %v", c, err, direct, directErr)
		}
	})
}

func FuzzParseTwilioVoice(f *testing.F) {
	body, _ := sampleForm(f, "twilio_voice.txt")
	f.Add(body)
	f.Add("")
	f.Add("CallSid=CA1&Caller=anonymous&Called=%2B14155550123")
	f.Add("CallSid=%0A&From=%FF")
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := url.ParseQuery(body)
		c, err := ParseTwilioVoice(v)
		checkParsed(t, "twilio", c, err)
		if err == nil && !c.At.IsZero() {
			t.Fatalf("Twilio sends no call time, yet At = %v", c.At)
		}
	})
}

func FuzzParseGeneric(f *testing.F) {
	f.Add(readSample(f, "generic_call.json"))
	f.Add([]byte(`{"call_id":"x","at":"2026-02-12T10:00:00Z"}`))
	f.Add([]byte(`{"call_id":"x","at":"2026-02-12T10:00:00"}`))
	f.Add([]byte(`{"call_id":"\u0000"}`))
	f.Add([]byte(`null`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ParseGeneric(body)
		checkParsed(t, "generic", c, err)
	})
}

func FuzzVerifyTwilio(f *testing.F) {
	body, _ := sampleForm(f, "twilio_voice.txt")
	f.Add("test_auth_token_do_not_use", "https://bot.example.in/webhooks/twilio/voice", body, "rzmw0DpC5+03x0wOOy7heQ8iCbw=")
	f.Add("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", "CallSid=CA1&Digits=1234", "")
	f.Add("", "", "", "")
	f.Add("k", "http://[::1]:80", "a=1&a=0&b", "=")
	f.Add("k", "https://x@y:443/", "%zz", "not base64")
	f.Fuzz(func(t *testing.T, token, fullURL, body, signature string) {
		form, _ := url.ParseQuery(body)
		VerifyTwilio(token, fullURL, form, signature)
		if token == "" {
			if VerifyTwilio(token, fullURL, form, TwilioSignature(token, fullURL, form)) {
				t.Fatal("an empty auth token verified a signature")
			}
			return
		}
		if !VerifyTwilio(token, fullURL, form, TwilioSignature(token, fullURL, form)) {
			t.Fatal("a request's own signature does not verify")
		}
		if alt, ok := otherPortForm(fullURL); ok && !VerifyTwilio(token, fullURL, form, TwilioSignature(token, alt, form)) {
			t.Fatalf("the signature of %q does not verify for %q", alt, fullURL)
		}
	})
}
