package geo

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// tree is a small stored geography: a state with two PCs, an AC under each,
// and a district.
const tree = header +
	"JH,state,,Jharkhand,,,,\n" +
	"JH-D-RANCHI,district,,Ranchi,,,JH,\n" +
	"JH-PC-08,pc,8,Ranchi,,GEN,JH,\n" +
	"JH-PC-12,pc,12,Lohardaga,,ST,JH,\n" +
	"JH-AC-063,ac,63,Ranchi,,GEN,JH-PC-08,JH-D-RANCHI\n" +
	"JH-AC-064,ac,64,Hatia,,GEN,JH-PC-08,JH-D-RANCHI\n"

func booths(ac string, numbers ...int) string {
	var b strings.Builder
	b.WriteString(header)
	for _, n := range numbers {
		fmt.Fprintf(&b, "%s-B-%04d,booth,%d,Booth %d,,,%s,\n", ac, n, n, n, ac)
	}
	return b.String()
}

func TestPlanImportComputesPaths(t *testing.T) {
	stored := importAll(t, nil, mustParse(t, tree))
	for code, want := range map[string]string{
		"JH":          "/JH/",
		"JH-D-RANCHI": "/JH/JH-D-RANCHI/",
		"JH-AC-063":   "/JH/JH-PC-08/JH-AC-063/",
	} {
		if got := pathOf(stored, code); got != want {
			t.Errorf("path of %s = %q, want %q", code, got, want)
		}
	}
}

func TestPlanImportOrdersParentsFirst(t *testing.T) {
	file := mustParse(t, header+"JH-AC-063,ac,63,Ranchi,,GEN,JH-PC-08,\nJH-PC-08,pc,8,Ranchi,,GEN,JH,\nJH,state,,Jharkhand,,,,\n")
	p, err := PlanImport(nil, file)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, u := range p.Upserts {
		codes = append(codes, u.Code)
	}
	if want := []string{"JH", "JH-PC-08", "JH-AC-063"}; !slices.Equal(codes, want) {
		t.Errorf("upsert order = %v, want %v", codes, want)
	}
	if p.Upserts[2].Line != 2 {
		t.Errorf("JH-AC-063 line = %d, want 2", p.Upserts[2].Line)
	}
}

func TestPlanImportIdenticalFileChangesNothing(t *testing.T) {
	file := mustParse(t, tree)
	stored := importAll(t, nil, file)
	stored = importAll(t, stored, mustParse(t, booths("JH-AC-063", 1, 2)))
	for _, text := range []string{tree, booths("JH-AC-063", 1, 2)} {
		p, err := PlanImport(stored, mustParse(t, text))
		if err != nil {
			t.Fatal(err)
		}
		if !p.Empty() {
			t.Errorf("re-import planned %+v, want nothing", p)
		}
	}
}

func TestPlanImportUpdatesChangedContent(t *testing.T) {
	stored := importAll(t, nil, mustParse(t, tree))
	changed := strings.Replace(tree, "64,Hatia,", "64,Hatia Town,", 1)
	p, err := PlanImport(stored, mustParse(t, changed))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Upserts) != 1 || p.Upserts[0].Code != "JH-AC-064" || p.Upserts[0].NameEN != "Hatia Town" {
		t.Errorf("upserts = %+v, want only the renamed JH-AC-064", p.Upserts)
	}
}

func TestPlanImportRetiresOnlyWhatTheFileSpeaksFor(t *testing.T) {
	stored := importAll(t, nil, mustParse(t, tree))
	stored = importAll(t, stored, mustParse(t, booths("JH-AC-063", 1, 2, 3, 4)))
	stored = importAll(t, stored, mustParse(t, booths("JH-AC-064", 1, 2)))

	// Booths alone (without their AC's row) speak for nothing: a partial
	// list retires no booth.
	p, err := PlanImport(stored, mustParse(t, booths("JH-AC-063", 1, 2, 3)))
	if err != nil || !p.Empty() {
		t.Errorf("booths without their AC: plan %+v, err %v; want nothing", p, err)
	}
	ac63 := "JH-AC-063,ac,63,Ranchi,,GEN,JH-PC-08,JH-D-RANCHI\n"
	p, err = PlanImport(stored, mustParse(t, booths("JH-AC-063", 1, 2, 3)+ac63))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"JH-AC-063-B-0004"}; !slices.Equal(p.Retire, want) || len(p.Upserts) != 0 {
		t.Errorf("plan = %+v, want only %v retired (JH-AC-064's booths untouched)", p, want)
	}
	// Moving one AC under another PC, alone, retires none of that PC's ACs.
	p, err = PlanImport(stored, mustParse(t, header+"JH-AC-064,ac,64,Hatia,,GEN,JH-PC-12,JH-D-RANCHI\n"))
	if err != nil || len(p.Retire) != 0 {
		t.Errorf("one-line move: plan %+v, err %v; want nothing retired", p, err)
	}

	// Re-importing the ACs lists no booth, so it retires none; nor does it
	// retire other kinds under the state, or another root.
	stored = importAll(t, stored, mustParse(t, header+"JH-M-01,mandal,1,Mandal One,,,JH,\nPARTY,unit,,Party,,,,\n"))
	p, err = PlanImport(stored, mustParse(t, tree))
	if err != nil || !p.Empty() {
		t.Errorf("re-importing the tree over booths, a mandal and another root: plan %+v, err %v; want nothing", p, err)
	}
}

func TestPlanImportRetiresDescendantsAndBringsBack(t *testing.T) {
	stored := importAll(t, nil, mustParse(t, tree))
	stored = importAll(t, stored, mustParse(t, booths("JH-AC-064", 1, 2)))
	withoutHatia := strings.Replace(tree, "JH-AC-064,ac,64,Hatia,,GEN,JH-PC-08,JH-D-RANCHI\n", "", 1)

	p, err := PlanImport(stored, mustParse(t, withoutHatia))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"JH-AC-064", "JH-AC-064-B-0001", "JH-AC-064-B-0002"}; !slices.Equal(p.Retire, want) {
		t.Errorf("retire = %v, want %v", p.Retire, want)
	}
	stored = apply(stored, p)

	p, err = PlanImport(stored, mustParse(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"JH-AC-064"}; !slices.Equal(p.Unretire, want) || len(p.Upserts) != 0 || len(p.Retire) != 0 {
		t.Errorf("plan = %+v, want only JH-AC-064 unretired", p)
	}
}

func TestPlanImportReparentMovesDescendants(t *testing.T) {
	stored := importAll(t, nil, mustParse(t, tree))
	stored = importAll(t, stored, mustParse(t, booths("JH-AC-064", 1, 2)))
	moved := strings.Replace(tree, "JH-AC-064,ac,64,Hatia,,GEN,JH-PC-08", "JH-AC-064,ac,64,Hatia,,GEN,JH-PC-12", 1)

	p, err := PlanImport(stored, mustParse(t, moved))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, u := range p.Upserts {
		got[u.Code] = u.Path
	}
	want := map[string]string{
		"JH-AC-064":        "/JH/JH-PC-12/JH-AC-064/",
		"JH-AC-064-B-0001": "/JH/JH-PC-12/JH-AC-064/JH-AC-064-B-0001/",
		"JH-AC-064-B-0002": "/JH/JH-PC-12/JH-AC-064/JH-AC-064-B-0002/",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(p.Retire) != 0 {
		t.Errorf("upserts = %v, retire = %v; want %v and nothing retired", got, p.Retire, want)
	}
	stored = apply(stored, p)
	if p, err := PlanImport(stored, mustParse(t, moved)); err != nil || !p.Empty() {
		t.Errorf("after the move, re-import planned %+v (err %v), want nothing", p, err)
	}
}

func TestPlanImportProblems(t *testing.T) {
	stored := importAll(t, nil, mustParse(t, tree))
	stored = importAll(t, stored, mustParse(t, booths("JH-AC-064", 1)))
	retired := importAll(t, stored, mustParse(t, strings.Replace(tree, "JH-AC-064,ac,64,Hatia,,GEN,JH-PC-08,JH-D-RANCHI\n", "", 1)))
	tests := []struct {
		name   string
		stored []Area
		text   string
		line   int
		want   string
	}{
		{"unknown parent", stored, header + "JH-AC-063-B-0001,booth,1,A,,,JH-AC-063,\nJH-AC-099-B-0001,booth,1,B,,,JH-AC-099,\n", 3, "parent JH-AC-099 is neither in the file nor stored"},
		{"retired parent", retired, header + "JH-AC-064-B-0009,booth,9,A,,,JH-AC-064,\n", 2, "parent JH-AC-064 is retired"},
		{"cycle", nil, header + "A,x,,A,,,B,\nB,x,,B,,,A,\n", 2, "cycle: A → B → A"},
		{"cycle through the store", stored, header + "JH-PC-08,pc,8,Ranchi,,GEN,JH-AC-063,\n", 2, "cycle"},
		{"district unknown", stored, header + "JH-AC-065,ac,65,Kanke,,SC,JH-PC-08,JH-D-NOWHERE\n", 2, "district JH-D-NOWHERE is neither"},
		{"district of wrong kind", stored, header + "JH-AC-065,ac,65,Kanke,,SC,JH-PC-08,JH-PC-12\n", 2, `district JH-PC-12 is a "pc"`},
		{"parent retired by the same file", stored, header + "JH-PC-08,pc,8,Ranchi,,GEN,JH,\nJH-AC-063,ac,63,Ranchi,,GEN,JH-PC-08,JH-D-RANCHI\nJH-AC-064-B-0002,booth,2,A,,,JH-AC-064,\n", 4, "parent JH-AC-064 would be retired"},
		{"district still used", stored, header + "JH,state,,Jharkhand,,,,\nJH-PC-08,pc,8,Ranchi,,GEN,JH,\nJH-D-OTHER,district,,Other,,,JH,\n", 0, "district JH-D-RANCHI would be retired"},
		{"duplicate code", nil, header + "A,x,,A,,,,\nA,x,,A,,,,\n", 3, "already used on line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanImport(tt.stored, mustParseLoose(t, tt.text))
			wantProblem(t, err, tt.line, tt.want)
		})
	}
}

// mustParseLoose reads rows ParseCSV would refuse as a file (duplicates), to
// check that PlanImport guards areas built in code too.
func mustParseLoose(t *testing.T, text string) []Area {
	t.Helper()
	var areas []Area
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for _, l := range lines[1:] {
		areas = append(areas, mustParse(t, lines[0]+"\n"+l+"\n")...)
	}
	for i := range areas {
		areas[i].Line = 0 // as if built in code: lines come from the order
	}
	return areas
}

func TestPlanImportChecksAreasBuiltInCode(t *testing.T) {
	_, err := PlanImport(nil, []Area{{Code: "JH", Kind: "state", NameEN: "Jharkhand"}, {Code: "bad", Kind: "pc", NameEN: "X", Parent: "JH"}})
	wantProblem(t, err, 3, `code "bad" is not valid`)
}
