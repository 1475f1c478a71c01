package web

import (
	"embed"
	"net/http"
	"net/url"
	"strings"

	"github.com/jodo-org/jodo/internal/locale"
)

//go:embed locales/*.json
var localeFiles embed.FS

// Languages are the page languages, each complete (a test checks that every
// catalog has every message). Adding one is adding locales/<tag>.json.
var Languages = []string{"hi", "en"}

var catalog = locale.MustLoad(localeFiles, "locales", Languages)

func validLang(l string) bool { return locale.Valid(l) }

// pageLang is the language of a page (locale.FromRequest), else fallback
// (the drive's language).
func pageLang(w http.ResponseWriter, r *http.Request, fallback string, secure bool) string {
	return locale.FromRequest(w, r, fallback, secure)
}

// page is what every page's template gets: its language and translations.
type page struct {
	Lang      string
	Title     string
	SwitchURL string // this page in the other language
	SwitchTo  string // the other language's name
	// Description is a public page's meta description. A page without
	// one is personal or transient and is kept out of search engines.
	Description string
}

func newPage(r *http.Request, lang string) page {
	p := page{Lang: lang}
	q := url.Values{}
	for k, v := range r.URL.Query() {
		q[k] = v
	}
	q.Set("lang", locale.Other(lang))
	p.SwitchURL = getPath(r) + "?" + q.Encode()
	p.SwitchTo = p.T("lang.other")
	return p
}

// getPath is where the page answering r is had by GET, for its language
// link: a posted code form's page is its number form's (/signin/code:
// /signin), a /me form's is /me, a sign-out's is sign-in.
func getPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.Path
	}
	p := strings.TrimSuffix(r.URL.Path, "/code")
	switch {
	case strings.HasPrefix(p, "/me/"):
		return "/me"
	case strings.HasPrefix(p, "/signout"):
		return "/signin"
	}
	return p
}

// indexed says whether search engines may list the page (render).
func (p page) indexed() bool { return p.Description != "" }

// T translates id with pairs of template fields and values:
// {{.T "join.title" "Drive" .Drive}}.
func (p page) T(id string, pairs ...string) string {
	return catalog.Text(p.Lang, id, pairs...)
}
