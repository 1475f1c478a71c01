package sms

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Placeholder is how a DLT template marks a variable. Templates registered
// since variables are tagged by type use the type's name instead of var
// ({#url#}, {#numeric#}, {#alphanumeric#} …); any {#name#} of lowercase
// letters counts as a placeholder.
const Placeholder = "{#var#}"

// MaxVarLen is the longest value, in characters, one {#var#} may take. 30 is
// the limit the operators' DLT portals commonly enforce for an untyped
// variable; a longer value makes the SMS fail scrubbing silently.
const MaxVarLen = 30

// Clip is s's first MaxVarLen characters, without a space left at the cut:
// what a free text (a name, a group's title) may fill one variable with.
func Clip(s string) string {
	if r := []rune(s); len(r) > MaxVarLen {
		return strings.TrimSpace(string(r[:MaxVarLen]))
	}
	return s
}

// Template is a DLT-registered content template.
type Template struct {
	ID   string // DLT template id
	Name string // our name for it, e.g. "followup_en"
	Lang string // "en", "hi", …
	Text string // the registered text, byte for byte, with {#var#} placeholders
}

// Vars is the number of placeholders in the template.
func (t Template) Vars() int {
	n := 0
	for rest := t.Text; ; n++ {
		_, end := nextPlaceholder(rest)
		if end < 0 {
			return n
		}
		rest = rest[end:]
	}
}

// nextPlaceholder is where the first {#name#} in s starts and ends, or -1, -1.
func nextPlaceholder(s string) (start, end int) {
	for off := 0; ; {
		i := strings.Index(s[off:], "{#")
		if i < 0 {
			return -1, -1
		}
		start = off + i
		j := start + 2
		for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
			j++
		}
		if j > start+2 && strings.HasPrefix(s[j:], "#}") {
			return start, j + 2
		}
		off = start + 1
	}
}

// Render fills the placeholders in order. An argument that would make the SMS
// fail DLT matching is an error, not something to trim: more than MaxVarLen
// characters, a control character (a newline), invalid UTF-8, or the wrong
// number of arguments.
func (t Template) Render(args ...string) (string, error) {
	if n := t.Vars(); n != len(args) {
		return "", fmt.Errorf("sms: template %s has %d variables, got %d values", t.name(), n, len(args))
	}
	var b strings.Builder
	rest := t.Text
	for i, a := range args {
		if err := checkVar(a); err != nil {
			return "", fmt.Errorf("sms: template %s, variable %d: %w", t.name(), i+1, err)
		}
		start, end := nextPlaceholder(rest)
		b.WriteString(rest[:start])
		b.WriteString(a)
		rest = rest[end:]
	}
	b.WriteString(rest)
	return b.String(), nil
}

func (t Template) name() string {
	if t.Name != "" {
		return t.Name
	}
	return t.ID
}

func checkVar(a string) error {
	if n := utf8.RuneCountInString(a); n > MaxVarLen {
		return fmt.Errorf("value is %d characters, DLT allows %d", n, MaxVarLen)
	}
	if !printable(a) {
		return fmt.Errorf("value is not printable text (a newline? invalid UTF-8?)")
	}
	return nil
}
