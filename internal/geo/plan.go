package geo

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// Importer plans file against the stored areas, for store.DB.ImportAreas.
// Problems in the file are a *FileError with the invalid code.
func Importer(file []Area) store.PlanAreas {
	return func(stored []Area) (store.AreaPlan, error) {
		p, err := PlanImport(stored, file)
		if fe, ok := errors.AsType[*FileError](err); ok {
			return p, invalidFile{fe}
		}
		return p, err
	}
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
func PlanImport(existing []Area, file []Area) (store.AreaPlan, error) {
	m, probs := newMerge(existing, file)
	if err := probs.err(); err != nil {
		return store.AreaPlan{}, err
	}
	m.decideRetirements()
	probs = m.checkReferences()
	if err := probs.err(); err != nil {
		return store.AreaPlan{}, err
	}
	if err := m.computePaths().err(); err != nil {
		return store.AreaPlan{}, err
	}
	return m.plan(), nil
}

// plan turns the merged tree into the writes that change something.
func (m *merge) plan() store.AreaPlan {
	var p store.AreaPlan
	for _, f := range m.file {
		path := m.paths[f.Code]
		st, stored := m.stored[f.Code]
		if stored && st.Retired {
			p.Unretire = append(p.Unretire, f.Code)
		}
		if !stored || st.Path != path || !sameContent(st, f) {
			f.Path = path
			p.Upserts = append(p.Upserts, f)
		}
	}
	for _, st := range m.stored {
		if m.inFile(st.Code) || st.Retired {
			continue
		}
		// A stored area the file does not list moves only when an ancestor moved.
		if path, ok := m.paths[st.Code]; ok && path != st.Path {
			st.Path = path
			p.Upserts = append(p.Upserts, st)
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

func byDepthThenPath(a, b Area) int {
	return cmp.Or(
		cmp.Compare(strings.Count(a.Path, "/"), strings.Count(b.Path, "/")),
		cmp.Compare(a.Path, b.Path),
	)
}

// invalidFile gives an area file's problems the invalid code while keeping
// the *FileError, with its lines, reachable by errors.As.
type invalidFile struct{ file *FileError }

func (e invalidFile) Error() string { return e.file.Error() }

func (e invalidFile) Unwrap() []error {
	return []error{apperr.New(apperr.Invalid, "%s", e.file.Error()), e.file}
}
