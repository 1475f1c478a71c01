package geo

import (
	"errors"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// mustParse parses an area file that the test expects to be valid.
func mustParse(t *testing.T, text string) []Area {
	t.Helper()
	areas, err := ParseCSV(strings.NewReader(text))
	if err != nil {
		t.Fatalf("ParseCSV: %v", err)
	}
	return areas
}

// wantProblem checks that err is a *FileError with a problem on line whose
// reason contains substr.
func wantProblem(t *testing.T, err error, line int, substr string) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v, want a *FileError", err)
	}
	for _, le := range fe.Errors {
		if le.Line == line && strings.Contains(le.Reason, substr) {
			return
		}
	}
	t.Fatalf("no problem on line %d containing %q in:\n%v", line, substr, err)
}

// apply does to a stored tree what the store does with a plan.
func apply(stored []Area, p store.AreaPlan) []Area {
	byCode := map[string]int{}
	for i, e := range stored {
		byCode[e.Code] = i
	}
	out := append([]Area(nil), stored...)
	for _, e := range p.Upserts {
		e.Line = 0
		if i, ok := byCode[e.Code]; ok {
			e.Retired = out[i].Retired
			out[i] = e
			continue
		}
		byCode[e.Code] = len(out)
		out = append(out, e)
	}
	for _, c := range p.Retire {
		out[byCode[c]].Retired = true
	}
	for _, c := range p.Unretire {
		out[byCode[c]].Retired = false
	}
	return out
}

// importAll plans file onto stored, fails the test on error, and applies it.
func importAll(t *testing.T, stored []Area, file []Area) []Area {
	t.Helper()
	p, err := PlanImport(stored, file)
	if err != nil {
		t.Fatalf("PlanImport: %v", err)
	}
	return apply(stored, p)
}

func pathOf(stored []Area, code string) string {
	for _, e := range stored {
		if e.Code == code {
			return e.Path
		}
	}
	return ""
}
