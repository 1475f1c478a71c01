package drive

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
)

// applyShares runs share rules shallowest kind first, so that in
// "each pc: share …" then "each ac: share …" the ACs split their PC's share.
func applyShares(s *sheet, rules []Rule) problems {
	var p problems
	shares := rulesOf(rules, ShareRule)
	slices.SortStableFunc(shares, func(a, b Rule) int {
		return cmp.Compare(s.shallowest(a.Kind), s.shallowest(b.Kind))
	})
	for _, r := range shares {
		s.applyShare(r, &p)
	}
	return p
}

func (s *sheet) shallowest(kind string) int {
	if nodes := s.tree.ofKind(kind); len(nodes) > 0 {
		return nodes[0].depth // tree order is breadth-first
	}
	return 0
}

// applyShare splits each ancestor's target among the areas of the rule's kind
// whose nearest ancestor with a target of that metric it is.
func (s *sheet) applyShare(r Rule, p *problems) {
	var owners []*node
	groups := map[*node][]*node{}
	var orphans []string
	for _, n := range s.areasOfKind(r, p) {
		owner := s.targetAncestor(n, r.Metric)
		if owner == nil {
			orphans = append(orphans, n.Code)
			continue
		}
		if groups[owner] == nil {
			owners = append(owners, owner)
		}
		groups[owner] = append(groups[owner], n)
	}
	if len(orphans) > 0 {
		p.add("rule %q: %s has no area above it with a %s target to share (%d such)", r, orphans[0], r.Metric, len(orphans))
		return
	}
	for _, owner := range owners {
		s.shareOut(r, owner, groups[owner], p)
	}
}

func (s *sheet) targetAncestor(n *node, metric string) *node {
	for a := n.parent; a != nil; a = a.parent {
		if _, ok := s.get(a, metric); ok {
			return a
		}
	}
	return nil
}

func (s *sheet) shareOut(r Rule, owner *node, nodes []*node, p *problems) {
	weights, err := shareWeights(r, nodes)
	if err != nil {
		p.add("rule %q under %s: %v", r, owner.Code, err)
		return
	}
	total, _ := s.get(owner, r.Metric)
	for i, share := range apportion(total.value, weights, nodes) {
		s.put(nodes[i], r.Metric, share, r, p)
	}
}

// shareWeights gives each area's weight as an exact fraction: one each for
// "equally", else the named weight, with a missing weight counting as zero.
func shareWeights(r Rule, nodes []*node) ([]*big.Rat, error) {
	ws := make([]*big.Rat, len(nodes))
	positive := false
	for i, n := range nodes {
		w := 1.0
		if r.Weight != "" {
			w = weightOf(n, r.Weight)
		}
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("%s has %s %v; weights must be zero or more", n.Code, r.Weight, w)
		}
		positive = positive || w > 0
		ws[i] = new(big.Rat).SetFloat64(w)
	}
	if !positive {
		return nil, fmt.Errorf("every %s has a zero or missing %s, so nothing can be shared", nodes[0].Kind, r.Weight)
	}
	return ws, nil
}

// weightOf looks a weight up by name; names in rules are lower case, the
// weights come from imported data, so case is not held against them.
func weightOf(n *node, name string) float64 {
	if w, ok := n.Weights[name]; ok {
		return w
	}
	for k, w := range n.Weights {
		if strings.EqualFold(k, name) {
			return w
		}
	}
	return 0
}

// apportion splits total in proportion to weights by the largest remainder
// method: everyone gets the whole part of their quota, and the units left over
// go to the largest fractional parts, ties to the lower area code. Exact
// fractions make the result the same on every machine, and the shares add up
// to total exactly. The weights' sum must be positive.
func apportion(total int64, weights []*big.Rat, nodes []*node) []int64 {
	sum := new(big.Rat)
	for _, w := range weights {
		sum.Add(sum, w)
	}
	shares := make([]int64, len(weights))
	rems := make([]*big.Rat, len(weights))
	left := total
	for i, w := range weights {
		quota := new(big.Rat).Mul(new(big.Rat).SetInt64(total), w)
		quota.Quo(quota, sum)
		whole := new(big.Int).Quo(quota.Num(), quota.Denom())
		shares[i] = whole.Int64()
		rems[i] = quota.Sub(quota, new(big.Rat).SetInt(whole))
		left -= shares[i]
	}
	for _, i := range byRemainder(rems, nodes)[:left] {
		shares[i]++
	}
	return shares
}

// byRemainder orders indexes by remainder, largest first, then by area code.
func byRemainder(rems []*big.Rat, nodes []*node) []int {
	idx := make([]int, len(rems))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := rems[b].Cmp(rems[a]); c != 0 {
			return c
		}
		return cmp.Compare(nodes[a].Code, nodes[b].Code)
	})
	return idx
}
