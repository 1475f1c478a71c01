package intake

import (
	"encoding/xml"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestParseTwilioVoiceSample(t *testing.T) {
	_, v := sampleForm(t, "twilio_voice.txt")
	got, err := ParseTwilioVoice(v)
	if err != nil {
		t.Fatal(err)
	}
	checkCallEqual(t, got, Call{
		Provider: "twilio",
		CallID:   "CA9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e",
		From:     "+919876543210",
		To:       "+14155550123",
	})
}

func TestParseTwilioVoiceVariants(t *testing.T) {
	got, err := ParseTwilioVoice(url.Values{"CallSid": {"CA1"}, "Caller": {"anonymous"}, "Called": {"+14155550123"}})
	if err != nil {
		t.Fatal(err)
	}
	checkCallEqual(t, got, Call{Provider: "twilio", CallID: "CA1", From: "anonymous", To: "+14155550123"})

	_, err = ParseTwilioVoice(url.Values{"From": {"+919876543210"}})
	checkMalformed(t, err, "twilio: CallSid is missing")
	_, err = ParseTwilioVoice(url.Values{"CallSid": {"CA1"}, "To": {"+1\n4155550123"}})
	checkMalformed(t, err, "twilio: To is not printable")
}

// twilioVector is one entry of testdata/twilio_signature.txt.
type twilioVector struct {
	url, token, expect string
	form               url.Values
}

// twilioVectors reads the vector file: "url = …", "token = …", "params= a=1, b=2",
// "expect= …"; a vector without params signs twilio_voice.txt's body.
func twilioVectors(t *testing.T) []twilioVector {
	t.Helper()
	var vs []twilioVector
	for line := range strings.Lines(string(readSample(t, "twilio_signature.txt"))) {
		key, value, ok := strings.Cut(line, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || strings.HasPrefix(key, "#") {
			continue
		}
		switch key {
		case "url":
			vs = append(vs, twilioVector{url: value})
		case "token":
			vs[len(vs)-1].token = value
		case "expect":
			vs[len(vs)-1].expect = value
		case "params":
			form := url.Values{}
			for pair := range strings.SplitSeq(value, ",") {
				k, v, _ := strings.Cut(strings.TrimSpace(pair), "=")
				form.Add(k, v)
			}
			vs[len(vs)-1].form = form
		}
	}
	for i := range vs {
		if vs[i].form == nil {
			_, vs[i].form = sampleForm(t, "twilio_voice.txt")
		}
	}
	if len(vs) != 2 {
		t.Fatalf("read %d vectors from twilio_signature.txt; want 2", len(vs))
	}
	return vs
}

func TestVerifyTwilioVectors(t *testing.T) {
	for _, v := range twilioVectors(t) {
		if got := TwilioSignature(v.token, v.url, v.form); got != v.expect {
			t.Errorf("TwilioSignature(%s) = %s; want %s", v.url, got, v.expect)
		}
		if !VerifyTwilio(v.token, v.url, v.form, v.expect) {
			t.Errorf("VerifyTwilio(%s) = false for the documented signature", v.url)
		}
	}
}

func TestVerifyTwilioSampleHeader(t *testing.T) {
	_, header, body := sampleRequest(t, "twilio_voice.txt")
	form, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	const fullURL = "https://bot.example.in/webhooks/twilio/voice"
	if !VerifyTwilio("test_auth_token_do_not_use", fullURL, form, header["X-Twilio-Signature"]) {
		t.Error("the sample request's own X-Twilio-Signature does not verify")
	}
}

func TestVerifyTwilioTampered(t *testing.T) {
	v := twilioVectors(t)[1]
	with := func(change func(f url.Values)) url.Values {
		f := url.Values{}
		for k, vals := range v.form {
			f[k] = append([]string(nil), vals...)
		}
		change(f)
		return f
	}
	for _, tc := range []struct {
		name, token, url, sig string
		form                  url.Values
	}{
		{"caller changed", v.token, v.url, v.expect, with(func(f url.Values) { f.Set("From", "+919999999999") })},
		{"parameter added", v.token, v.url, v.expect, with(func(f url.Values) { f.Set("Digits", "1") })},
		{"empty parameter dropped", v.token, v.url, v.expect, with(func(f url.Values) { f.Del("FromCity") })},
		{"value repeated", v.token, v.url, v.expect, with(func(f url.Values) { f.Add("CallSid", "CA0") })},
		{"other path", v.token, v.url + "/", v.expect, v.form},
		{"query added", v.token, v.url + "?x=1", v.expect, v.form},
		{"plain http", v.token, strings.Replace(v.url, "https:", "http:", 1), v.expect, v.form},
		{"other port", v.token, strings.Replace(v.url, ".in/", ".in:8443/", 1), v.expect, v.form},
		{"other token", v.token + "x", v.url, v.expect, v.form},
		{"empty token", "", v.url, TwilioSignature("", v.url, v.form), v.form},
		{"empty signature", v.token, v.url, "", v.form},
		{"signature case changed", v.token, v.url, strings.ToLower(v.expect), v.form},
		{"signature truncated", v.token, v.url, v.expect[:len(v.expect)-1], v.form},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if VerifyTwilio(tc.token, tc.url, tc.form, tc.sig) {
				t.Error("verified; want false")
			}
		})
	}
}

// Twilio's own signing is inconsistent about ":443"; the SDKs accept both.
func TestVerifyTwilioDefaultPort(t *testing.T) {
	v := twilioVectors(t)[1]
	withPort := strings.Replace(v.url, ".in/", ".in:443/", 1)
	if !VerifyTwilio(v.token, withPort, v.form, v.expect) {
		t.Error("URL with :443 does not accept the signature made without it")
	}
	sigWithPort := TwilioSignature(v.token, withPort, v.form)
	if !VerifyTwilio(v.token, v.url, v.form, sigWithPort) {
		t.Error("URL without a port does not accept the signature made with :443")
	}
	for _, tc := range []struct{ in, want string }{
		{"https://a.in/x?y=1", "https://a.in:443/x?y=1"},
		{"https://a.in:443", "https://a.in"},
		{"HTTP://a.in?q", "HTTP://a.in:80?q"},
		{"https://[::1]:443/x", "https://[::1]/x"},
		{"https://a.in:8443/x", ""},
		{"https://[::1]/x", ""},
		{"https://u:p@a.in/x", ""},
		{"ftp://a.in/x", ""},
		{"a.in/x", ""},
	} {
		got, ok := otherPortForm(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("otherPortForm(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestTwilioRejectBusyMatchesSample(t *testing.T) {
	type twiml struct {
		XMLName xml.Name
		Verbs   []struct {
			XMLName xml.Name
			Attrs   []xml.Attr `xml:",any,attr"`
		} `xml:",any"`
	}
	var got, want twiml
	if err := xml.Unmarshal([]byte(TwilioRejectBusy), &got); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(readSample(t, "twilio_voice_response_reject.xml"), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TwilioRejectBusy is %+v; the sample is %+v", got, want)
	}
	if len(want.Verbs) != 1 || want.Verbs[0].XMLName.Local != "Reject" {
		t.Errorf("sample holds %+v; want one Reject", want.Verbs)
	}
}
