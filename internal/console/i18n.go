package console

import (
	"embed"
	"net/http"
	"net/url"
	"strings"

	"github.com/jodo-org/jodo/internal/locale"
)

//go:embed locales/*.json
var localeFiles embed.FS

// Languages are the console's languages, each complete (a test checks).
var Languages = []string{"hi", "en"}

var catalog = locale.MustLoad(localeFiles, "locales", Languages)

// langCookie is the language a person chose, shared with the member pages.
const langCookie = "jodo_lang"

func validLang(l string) bool { return l == "hi" || l == "en" }

// pageLang is a page's language: ?lang= (remembered in the cookie), a
// posted lang field, the cookie, else Hindi.
func pageLang(w http.ResponseWriter, r *http.Request, secure bool) string {
	if l := r.URL.Query().Get("lang"); validLang(l) {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
		return l
	}
	if l := r.PostFormValue("lang"); validLang(l) {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value
	}
	return "hi"
}

// tr translates with the catalog; an unknown id shows as its words.
type tr struct{ Lang string }

// T translates id with pairs of template fields and values.
func (t tr) T(id string, pairs ...string) string {
	s, ok := catalog.T(t.Lang, id, pairs...)
	if !ok {
		return strings.ReplaceAll(id, ".", " ")
	}
	return s
}

// switchURL is r's page in the other language.
func switchURL(r *http.Request, lang string) string {
	q := url.Values{}
	for k, v := range r.URL.Query() {
		q[k] = v
	}
	other := "en"
	if lang == "en" {
		other = "hi"
	}
	q.Set("lang", other)
	path := r.URL.Path
	if r.Method != http.MethodGet {
		path = strings.TrimSuffix(path, "/reveal")
	}
	return path + "?" + q.Encode()
}
