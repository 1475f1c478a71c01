package drive

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// smallTree is one state S with 3 PCs and 7 ACs, a district beside the PCs
// (a second tree that carries no targets) and a state outside the drive.
// The areas are listed out of code order on purpose.
func smallTree() []TreeArea {
	pop := func(w float64) map[string]float64 { return map[string]float64{"population": w} }
	return []TreeArea{
		{Code: "S-AC-7", Kind: "ac", Parent: "S-PC-3", Weights: pop(0.5)},
		{Code: "S", Kind: "state"},
		{Code: "S-PC-2", Kind: "pc", Parent: "S", Weights: pop(1)},
		{Code: "S-PC-1", Kind: "pc", Parent: "S", Weights: pop(2)},
		{Code: "S-PC-3", Kind: "pc", Parent: "S", Weights: pop(4)},
		{Code: "S-AC-3", Kind: "ac", Parent: "S-PC-1", Weights: pop(1)},
		{Code: "S-AC-2", Kind: "ac", Parent: "S-PC-1", Weights: pop(1)},
		{Code: "S-AC-1", Kind: "ac", Parent: "S-PC-1", Weights: pop(1)},
		{Code: "S-AC-4", Kind: "ac", Parent: "S-PC-2", Weights: pop(0)},
		{Code: "S-AC-5", Kind: "ac", Parent: "S-PC-2"},
		{Code: "S-AC-6", Kind: "ac", Parent: "S-PC-3", Weights: pop(3)},
		{Code: "S-D-1", Kind: "District", Parent: "S"},
		{Code: "T", Kind: "state"},
		{Code: "T-PC-1", Kind: "pc", Parent: "T", Weights: pop(1)},
	}
}

func rules(t *testing.T, texts ...string) []Rule {
	t.Helper()
	out := make([]Rule, len(texts))
	for i, text := range texts {
		r, err := ParseRule(text)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = r
	}
	return out
}

func expand(t *testing.T, areas []TreeArea, texts ...string) []Target {
	t.Helper()
	got, err := Expand(rules(t, texts...), "S", areas)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// byArea renders the targets of one metric as "AREA=value" with a * for
// explicit ones, in result order, so a whole expansion reads in one line.
func byArea(targets []Target, metric string) string {
	var parts []string
	for _, tg := range targets {
		if tg.Metric == metric {
			star := ""
			if tg.Explicit {
				star = "*"
			}
			parts = append(parts, fmt.Sprintf("%s=%d%s", tg.Area, tg.Value, star))
		}
	}
	return strings.Join(parts, " ")
}

func TestExpandEqualShareLargestRemainder(t *testing.T) {
	got := expand(t, smallTree(), "state S: 100 members", "each ac: share members equally")
	// 100/7 = 14 rest 2: the two extra go to the lowest codes, S-AC-1 and S-AC-2.
	want := "S=100* S-PC-1=44 S-PC-2=28 S-PC-3=28 " +
		"S-AC-1=15* S-AC-2=15* S-AC-3=14* S-AC-4=14* S-AC-5=14* S-AC-6=14* S-AC-7=14*"
	if s := byArea(got, "members"); s != want {
		t.Errorf("members:\n got %s\nwant %s", s, want)
	}
	if len(got) != 11 {
		t.Errorf("got %d targets, want 11 (no district, no other state, no other metric): %+v", len(got), got)
	}
}

func TestExpandWeightedShare(t *testing.T) {
	got := expand(t, smallTree(), "state S: 1000 members", "each ac: share members by population")
	// Weights 1,1,1,0,missing,3,0.5 (sum 6.5). Quotas 153.85 ×3, 461.54, 76.92:
	// floors add to 996; the 4 left go to S-AC-7 (.92) then S-AC-1..3 (.85).
	want := "S=1000* S-PC-1=462 S-PC-2=0 S-PC-3=538 " +
		"S-AC-1=154* S-AC-2=154* S-AC-3=154* S-AC-4=0* S-AC-5=0* S-AC-6=461* S-AC-7=77*"
	if s := byArea(got, "members"); s != want {
		t.Errorf("members:\n got %s\nwant %s", s, want)
	}
}

func TestExpandTiesGoToLowerCodes(t *testing.T) {
	areas := []TreeArea{{Code: "R", Kind: "state"}}
	for _, code := range []string{"R-9", "R-10", "R-1", "R-2"} {
		areas = append(areas, TreeArea{Code: code, Kind: "pc", Parent: "R"})
	}
	got, err := Expand(rules(t, "state R: 6 members", "each pc: share members equally"), "R", areas)
	if err != nil {
		t.Fatal(err)
	}
	// Code order is byte order: R-1 < R-10 < R-2 < R-9.
	if s, want := byArea(got, "members"), "R=6* R-1=2* R-10=2* R-2=1* R-9=1*"; s != want {
		t.Errorf("members:\n got %s\nwant %s", s, want)
	}
}

func TestExpandShareOfAShare(t *testing.T) {
	got := expand(t, smallTree(),
		"each ac: share members equally", // listed first, still applied after the PCs' share
		"each pc: share members by population",
		"state S: 700 members")
	want := "S=700* S-PC-1=200* S-PC-2=100* S-PC-3=400* " +
		"S-AC-1=67* S-AC-2=67* S-AC-3=66* S-AC-4=50* S-AC-5=50* S-AC-6=200* S-AC-7=200*"
	if s := byArea(got, "members"); s != want {
		t.Errorf("members:\n got %s\nwant %s", s, want)
	}
}

func TestExpandPerRulesAndSums(t *testing.T) {
	got := expand(t, smallTree(),
		"active: 2 per group target",
		"groups: 10 per volunteer target",
		"each pc: 10 volunteers",
		"pc S-PC-2: 5 office_bearers")
	want := []Target{
		{"S", "volunteers", 30, false},
		{"S", "office_bearers", 5, false},
		{"S", "groups", 300, false},
		{"S", "active", 600, false},
		{"S-PC-1", "volunteers", 10, true},
		{"S-PC-1", "groups", 100, true},
		{"S-PC-1", "active", 200, true},
		{"S-PC-2", "volunteers", 10, true},
		{"S-PC-2", "office_bearers", 5, true},
		{"S-PC-2", "groups", 100, true},
		{"S-PC-2", "active", 200, true},
		{"S-PC-3", "volunteers", 10, true},
		{"S-PC-3", "groups", 100, true},
		{"S-PC-3", "active", 200, true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Expand =\n%+v\nwant\n%+v", got, want)
	}
}

func TestExpandAgreeingTreesSum(t *testing.T) {
	got := expand(t, smallTree(), "each pc: 10 volunteers", "district S-D-1: 30 volunteers")
	if s, want := byArea(got, "volunteers"), "S=30 S-D-1=30* S-PC-1=10* S-PC-2=10* S-PC-3=10*"; s != want {
		t.Errorf("volunteers:\n got %s\nwant %s", s, want)
	}
}

func TestExpandRootBelowTheTop(t *testing.T) {
	got, err := Expand(rules(t, "each ac: 3 volunteers"), "S-PC-2", smallTree())
	if err != nil {
		t.Fatal(err)
	}
	if s, want := byArea(got, "volunteers"), "S-PC-2=6 S-AC-4=3* S-AC-5=3*"; s != want {
		t.Errorf("volunteers:\n got %s\nwant %s", s, want)
	}
}

func TestExpandRefuses(t *testing.T) {
	cases := []struct {
		name  string
		rules []string
		areas func([]TreeArea) []TreeArea
		want  string
	}{
		{"unknown area", []string{"pc S-PC-9: 1 members"}, nil, "unknown area S-PC-9"},
		{"area outside the root", []string{"pc T-PC-1: 1 members"}, nil, "area T-PC-1 is not under the drive's root S"},
		{"kind mismatch", []string{"ac S-PC-1: 1 members"}, nil, "S-PC-1 is a pc, not a ac"},
		{"kind nobody has", []string{"each ward: 1 members"}, nil, "there is no ward under S"},
		{"conflicting rules", []string{"each pc: 10 volunteers", "pc S-PC-2: 12 volunteers"}, nil,
			`S-PC-2 volunteers: "each pc: 10 volunteers" gives 10 but "pc S-PC-2: 12 volunteers" gives 12`},
		{"per rule against a fixed target", []string{"each pc: 10 volunteers", "groups: 10 per volunteer target", "pc S-PC-1: 5 groups"}, nil,
			`S-PC-1 groups: "pc S-PC-1: 5 groups" gives 5 but "groups: 10 per volunteer target" gives 100`},
		{"share without a target above", []string{"each ac: share members equally"}, nil,
			"S-AC-1 has no area above it with a members target to share (7 such)"},
		{"share of the root", []string{"state S: 5 members", "each state: share members equally"}, nil,
			"S has no area above it"},
		{"all weights zero", []string{"state S: 5 members", "each ac: share members by turnout"}, nil,
			"every ac has a zero or missing turnout"},
		{"negative weight", []string{"state S: 5 members", "each ac: share members by population"},
			func(a []TreeArea) []TreeArea { a[0].Weights["population"] = -1; return a },
			"S-AC-7 has population -1; weights must be zero or more"},
		{"per rules in a circle", []string{"groups: 2 per volunteer target", "volunteers: 2 per group target"}, nil,
			"per rules depend on each other in a circle"},
		{"trees that disagree", []string{"each pc: 10 volunteers", "each district: 5 volunteers"}, nil,
			"S volunteers: its district areas add up to 5 but its pc areas to 30; give S a volunteers target of its own"},
		{"product too large", []string{"state S: 1000000000000 members", "volunteers: 1000 per member target",
			"groups: 1000 per volunteer target", "active: 1000 per group target"}, nil,
			"S groups target is too large to multiply by 1000"},
		{"sum too large", []string{"each ac: 1000000000000 members", "volunteers: 1000 per member target",
			"groups: 1000 per volunteer target", "active: 2 per group target"}, nil,
			"the sum of its children's targets is too large"},
		{"area given twice", nil, func(a []TreeArea) []TreeArea {
			return append(a, TreeArea{Code: "S-AC-1", Kind: "ac", Parent: "S-PC-2"})
		},
			"area S-AC-1 is given twice"},
		{"root not among the areas", nil, func(a []TreeArea) []TreeArea { return a[2:] }, "root area S is not among the areas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			areas := smallTree()
			if c.areas != nil {
				areas = c.areas(areas)
			}
			got, err := Expand(rules(t, c.rules...), "S", areas)
			expectExpandProblem(t, got, err, c.want)
		})
	}
}

func expectExpandProblem(t *testing.T, got []Target, err error, want string) {
	t.Helper()
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("Expand = %+v, %v; want an *Error", got, err)
	}
	for _, p := range perr.Problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Errorf("Expand problems %q, want one containing %q", perr.Problems, want)
}

func TestExpandRefusesHandBuiltRules(t *testing.T) {
	bad := []Rule{
		{},
		{Form: FixedRule, Kind: "pc", Area: "S PC 1", Metric: "members", Value: 1},
		{Form: EachRule, Kind: "pc", Metric: "money", Value: 1},
		{Form: EachRule, Kind: "PC", Metric: "members", Value: 1},
	}
	for _, r := range bad {
		got, err := Expand([]Rule{r}, "S", smallTree())
		expectExpandProblem(t, got, err, "invalid rule")
	}
}

// The reference drive: Jharkhand's 14 PCs and 81 ACs, with its 24 districts
// as a second tree under the state.
func jharkhand() []TreeArea {
	acsPerPC := []int{6, 6, 6, 5, 6, 6, 6, 6, 6, 6, 6, 5, 6, 5}
	areas := []TreeArea{{Code: "JH", Kind: "state"}}
	ac := 0
	for pc, n := range acsPerPC {
		pcCode := fmt.Sprintf("JH-PC-%02d", pc+1)
		areas = append(areas, TreeArea{Code: pcCode, Kind: "pc", Parent: "JH"})
		for range n {
			ac++
			areas = append(areas, TreeArea{Code: fmt.Sprintf("JH-AC-%03d", ac), Kind: "ac", Parent: pcCode})
		}
	}
	for d := 1; d <= 24; d++ {
		areas = append(areas, TreeArea{Code: fmt.Sprintf("JH-D-%02d", d), Kind: "district", Parent: "JH"})
	}
	return areas
}

func TestExpandReferenceDrive(t *testing.T) {
	f := exampleFile(t)
	rs, err := f.Rules()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Expand(rs, f.RootArea, jharkhand())
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]Target{}
	for _, tg := range got {
		index[tg.Area+" "+tg.Metric] = tg
	}
	want := []Target{
		{"JH", "members", 500000, true},
		{"JH", "volunteers", 14000, false},
		{"JH", "office_bearers", 1400, false},
		{"JH", "groups", 140000, false},
		{"JH-PC-08", "volunteers", 1000, true},
		{"JH-PC-08", "office_bearers", 100, true},
		{"JH-PC-08", "groups", 10000, true},
		{"JH-PC-01", "members", 6173 * 6, false},        // ACs 1-6, all among the first 68
		{"JH-PC-14", "members", 6172 * 5, false},        // ACs 77-81
		{"JH-PC-12", "members", 6173*3 + 6172*2, false}, // ACs 66-70: the extra one stops at 68
		{"JH-AC-068", "members", 6173, true},            // 500000 = 81 × 6172 + 68
		{"JH-AC-069", "members", 6172, true},
	}
	for _, w := range want {
		if g := index[w.Area+" "+w.Metric]; g != w {
			t.Errorf("%s %s = %+v, want %+v", w.Area, w.Metric, g, w)
		}
	}
	var acSum, pcSum int64
	for _, tg := range got {
		switch {
		case strings.HasPrefix(tg.Area, "JH-D-"):
			t.Errorf("district %s has a target: %+v", tg.Area, tg)
		case tg.Metric == "members" && strings.HasPrefix(tg.Area, "JH-AC-"):
			acSum += tg.Value
		case tg.Metric == "members" && strings.HasPrefix(tg.Area, "JH-PC-"):
			pcSum += tg.Value
		}
	}
	if acSum != 500000 || pcSum != 500000 {
		t.Errorf("AC members add up to %d and PC members to %d, want 500000 both", acSum, pcSum)
	}
	if n := len(got); n != 4+14*4+81 {
		t.Errorf("%d targets, want %d", n, 4+14*4+81)
	}
}
