package drive

import (
	"maps"
	"math"
	"slices"
	"strings"
)

// sumUp gives every area without a target of its own, for each metric, the
// sum of its children's targets, deepest areas first so sums build on sums.
// Children with no target add nothing, which keeps trees that carry no
// targets (districts beside PCs under a state) out of the state's sums.
func (s *sheet) sumUp() problems {
	var p problems
	for _, n := range slices.Backward(s.tree.order) {
		for _, m := range Metrics {
			if _, ok := s.get(n, m); !ok {
				s.sumChildren(n, m, &p)
			}
		}
	}
	return p
}

// sumChildren sums by child kind: when two trees under one area both carry
// targets for a metric (PCs and districts under a state), their totals are
// two answers to one question, and if they disagree the area needs a target
// of its own.
func (s *sheet) sumChildren(n *node, metric string, p *problems) {
	sums := map[string]int64{}
	for _, c := range n.children {
		e, ok := s.get(c, metric)
		if !ok {
			continue
		}
		kind := strings.ToLower(c.Kind)
		if sums[kind] > math.MaxInt64-e.value {
			p.add("%s %s: the sum of its children's targets is too large", n.Code, metric)
			return
		}
		sums[kind] += e.value
	}
	kinds := slices.Sorted(maps.Keys(sums))
	if len(kinds) == 0 {
		return
	}
	for _, k := range kinds[1:] {
		if sums[k] != sums[kinds[0]] {
			p.add("%s %s: its %s areas add up to %d but its %s areas to %d; give %s a %s target of its own",
				n.Code, metric, kinds[0], sums[kinds[0]], k, sums[k], n.Code, metric)
			return
		}
	}
	s.set[cell{n.Code, metric}] = entry{value: sums[kinds[0]]}
}
