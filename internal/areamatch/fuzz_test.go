package areamatch_test

import (
	"strings"
	"testing"
)

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"ranchee", "राँची", "jamshedpur purv", "ac 62", "६२", "😀", "", strings.Repeat("ranchi ", 40), "क़\u093C\u093C्", "ं", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		f.Add(s, 5)
	}
	m := jharkhand(f)["all"]
	f.Fuzz(func(t *testing.T, text string, limit int) {
		limit %= 200
		got := m.Match(text, limit)
		if len(got) > max(limit, 0) {
			t.Fatalf("limit %d, got %d", limit, len(got))
		}
		seen := map[string]bool{}
		for i, c := range got {
			if c.Score < 0 || c.Score > 1 {
				t.Fatalf("score %v out of [0,1]", c.Score)
			}
			if i > 0 && c.Score > got[i-1].Score {
				t.Fatalf("not sorted: %s", describe(got))
			}
			if seen[c.Area.Code] {
				t.Fatalf("%s twice", c.Area.Code)
			}
			seen[c.Area.Code] = true
		}
		if choices, ok := m.Decide(text, 3); ok && len(choices) != 1 {
			t.Fatalf("a confident decision has %d choices", len(choices))
		}
	})
}

// A match over all 105 districts and ACs must take well under a millisecond.
func BenchmarkMatch(b *testing.B) {
	m := jharkhand(b)["all"]
	inputs := []string{"ranchee", "राँची", "jamshedpur purv", "पूर्वी सिंहभूम", "seraikela kharsawan", "asdf"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Match(inputs[i%len(inputs)], 5)
	}
}
