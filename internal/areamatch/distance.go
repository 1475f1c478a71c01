package areamatch

import "strings"

// Skeletons are compared with a weighted Damerau–Levenshtein distance:
// the slips that survive folding are cheap (a vowel for another, a vowel or
// an h left out, d for r as in ड/ड़, n for m), everything else costs 1. A
// direction symbol left out costs a little more, and one direction for
// another (East for West) most: that difference is never a slip.

const (
	cheap = 0.5
	// direction: a direction symbol added or left out; twice that for
	// one direction in place of another.
	direction = 1.5
	// minPrefix is the shortest part that counts as "the first word(s) of
	// a name" (saraikela for Saraikela Kharsawan) or "the name, then more"
	// (bokaro steel city).
	minPrefix = 4
	// A partial name scores at most partBase+partSpan; the more of the
	// name it covers, the closer to that.
	partBase = 0.80
	partSpan = 0.15
)

func isDirection(c byte) bool { return c >= 'A' && c <= 'Z' }

func substitution(a, b byte) float64 {
	switch {
	case a == b:
		return 0
	case isDirection(a) || isDirection(b):
		return 2 * direction
	case isVowelByte(a) && isVowelByte(b), a == 'd' && b == 'r', a == 'r' && b == 'd',
		a == 'n' && b == 'm', a == 'm' && b == 'n':
		return cheap
	}
	return 1
}

func indel(c byte) float64 {
	switch {
	case isVowelByte(c) || c == 'h' || c == 'y':
		return cheap
	case isDirection(c):
		return direction
	}
	return 1
}

// scratch holds the three rows the distance needs, reused across the
// names of one match.
type scratch struct{ rows [3][]float64 }

func (s *scratch) grow(n int) {
	for i := range s.rows {
		if cap(s.rows[i]) < n {
			s.rows[i] = make([]float64, n)
		}
		s.rows[i] = s.rows[i][:n]
	}
}

// similarity is 1 for equal skeletons, falling towards 0 as the weighted
// distance grows relative to the longer one. When one is a prefix of the
// other (allowing slips), the part that matches scores too, a little less;
// partial says the score came from such a part.
func similarity(in, name string, s *scratch) (score float64, partial bool) {
	if in == name {
		return 1, false
	}
	n, m := len(in), len(name)
	if n == 0 || m == 0 {
		return 0, false
	}
	s.grow(m + 1)
	before, prev, cur := s.rows[0], s.rows[1], s.rows[2]
	for j := 0; j <= m; j++ {
		prev[j] = 0
		if j > 0 {
			prev[j] = prev[j-1] + indel(name[j-1])
		}
	}
	letters := strings.IndexFunc(in, func(r rune) bool { return isDirection(byte(r)) })
	if letters < 0 {
		letters = n
	}
	parts := 0.0
	for i := 1; i <= n; i++ {
		cur[0] = prev[0] + indel(in[i-1])
		for j := 1; j <= m; j++ {
			d := min(prev[j]+indel(in[i-1]), cur[j-1]+indel(name[j-1]), prev[j-1]+substitution(in[i-1], name[j-1]))
			if i > 1 && j > 1 && in[i-1] == name[j-2] && in[i-2] == name[j-1] {
				d = min(d, before[j-2]+1)
			}
			cur[j] = d
		}
		// The whole name matched by the input's first i letters, when
		// more than a direction follows ("jamshedpur west" is not
		// Jamshedpur and more).
		if i >= minPrefix && i < letters && m >= minPrefix {
			parts = max(parts, part(cur[m], i, m, float64(m)/float64(n)))
		}
		before, prev, cur = prev, cur, before
	}
	// prev is now the last row: the whole input against each prefix of the name.
	if n >= minPrefix {
		for j := minPrefix; j < m; j++ {
			parts = max(parts, part(prev[j], n, j, float64(j)/float64(m)))
		}
	}
	whole := ratio(prev[m], n, m)
	return max(whole, parts), parts > whole
}

func ratio(dist float64, a, b int) float64 {
	return max(0, 1-dist/float64(max(a, b)))
}

func part(dist float64, a, b int, covered float64) float64 {
	return ratio(dist, a, b) * (partBase + partSpan*covered)
}
