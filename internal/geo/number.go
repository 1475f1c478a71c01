package geo

import (
	"cmp"
	"strconv"
	"strings"
)

// CompareNumbers orders area numbers as electoral rolls do: by their
// digits, then an auxiliary booth's letter after its main booth ("2",
// "2A", "2B", "10"). Numbers without digits come first.
func CompareNumbers(a, b string) int {
	x, xs := splitNumber(a)
	y, ys := splitNumber(b)
	return cmp.Or(cmp.Compare(x, y), strings.Compare(xs, ys))
}

// splitNumber splits "12A" into 12 and "A".
func splitNumber(s string) (int, string) {
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		i = len(s)
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return -1, s
	}
	return n, s[i:]
}
