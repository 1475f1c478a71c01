package store

import "strings"

// anonymousParams rewrites q's placeholders $1, $2, … $n as SQLite's
// anonymous "?" when each appears once and in that order (every multi-row
// statement of a batch), and leaves q alone otherwise. The arguments bind
// by position either way. Why: the SQLite driver asks the name of every
// parameter as it binds it, and SQLite finds a named parameter's name by
// walking the statement's list of names, so binding n named parameters
// costs n²/2 steps: in a missed-call storm with follow-ups, 7 % of the
// writer's time went to binding the outbox rows' 14 × 64 parameters. An
// anonymous parameter has no name to look up.
func anonymousParams(q string) string {
	if !strings.Contains(q, "$") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q))
	next := 1
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"': // a string or quoted name, to its closing quote
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j + 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-': // a comment, to the end of the line
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '$':
			j := i + 1
			n := 0
			for j < len(q) && q[j] >= '0' && q[j] <= '9' && n <= 1<<20 {
				n = n*10 + int(q[j]-'0')
				j++
			}
			if j == i+1 || n != next {
				return q // not $next: named parameters as written
			}
			next++
			b.WriteByte('?')
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}
