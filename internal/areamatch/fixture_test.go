package areamatch_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/areamatch"
	"github.com/jodo-org/jodo/internal/geo"
)

// jharkhand returns matchers over the shipped districts, ACs, and both.
func jharkhand(t testing.TB) map[string]*areamatch.Matcher {
	t.Helper()
	areas, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string][]geo.Area{}
	for _, a := range areas {
		if a.Kind == "district" || a.Kind == "ac" {
			byKind[a.Kind] = append(byKind[a.Kind], a)
			byKind["all"] = append(byKind["all"], a)
		}
	}
	return map[string]*areamatch.Matcher{
		"district": areamatch.New(byKind["district"]),
		"ac":       areamatch.New(byKind["ac"]),
		"all":      areamatch.New(byKind["all"]),
	}
}

func readFixture(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// kindOf is the kind a fixture code names: the bot matches districts and
// ACs separately, so each row is matched against its own kind only.
func kindOf(code string) string {
	if strings.HasPrefix(code, "JH-D-") {
		return "district"
	}
	return "ac"
}

// accuracy matches every row of a fixture and returns the share whose best
// candidate is right, and the share picked confidently and right.
func accuracy(t *testing.T, name string) (top1, sure float64) {
	t.Helper()
	ms := jharkhand(t)
	rows := readFixture(t, name)
	var right, confident int
	for _, r := range rows {
		input, want := r[0], r[1]
		choices, ok := ms[kindOf(want)].Decide(input, 5)
		switch {
		case len(choices) > 0 && choices[0].Area.Code == want:
			right++
			if ok {
				confident++
			} else {
				t.Logf("%s: %q: right but not sure: %s", name, input, describe(choices))
			}
		case ok:
			t.Errorf("%s: %q: confidently %s (%.2f), want %s", name, input, choices[0].Area.Code, choices[0].Score, want)
		default:
			t.Logf("%s: %q: want %s, got %s", name, input, want, describe(choices))
		}
	}
	n := float64(len(rows))
	t.Logf("%s: %d rows, top-1 correct %d (%.1f %%), confident and correct %d (%.1f %%)",
		name, len(rows), right, 100*float64(right)/n, confident, 100*float64(confident)/n)
	return float64(right) / n, float64(confident) / n
}

func describe(cands []areamatch.Candidate) string {
	if len(cands) == 0 {
		return "nothing"
	}
	var parts []string
	for _, c := range cands {
		parts = append(parts, fmt.Sprintf("%s %.2f", c.Area.Code, c.Score))
	}
	return strings.Join(parts, ", ")
}

// The tuning set: the thresholds and folds were set looking at this one.
func TestTunedVariants(t *testing.T) {
	if top1, _ := accuracy(t, "variants.csv"); top1 < 0.95 {
		t.Errorf("tuned top-1 accuracy %.1f %%, want at least 95 %%", 100*top1)
	}
}

// The held-out set was written with the tuning set, before the matcher,
// and not looked at while tuning (docs/area-matching.md).
func TestHeldOutVariants(t *testing.T) {
	if top1, _ := accuracy(t, "heldout.csv"); top1 < 0.95 {
		t.Errorf("held-out top-1 accuracy %.1f %%, want at least 95 %%", 100*top1)
	}
}

// Ambiguous and unknown inputs must never be picked confidently.
func TestNegativesNeverConfident(t *testing.T) {
	ms := jharkhand(t)
	for _, r := range readFixture(t, "negatives.csv") {
		input, kind := r[0], r[1]
		choices, ok := ms[kind].Decide(input, 5)
		if ok {
			t.Errorf("%s %q (%s): confidently %s %.2f", kind, input, r[2], choices[0].Area.Code, choices[0].Score)
		}
	}
}
