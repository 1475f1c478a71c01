// Package locale loads translation catalogs (go-i18n JSON files, one per
// language, embedded by their package) and translates with them: the web
// pages and the bot each keep their own catalog and share this.
package locale

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Catalog is a package's messages in every language it speaks.
type Catalog struct{ b *i18n.Bundle }

// MustLoad loads dir/<lang>.json from fsys for each language, Hindi being
// the default; a file missing or unreadable is a programming error.
func MustLoad(fsys fs.FS, dir string, langs []string) Catalog {
	b := i18n.NewBundle(language.Hindi)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range langs {
		if _, err := b.LoadMessageFileFS(fsys, dir+"/"+l+".json"); err != nil {
			panic(err)
		}
	}
	return Catalog{b: b}
}

// T is message id in lang with its template fields filled from pairs
// (field, value, field, value …); ok is false when the id is unknown.
func (c Catalog) T(lang, id string, pairs ...string) (s string, ok bool) {
	data := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		data[pairs[i]] = pairs[i+1]
	}
	s, err := i18n.NewLocalizer(c.b, lang).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	return s, err == nil
}

// Text is T for a page or a message: an unknown id shows as its words
// ("join title"), never as nothing.
func (c Catalog) Text(lang, id string, pairs ...string) string {
	s, ok := c.T(lang, id, pairs...)
	if !ok {
		return strings.ReplaceAll(id, ".", " ")
	}
	return s
}

// Problems lists what keeps the catalogs in dir/<lang>.json from being
// complete: a message missing from a language or empty in one. A test of
// each package that has catalogs wants none.
func Problems(fsys fs.FS, dir string, langs []string) []string {
	var out []string
	has := map[string][]string{}
	for _, lang := range langs {
		raw, err := fs.ReadFile(fsys, dir+"/"+lang+".json")
		if err != nil {
			return append(out, err.Error())
		}
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			return append(out, lang+": "+err.Error())
		}
		for k, v := range m {
			if strings.TrimSpace(v) == "" {
				out = append(out, lang+": "+k+" is empty")
			}
			has[k] = append(has[k], lang)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(has)) {
		if len(has[k]) != len(langs) {
			out = append(out, fmt.Sprintf("%s is only in %v", k, has[k]))
		}
	}
	return out
}
