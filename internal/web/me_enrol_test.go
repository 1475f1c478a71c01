package web

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// Whatever a volunteer's browser posts to /me/enrol, the form read from it
// is valid UTF-8 (fit for PostgreSQL's text and for the page that carries
// it to the code step), trimmed, and at most maxEnrolInput bytes a field.
func FuzzParseEnrolForm(f *testing.F) {
	f.Add("98123 00079", "Sunita Devi", "JH-AC-063")
	f.Add("+91 98123-00079", "  सुनीता \t देवी ", "jh-ac-064")
	f.Add("\xff\xfe", strings.Repeat("ब", 300), "\x00")
	f.Fuzz(func(t *testing.T, phone, name, ac string) {
		got := parseEnrolForm(url.Values{"phone": {phone}, "name": {name}, "ac": {ac}})
		for field, v := range map[string]string{"phone": got.Phone, "name": got.Name, "ac": got.AC} {
			if !utf8.ValidString(v) || len(v) > maxEnrolInput || v != strings.TrimSpace(v) {
				t.Errorf("%s read as %q", field, v)
			}
		}
	})
}
