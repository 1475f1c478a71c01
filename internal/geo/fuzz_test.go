package geo

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func FuzzParseCSV(f *testing.F) {
	example, err := os.ReadFile("testdata/example_areas.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(example))
	f.Add("")
	f.Add(header)
	f.Add(tree)
	f.Add(booths("JH-AC-063", 1, 2, 3))
	f.Add(header + "A,x,,A,,,B,\nB,x,,B,,,A,\n")
	f.Add(header + "JH,state,,\"Jhar\nkhand\",,,,\n")
	f.Add("\uFEFF" + strings.TrimSuffix(header, "\n") + ",aliases,electors\nJH,state,1A,J,,SC,,,a|b|a,1e3\n")
	f.Fuzz(func(t *testing.T, text string) {
		areas, err := ParseCSV(strings.NewReader(text))
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || len(fe.Errors) == 0 || areas != nil {
				t.Fatalf("error %v (%T) with %d areas; want a non-empty *FileError and no areas", err, err, len(areas))
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range areas {
			if !ValidCode(a.Code) || seen[a.Code] || len(problems(a)) > 0 {
				t.Fatalf("accepted area %+v (duplicate: %v, problems: %v)", a, seen[a.Code], problems(a))
			}
			seen[a.Code] = true
		}
		// Planning must not panic either, whatever the parents look like, and
		// a plan it accepts puts every area at the end of its own path.
		p, err := PlanImport(nil, areas)
		if err != nil {
			return
		}
		for _, u := range p.Upserts {
			if !strings.HasPrefix(u.Path, "/") || !strings.HasSuffix(u.Path, "/"+u.Code+"/") {
				t.Fatalf("area %s planned at path %q", u.Code, u.Path)
			}
		}
	})
}
