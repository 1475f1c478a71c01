package geo

import (
	"cmp"
	"slices"
	"strings"
)

// Planned is an area to insert or update, with its materialized path.
// Line is the area file line it came from, or 0 for a stored area that only
// moved because an ancestor moved.
type Planned struct {
	Area
	Path string
	Line int
}

// Plan is what the store must do to apply an area file. Upserts are ordered
// parents first (by depth), so inserting them in order never refers to a
// missing parent; a District may still name an area later in the list.
type Plan struct {
	Upserts  []Planned
	Retire   []string // codes of stored areas to retire
	Unretire []string // codes of retired stored areas the file brings back
}

// Empty reports whether applying the plan would change nothing.
func (p Plan) Empty() bool {
	return len(p.Upserts) == 0 && len(p.Retire) == 0 && len(p.Unretire) == 0
}

// PlanImport merges an area file with what is stored and decides what to
// write. The file is authoritative only for the areas it lists and for the
// (parent, kind) groups it lists areas in: a stored area missing from the file
// is retired only when the file lists another area of the same kind under the
// same parent, and then so are its stored descendants. Importing one AC's
// booths therefore never touches another AC's booths, and re-importing the
// ACs never retires booths. Roots are never retired by omission.
//
// Errors are a *FileError whose lines come from ParseCSV, or index+2 for
// areas built in code (as if row 1 were a header).
func PlanImport(existing []Existing, file []Area) (Plan, error) {
	m, probs := newMerge(existing, file)
	if err := probs.err(); err != nil {
		return Plan{}, err
	}
	m.decideRetirements()
	probs = m.checkReferences()
	if err := probs.err(); err != nil {
		return Plan{}, err
	}
	if err := m.computePaths().err(); err != nil {
		return Plan{}, err
	}
	return m.plan(), nil
}

// plan turns the merged tree into the writes that change something.
func (m *merge) plan() Plan {
	var p Plan
	for _, f := range m.file {
		path := m.paths[f.Code]
		st, stored := m.stored[f.Code]
		if stored && st.Retired {
			p.Unretire = append(p.Unretire, f.Code)
		}
		if !stored || st.Path != path || !sameContent(st.Area, f) {
			p.Upserts = append(p.Upserts, Planned{Area: f, Path: path, Line: f.line})
		}
	}
	for _, st := range m.stored {
		if m.inFile(st.Code) || st.Retired {
			continue
		}
		// A stored area the file does not list moves only when an ancestor moved.
		if path, ok := m.paths[st.Code]; ok && path != st.Path {
			p.Upserts = append(p.Upserts, Planned{Area: st.Area, Path: path})
		}
	}
	for code := range m.retiring {
		p.Retire = append(p.Retire, code)
	}
	slices.SortFunc(p.Upserts, byDepthThenPath)
	slices.Sort(p.Retire)
	slices.Sort(p.Unretire)
	return p
}

func byDepthThenPath(a, b Planned) int {
	return cmp.Or(
		cmp.Compare(strings.Count(a.Path, "/"), strings.Count(b.Path, "/")),
		cmp.Compare(a.Path, b.Path),
	)
}
