package store

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// StorableText is s as text every engine stores and a person can read:
// valid UTF-8 (PostgreSQL refuses anything else), no NUL or other control
// characters, at most max bytes. Notes and errors carry words from
// outside (a provider's error, a parser's complaint about a request), so
// what they hold must never make the row they annotate fail to store.
func StorableText(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") // drops a rune cut in two
	}
	return s
}

// Storable reports whether every engine takes s as text as it is: valid
// UTF-8 without a NUL (PostgreSQL refuses both). Input that is not is
// refused at the edge (a 400), before it reaches a query.
func Storable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// StorableValues reports whether every key and value of a query or a
// posted form (url.Values) is Storable.
func StorableValues(vs map[string][]string) bool {
	for k, v := range vs {
		if !Storable(k) {
			return false
		}
		for _, s := range v {
			if !Storable(s) {
				return false
			}
		}
	}
	return true
}

// StorableQuery is StorableValues(url.ParseQuery(raw)) without building
// the url.Values: each key=value pair is unescaped alone, and one that
// ParseQuery drops (it holds a semicolon, or does not unescape) is
// skipped. Checked on every request, it no longer parses each webhook's
// query twice (FuzzStorableQuery holds the two to the same answer).
func StorableQuery(raw string) bool {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if strings.Contains(pair, ";") {
			continue
		}
		if strings.Contains(pair, "%") {
			s, err := url.QueryUnescape(pair)
			if err != nil {
				continue
			}
			pair = s
		}
		if !Storable(pair) { // '+' becomes a space: storable either way
			return false
		}
	}
	return true
}

// errorBytes bounds an error or note stored with a row.
const errorBytes = 1000
