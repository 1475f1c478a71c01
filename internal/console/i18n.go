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

// pageLang is a page's language (locale.FromRequest), Hindi unless chosen.
func pageLang(w http.ResponseWriter, r *http.Request, secure bool) string {
	return locale.FromRequest(w, r, "hi", secure)
}

// tr translates with the catalog; an unknown id shows as its words.
type tr struct{ Lang string }

// T translates id with pairs of template fields and values.
func (t tr) T(id string, pairs ...string) string {
	return catalog.Text(t.Lang, id, pairs...)
}

// switchURL is r's page in the other language, without a search's text
// or cursor (they are never to be in an address).
func switchURL(r *http.Request, lang string) string {
	q := url.Values{}
	for k, v := range r.URL.Query() {
		if k != "q" && k != "cursor" {
			q[k] = v
		}
	}
	q.Set("lang", locale.Other(lang))
	path := r.URL.Path
	if r.Method != http.MethodGet {
		path = postedFrom(path)
	}
	return path + "?" + q.Encode()
}

// postedFrom is the page a posted form of path was on: a person's page
// for a reveal, the Groups list for a group's invite.
func postedFrom(path string) string {
	if strings.HasPrefix(path, "/console/groups/") && strings.HasSuffix(path, "/invite") {
		return "/console/groups"
	}
	return strings.TrimSuffix(path, "/reveal")
}
