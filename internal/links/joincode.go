package links

import "strings"

// joinKeyword starts the DLT templates' wa.me text ("text=JOIN%20{#var#}",
// docs/sms.md), so it is what the bot sees most.
const joinKeyword = "JOIN"

// ParseJoinCode finds a join code in a message, whatever the case and
// whatever surrounds it: "JOIN ABCD234567", "join: abcd234567.",
// "जुड़ें ABCD234567", "JOINABCD234567". A code right after JOIN wins, then
// one holding a digit (an English word can look like an all-letter
// code), then the first; the store decides whether it is real. The code
// comes back upper case, as CodeHash expects.
func ParseJoinCode(text string) (code string, ok bool) {
	var afterKeyword, withDigit, first string
	prev := ""
	for _, word := range asciiWords(text) {
		w := strings.ToUpper(word)
		c, keyed := "", false
		switch {
		case isCode(w):
			c, keyed = w, prev == joinKeyword
		case strings.HasPrefix(w, joinKeyword) && isCode(w[len(joinKeyword):]):
			c, keyed = w[len(joinKeyword):], true
		}
		prev = w
		if c == "" {
			continue
		}
		if keyed && afterKeyword == "" {
			afterKeyword = c
		}
		if withDigit == "" && strings.ContainsAny(c, "23456789") {
			withDigit = c
		}
		if first == "" {
			first = c
		}
	}
	for _, c := range []string{afterKeyword, withDigit, first} {
		if c != "" {
			return c, true
		}
	}
	return "", false
}

// asciiWords splits text into runs of ASCII letters and digits; anything
// else (spaces, punctuation, Devanagari, emoji) separates them.
func asciiWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
}

// isCode reports whether s (upper case) has a join code's length and alphabet.
func isCode(s string) bool {
	if len(s) != CodeLen {
		return false
	}
	for i := range len(s) {
		if strings.IndexByte(codeAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}
