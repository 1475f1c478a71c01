package geo

import (
	"fmt"
	"strings"
)

// merge is the stored tree with an area file laid over it: where the file
// lists an area, the file's version wins.
type merge struct {
	file     []Area // in file order, each with its line set
	byCode   map[string]int
	stored   map[string]Area
	retiring map[string]bool
	paths    map[string]string // computed paths, file and live stored areas
	failed   map[string]bool   // areas whose path cannot be computed
}

// group is a set of siblings of one kind; the file speaks for every group it
// lists an area in.
type group struct{ parent, kind string }

func newMerge(existing []Area, file []Area) (*merge, problemList) {
	m := &merge{
		byCode:   make(map[string]int, len(file)),
		stored:   make(map[string]Area, len(existing)),
		retiring: map[string]bool{},
		paths:    map[string]string{},
		failed:   map[string]bool{},
	}
	var probs problemList
	for i, a := range file {
		if a.Line == 0 {
			a.Line = i + 2
		}
		probs.addAll(a.Line, problems(a))
		if j, dup := m.byCode[a.Code]; dup {
			probs.add(a.Line, "code %s is already used on line %d", a.Code, m.file[j].Line)
			continue
		}
		m.byCode[a.Code] = len(m.file)
		m.file = append(m.file, a)
	}
	for _, e := range existing {
		m.stored[e.Code] = e
	}
	return m, probs
}

func (m *merge) inFile(code string) bool {
	_, ok := m.byCode[code]
	return ok
}

// live reports a stored area that is not retired and that this import does
// not retire, i.e. one a file area may refer to without listing it.
func (m *merge) live(code string) (Area, bool) {
	st, ok := m.stored[code]
	return st, ok && !st.Retired && !m.retiring[code]
}

// decideRetirements marks stored areas missing from the file whose group the
// file speaks for, and, transitively, their stored descendants. A file
// speaks for a group (the areas of one kind under one parent) when it
// contains the parent itself and at least one area of the group: a file
// that lists only a parent, or only some children, retires nothing.
func (m *merge) decideRetirements() {
	speaks := map[group]bool{}
	for _, a := range m.file {
		if a.Parent != "" && m.inFile(a.Parent) {
			speaks[group{a.Parent, a.Kind}] = true
		}
	}
	decided := map[string]bool{}
	var retire func(code string) bool
	retire = func(code string) bool {
		st, ok := m.stored[code]
		if !ok || st.Retired || m.inFile(code) || st.Parent == "" {
			return false
		}
		if done, seen := decided[code]; seen {
			return done
		}
		decided[code] = false // guards against a cycle in stored data
		r := speaks[group{st.Parent, st.Kind}] || retire(st.Parent)
		decided[code] = r
		if r {
			m.retiring[code] = true
		}
		return r
	}
	for code := range m.stored {
		retire(code)
	}
}

// checkReferences checks that every parent and district a file area names
// exists after the import, and that no area left standing points at a
// district this import retires.
func (m *merge) checkReferences() problemList {
	var probs problemList
	for _, a := range m.file {
		if a.Parent != "" {
			if reason := m.missing(a.Parent); reason != "" {
				probs.add(a.Line, "parent %s", reason)
			}
		}
		if a.District != "" {
			probs.addAll(a.Line, m.districtProblems(a.District))
		}
	}
	for code, st := range m.stored {
		if _, ok := m.live(code); ok && !m.inFile(code) && m.retiring[st.District] {
			probs.add(0, "district %s would be retired, but stored area %s (not in the file) still refers to it", st.District, code)
		}
	}
	return probs
}

// missing explains why code cannot be referred to, or returns "".
func (m *merge) missing(code string) string {
	st, stored := m.stored[code]
	switch {
	case m.inFile(code):
		return ""
	case !stored:
		return fmt.Sprintf("%s is neither in the file nor stored", code)
	case st.Retired:
		return fmt.Sprintf("%s is retired; list it in the file to bring it back", code)
	case m.retiring[code]:
		return fmt.Sprintf("%s would be retired by this file, which lists its siblings but not it", code)
	}
	return ""
}

func (m *merge) districtProblems(code string) []string {
	if reason := m.missing(code); reason != "" {
		return []string{"district " + reason}
	}
	kind := m.stored[code].Kind
	if i, ok := m.byCode[code]; ok {
		kind = m.file[i].Kind
	}
	if kind != "district" {
		return []string{fmt.Sprintf("district %s is a %q, not a \"district\"", code, kind)}
	}
	return nil
}

// parentOf gives the parent an area will have after the import.
func (m *merge) parentOf(code string) (parent string, known bool) {
	if i, ok := m.byCode[code]; ok {
		return m.file[i].Parent, true
	}
	if st, ok := m.live(code); ok {
		return st.Parent, true
	}
	return "", false
}

// computePaths gives every file area and every live stored area its path
// after the import, which also moves the descendants of a reparented area.
func (m *merge) computePaths() problemList {
	var probs problemList
	for _, a := range m.file {
		m.resolve(a.Code, &probs)
	}
	for code := range m.stored {
		if _, ok := m.live(code); ok {
			m.resolve(code, &probs)
		}
	}
	return probs
}

// resolve walks up from code until it meets a root or an area whose path is
// known, then sets the paths on the way back down. Walking (rather than
// recursing) lets it name the whole cycle when it finds one.
func (m *merge) resolve(code string, probs *problemList) {
	var chain []string
	onChain := map[string]int{}
	base := "/"
	for cur := code; ; {
		if p, ok := m.paths[cur]; ok {
			base = p
			break
		}
		if i, ok := onChain[cur]; ok {
			m.reportCycle(chain[i:], probs)
			m.fail(chain)
			return
		}
		parent, known := m.parentOf(cur)
		if m.failed[cur] || !known {
			m.reportBroken(chain, cur, probs)
			m.fail(chain)
			return
		}
		onChain[cur] = len(chain)
		chain = append(chain, cur)
		if parent == "" {
			break
		}
		cur = parent
	}
	for i := len(chain) - 1; i >= 0; i-- {
		base += chain[i] + "/"
		m.paths[chain[i]] = base
	}
}

func (m *merge) fail(chain []string) {
	for _, c := range chain {
		m.failed[c] = true
	}
}

// reportCycle reports a cycle once, on the first file line taking part in
// it. A cycle only among stored areas is the store's problem, not the file's.
func (m *merge) reportCycle(cycle []string, probs *problemList) {
	line := 0
	for _, c := range cycle {
		if i, ok := m.byCode[c]; ok && (line == 0 || m.file[i].Line < line) {
			line = m.file[i].Line
		}
	}
	if line > 0 {
		probs.add(line, "parents form a cycle: %s → %s", strings.Join(cycle, " → "), cycle[0])
	}
}

// reportBroken covers a file area sitting on a stored tree whose chain of
// parents does not reach a root. Stored areas alone keep their stored path.
func (m *merge) reportBroken(chain []string, at string, probs *problemList) {
	if len(chain) == 0 || m.failed[at] {
		return
	}
	if i, ok := m.byCode[chain[0]]; ok {
		probs.add(m.file[i].Line, "cannot compute its path: stored area %s has no live parent chain to a root", at)
	}
}
