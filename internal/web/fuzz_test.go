package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// A cleaned name is storable and shown as typed: valid UTF-8 without
// control characters (NUL included), no space at either end or twice in a
// row, no more characters than were typed, and cleaning it again changes
// nothing. What was typed survives apart from spacing: the letters stay.
func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"Sunita Devi", "  सुनीता \t देवी\n", "क्षितिज", "O'Brien-Smith", "a\x00b", "\xff\xfe", "\u0085x\u00a0y\u2028z",
		"\u200b\u200d\u202e", "Ｆｕｌｌ", strings.Repeat("ab ", 50), "\r\n\v\f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		name := cleanName(typed)
		checkCleanName(t, typed, name)
		if again := cleanName(name); again != name {
			t.Fatalf("cleanName(%q) = %q, cleaned again %q", typed, name, again)
		}
		if !utf8.ValidString(typed) {
			return
		}
		keep := func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsControl(r) || unicode.IsSpace(r) {
					return -1
				}
				return r
			}, s)
		}
		if keep(name) != keep(typed) {
			t.Fatalf("cleanName(%q) = %q: more than spacing changed", typed, name)
		}
	})
}

func checkCleanName(t *testing.T, typed, name string) {
	t.Helper()
	switch {
	case !utf8.ValidString(name):
		t.Fatalf("cleanName(%q) = %q, not UTF-8", typed, name)
	case strings.ContainsFunc(name, unicode.IsControl):
		t.Fatalf("cleanName(%q) = %q, with a control character", typed, name)
	case strings.TrimSpace(name) != name || strings.Contains(name, "  "):
		t.Fatalf("cleanName(%q) = %q, with spaces at an end or doubled", typed, name)
	case utf8.RuneCountInString(name) > utf8.RuneCountInString(typed):
		t.Fatalf("cleanName(%q) = %q, longer than typed", typed, name)
	}
}

// The join form reads a posted body, however it is encoded, into answers
// without surrounding space, consents only when the box posted "yes", and
// a name as cleanName leaves it.
func FuzzReadJoinForm(f *testing.F) {
	f.Add("consent_membership=yes&consent_whatsapp=yes&age18=yes&name=Sunita+Devi&district=JH-D-RANCHI&ac=JH-AC-063&booth_offered=1&lang=en")
	f.Add("consent_membership=yes&age18=no&name=%E0%A4%B8%E0%A5%81%E0%A4%A8%E0%A5%80%E0%A4%A4%E0%A4%BE")
	f.Add("locate=1&lat=23.3441&lon=85.3096&name=%00%FF")
	f.Add("consent_membership=YES&consent_sms=yes%20&name=a&name=b&ac=%20JH-AC-063%0A")
	f.Add("name=%ZZ&ac=;&&=")
	f.Add("lat=NaN&lon=-Inf&booth=%E2%80%AE")
	f.Fuzz(func(t *testing.T, body string) {
		r, err := http.NewRequest(http.MethodPost, "/j/token", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		form := readJoinForm(r)
		posted, _ := url.ParseQuery(body)
		first := func(k string) string {
			if v := posted[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		checkCleanName(t, first("name"), form.Name)
		if form.Name != cleanName(first("name")) {
			t.Fatalf("name %q read as %q", first("name"), form.Name)
		}
		for k, got := range map[string]string{"age18": form.Age, "district": form.District, "ac": form.AC, "booth": form.Booth,
			"lat": form.Lat, "lon": form.Lon} {
			if got != strings.TrimSpace(first(k)) {
				t.Fatalf("%s %q read as %q", k, first(k), got)
			}
		}
		for k, got := range map[string]bool{"consent_membership": form.ConsentMembership, "consent_whatsapp": form.ConsentWhatsApp,
			"consent_sms": form.ConsentSMS} {
			if got != (strings.TrimSpace(first(k)) == "yes") {
				t.Fatalf("%s %q read as %v", k, first(k), got)
			}
		}
	})
}
