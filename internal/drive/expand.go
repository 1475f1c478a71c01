package drive

import (
	"slices"
	"strings"
)

// Target is one (area, metric) goal after expansion.
type Target struct {
	Area, Metric string
	Value        int64
	Explicit     bool // set by a rule, rather than summed from the areas below
}

// Expand turns rules into targets over the areas under root (inclusive;
// other areas are ignored). Rules apply in a fixed order, whatever their
// order in the file, so each phase sees the targets it builds on:
//
//  1. fixed and each rules;
//  2. share rules, kinds nearer the root first, so a share can split a share;
//  3. per rules, each after those whose results it multiplies.
//
// Then an area without a target for a metric gets the sum of its children's
// targets (bottom-up, Explicit=false). An area with neither has no target and
// is absent from the result. Targets come root first, breadth-first with
// siblings in code order, and metrics in Metrics order within an area.
func Expand(rules []Rule, root string, areas []TreeArea) ([]Target, error) {
	t, err := newTree(root, areas)
	if err != nil {
		return nil, err
	}
	s := &sheet{tree: t, set: map[cell]entry{}}
	phases := []func(*sheet, []Rule) problems{checkRules, applyAmounts, applyShares, applyPers}
	for _, phase := range phases {
		if err := phase(s, rules).err(); err != nil {
			return nil, err
		}
	}
	if err := s.sumUp().err(); err != nil {
		return nil, err
	}
	return s.targets(), nil
}

// cell is one (area, metric) slot of the targets being built.
type cell struct{ area, metric string }

type entry struct {
	value    int64
	rule     string // the rule that set it, to name both sides of a conflict
	explicit bool
}

type sheet struct {
	tree *tree
	set  map[cell]entry
}

// put records a rule's target, refusing a second rule that disagrees: which
// one should win is the admin's decision, not ours.
func (s *sheet) put(n *node, metric string, v int64, r Rule, p *problems) {
	c := cell{n.Code, metric}
	old, ok := s.set[c]
	switch {
	case !ok:
		s.set[c] = entry{value: v, rule: r.String(), explicit: true}
	case old.value != v:
		p.add("%s %s: %q gives %d but %q gives %d", n.Code, metric, old.rule, old.value, r.String(), v)
	}
}

func (s *sheet) get(n *node, metric string) (entry, bool) {
	e, ok := s.set[cell{n.Code, metric}]
	return e, ok
}

// checkRules catches Rules built by hand rather than by ParseRule.
func checkRules(_ *sheet, rules []Rule) problems {
	var p problems
	for _, r := range rules {
		if again, err := ParseRule(r.String()); err != nil || again != r {
			p.add("invalid rule %+v", r)
		}
	}
	return p
}

func applyAmounts(s *sheet, rules []Rule) problems {
	var p problems
	for _, r := range rules {
		switch r.Form {
		case FixedRule:
			if n := s.fixedArea(r, &p); n != nil {
				s.put(n, r.Metric, r.Value, r, &p)
			}
		case EachRule:
			for _, n := range s.areasOfKind(r, &p) {
				s.put(n, r.Metric, r.Value, r, &p)
			}
		}
	}
	return p
}

func (s *sheet) fixedArea(r Rule, p *problems) *node {
	n := s.tree.byKey[r.Area]
	switch {
	case n == nil && s.tree.known[r.Area]:
		p.add("rule %q: area %s is not under the drive's root %s", r, r.Area, s.tree.root.Code)
	case n == nil:
		p.add("rule %q: unknown area %s", r, r.Area)
	case !strings.EqualFold(n.Kind, r.Kind):
		p.add("rule %q: %s is a %s, not a %s", r, r.Area, n.Kind, r.Kind)
	default:
		return n
	}
	return nil
}

// areasOfKind refuses a rule that reaches no area, most often a misspelt kind.
func (s *sheet) areasOfKind(r Rule, p *problems) []*node {
	nodes := s.tree.ofKind(r.Kind)
	if len(nodes) == 0 {
		p.add("rule %q: there is no %s under %s", r, r.Kind, s.tree.root.Code)
	}
	return nodes
}

// targets lists every cell that has a value, in tree and metric order.
func (s *sheet) targets() []Target {
	var out []Target
	for _, n := range s.tree.order {
		for _, m := range Metrics {
			if e, ok := s.get(n, m); ok {
				out = append(out, Target{Area: n.Code, Metric: m, Value: e.value, Explicit: e.explicit})
			}
		}
	}
	return out
}

// rulesOf picks the rules of one form, keeping their order in the file.
func rulesOf(rules []Rule, form RuleForm) []Rule {
	return slices.DeleteFunc(slices.Clone(rules), func(r Rule) bool { return r.Form != form })
}
