package handles

import "strings"

// nameRule is a platform's rule for a name: its length in bytes (every
// allowed character is ASCII), the characters it may have, and whether the
// platform tells upper from lower case (if not, the normal form is lower).
type nameRule struct {
	min, max   int
	extra      string // allowed besides ASCII letters and digits
	caseful    bool
	firstAlpha bool   // must start with a letter
	noEdge     string // characters a name may not start or end with
	noDouble   string // characters that may not come twice in a row
}

// check strips one "@" (people type it) and holds the name to the rule.
func (n nameRule) check(s string) (string, string) {
	s = strings.TrimPrefix(s, "@")
	switch {
	case s == "":
		return "", Empty
	case len(s) > n.max:
		return "", TooLong
	case !n.allowed(s):
		return "", BadCharacters
	case len(s) < n.min:
		return "", TooShort
	}
	if !n.caseful {
		s = strings.ToLower(s)
	}
	return s, ""
}

func (n nameRule) allowed(s string) bool {
	for i := range len(s) {
		c := s[i]
		if !isAlnum(c) && strings.IndexByte(n.extra, c) < 0 {
			return false
		}
		if i > 0 && c == s[i-1] && strings.IndexByte(n.noDouble, c) >= 0 {
			return false
		}
	}
	edge := strings.IndexByte(n.noEdge, s[0]) >= 0 || strings.IndexByte(n.noEdge, s[len(s)-1]) >= 0
	return !edge && (!n.firstAlpha || isAlpha(s[0]))
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }
