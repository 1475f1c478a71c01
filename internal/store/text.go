package store

import (
	"strings"
	"unicode"
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

// errorBytes bounds an error or note stored with a row.
const errorBytes = 1000
