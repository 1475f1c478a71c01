package drive

import (
	"fmt"
	"math"
	"strings"
)

// applyPers sets "<metric>: K per <of> target" on every area that has an
// <of> target from a rule. Summed targets are left out on purpose: the sum
// over the children of K × their targets is already K × their sum.
func applyPers(s *sheet, rules []Rule) problems {
	var p problems
	ordered, err := orderPers(rulesOf(rules, PerRule))
	if err != nil {
		p.add("%v", err)
		return p
	}
	for _, r := range ordered {
		for _, n := range s.tree.order {
			if e, ok := s.get(n, r.Of); ok {
				s.putProduct(n, e.value, r, &p)
			}
		}
	}
	return p
}

func (s *sheet) putProduct(n *node, of int64, r Rule, p *problems) {
	if of > math.MaxInt64/max(r.Value, 1) {
		p.add("rule %q: %s %s target is too large to multiply by %d", r, n.Code, r.Of, r.Value)
		return
	}
	s.put(n, r.Metric, of*r.Value, r, p)
}

// orderPers puts each per rule after the per rules that produce the metric it
// multiplies ("active: 2 per group target" after "groups: 10 per volunteer
// target"), and refuses a cycle, which has no answer.
func orderPers(pending []Rule) ([]Rule, error) {
	var out []Rule
	for len(pending) > 0 {
		var wait []Rule
		for _, r := range pending {
			if produces(pending, r.Of) {
				wait = append(wait, r)
			} else {
				out = append(out, r)
			}
		}
		if len(wait) == len(pending) {
			return nil, fmt.Errorf("per rules depend on each other in a circle: %s", ruleList(wait))
		}
		pending = wait
	}
	return out, nil
}

func produces(rules []Rule, metric string) bool {
	for _, r := range rules {
		if r.Metric == metric {
			return true
		}
	}
	return false
}

func ruleList(rules []Rule) string {
	texts := make([]string, len(rules))
	for i, r := range rules {
		texts[i] = fmt.Sprintf("%q", r)
	}
	return strings.Join(texts, ", ")
}
