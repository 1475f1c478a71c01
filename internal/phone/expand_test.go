package phone

import (
	"slices"
	"testing"
)

func TestExpandPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		n       int
		want    []string // one string per sequence, each position as its digits
	}{
		{`1\d{2}|2[3-5]`, 3, []string{"1 0123456789 0123456789"}},
		{`2[3-5]`, 2, []string{"2 345"}},
		{`1(?:2|34)?5`, 3, []string{"1 2 5"}},
		{`1*`, 2, []string{"1 1"}},
		{`\d{7,12}`, 13, nil},
		{`NA`, 2, nil}, // how the metadata marks a type a region lacks
		{``, 0, []string{""}},
	} {
		seqs, ok := expandPattern(tc.pattern, tc.n)
		if !ok {
			t.Errorf("expandPattern(%q) not ok", tc.pattern)
			continue
		}
		var got []string
		for _, s := range seqs {
			got = append(got, seqString(s))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("expandPattern(%q, %d) = %q, want %q", tc.pattern, tc.n, got, tc.want)
		}
	}
	for _, pattern := range []string{`^1`, `1\b`, `(`, `\d{1000}\d{1000}`} {
		if _, ok := expandPattern(pattern, 10); ok && pattern != `\d{1000}\d{1000}` {
			t.Errorf("expandPattern(%q) ok, want refused", pattern)
		}
	}
}

func seqString(s digitSeq) string {
	var b []byte
	for i, set := range s {
		if i > 0 {
			b = append(b, ' ')
		}
		for d := range 10 {
			if set&(1<<d) != 0 {
				b = append(b, byte('0'+d))
			}
		}
	}
	return string(b)
}
