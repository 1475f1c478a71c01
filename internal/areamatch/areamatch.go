// Package areamatch finds the areas a person means when they type a place
// name: in Devanagari or Latin letters, with the spelling slips and variants
// people make ("ranchee", "राँची", "jamshedpur purv", "palamau"). It owns
// the folding of names into comparable skeletons, the scoring, and the rule
// for when a match is sure enough to act on without asking.
package areamatch

import (
	"cmp"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/geo"
)

// Thresholds, set on testdata/variants.csv (docs/area-matching.md).
const (
	// minShown: weaker candidates are not worth offering.
	minShown = 0.6
	// A confident pick scores at least minSure and leads the next one by
	// at least margin.
	minSure = 0.8
	margin  = 0.1
	// Inputs shorter than this (in skeleton letters) are scaled down unless
	// they equal a name: "jam" is not yet Jama.
	shortInput = 4
	// Place names are short: longer text (a whole message) matches
	// nothing rather than costing time.
	maxText, maxLetters = 256, 40
	// epsilon absorbs float rounding in score differences (1.0-0.9).
	epsilon = 1e-9
)

// Candidate is an area and how well the text matched it, in [0, 1].
type Candidate struct {
	Area  geo.Area
	Score float64
	// Named is the score against the area's own names (English and local)
	// only: a district reached through an alias ("daltonganj", its
	// headquarters' old name) is not named by the text, an AC of that name is.
	Named float64
	// partial: the score is for the text as a part of a longer name
	// ("jamshedpur" in Jamshedpur East), not a spelling of the whole.
	partial bool
}

// Matcher matches text against a fixed set of areas. It is safe for
// concurrent use.
type Matcher struct {
	entries  []entry
	byNumber map[string][]int
}

type entry struct {
	area geo.Area
	keys []string // skeletons of the area's names and aliases
	own  int      // keys[:own] are the area's own names
}

// New builds a matcher over areas: their English and local names, their
// aliases, and the extra aliases in aliases.csv for their codes. The caller
// chooses the areas (only districts, the ACs of one district …); an area
// whose code repeats is taken once.
func New(areas []geo.Area) *Matcher {
	m := &Matcher{byNumber: map[string][]int{}}
	seen := map[string]bool{}
	for _, a := range areas {
		if seen[a.Code] {
			continue
		}
		seen[a.Code] = true
		e := entry{area: a}
		e.add(a.NameEN, a.NameLocal)
		e.own = len(e.keys)
		e.add(a.Aliases...)
		e.add(extraAliases[a.Code]...)
		if n := strings.TrimLeft(strings.ToUpper(a.Number), "0"); n != "" {
			m.byNumber[n] = append(m.byNumber[n], len(m.entries))
		}
		m.entries = append(m.entries, e)
	}
	return m
}

func (e *entry) add(names ...string) {
	for _, name := range names {
		if k := parse(name).skeleton; k != "" && !slices.Contains(e.keys, k) {
			e.keys = append(e.keys, k)
		}
	}
}

// Match returns at most limit candidates for text, best first (equal
// scores by code). Text that is too short, too long or matches nothing
// well returns none. A number alone ("62", "AC 62") matches the areas
// with that number.
func (m *Matcher) Match(text string, limit int) []Candidate {
	if limit <= 0 || len(text) > maxText {
		return nil
	}
	q := parse(text)
	var out []Candidate
	switch {
	case q.number != "":
		for _, i := range m.byNumber[q.number] {
			out = append(out, Candidate{Area: m.entries[i].area, Score: 1, Named: 1})
		}
	case q.letters >= 3 && q.letters <= maxLetters:
		out = m.score(q)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Area.Code, b.Area.Code))
	})
	return out[:min(limit, len(out))]
}

func (m *Matcher) score(q query) []Candidate {
	var out []Candidate
	var s scratch
	for _, e := range m.entries {
		c := Candidate{Area: e.area}
		for i, k := range e.keys {
			score, partial := similarity(q.skeleton, k, &s)
			if score > c.Score {
				c.Score, c.partial = score, partial
			}
			if i < e.own {
				c.Named = max(c.Named, score)
			}
		}
		if c.Score < 1 && q.letters < shortInput {
			c.Score *= float64(q.letters) / shortInput
			c.Named *= float64(q.letters) / shortInput
		}
		if c.Score >= minShown {
			out = append(out, c)
		}
	}
	return out
}

// Confident reports whether the first of cands (as Match returns them,
// asked for at least two) is sure enough to use without asking: it scores
// high and clearly ahead of the next, or it is the only area whose name the
// text spells exactly and the next is only a close spelling ("dhanbad" is
// Dhanbad, though Dhanwar is close), not a longer name that starts with
// the text ("jamshedpur" may be the district or either Jamshedpur AC).
func Confident(cands []Candidate) bool {
	if len(cands) == 0 || cands[0].Score < minSure {
		return false
	}
	if len(cands) == 1 {
		return true
	}
	top, next := cands[0].Score, cands[1].Score
	return top-next >= margin-epsilon || top == 1 && next < 1 && !cands[1].partial
}

// Decide matches text and says whether the best candidate can be used as
// it is. When it can, choices holds just that one; otherwise choices are
// what to offer (at most limit), none when nothing matched.
func (m *Matcher) Decide(text string, limit int) (choices []Candidate, confident bool) {
	cands := m.Match(text, max(limit, 2))
	if Confident(cands) {
		return cands[:1], true
	}
	return cands[:min(limit, len(cands))], false
}

// Narrower says whether text that a wider area (a district) and a
// narrower one (an AC) both match, as Decide returned them, means the
// narrower: it must be sure, and the wider, if sure, must not be named by
// the text as well. "Daltonganj" and "Jamshedpur East" are ACs, though
// their district is reached through its headquarters' name; "Ranchi", the
// district's own name, stays the district and its ACs are asked.
func Narrower(wider, narrower []Candidate, widerSure, narrowerSure bool) bool {
	if !narrowerSure {
		return false
	}
	return !widerSure || wider[0].Named < narrower[0].Score
}
