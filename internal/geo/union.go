package geo

import (
	"errors"
	"slices"
)

// Union returns the outline of several ACs together (a district is the
// union of its ACs): shared borders removed. ok=false when acCodes is empty
// or any code has no shipped AC shape. The rings ([lon, lat], closed) are
// outer rings and holes in no particular order, told apart by fill-rule
// evenodd; the order of acCodes and repeated codes do not change the result.
//
// It works by edge cancellation: every AC ring contributes its edges, an
// edge that two member ACs share appears once in each direction and both
// copies cancel, and the edges left are chained into rings. That is exact
// only when neighbours share their border vertex for vertex. On the shipped
// layer they do (it was merged and rounded by one tool): for each of the 14
// PCs the union of its ACs has the shipped PC shape's area and edge count
// (PC 01 repeats one vertex), every PC and all 24 districts come
// out as one ring, the whole state as one ring, and no vertex is left with
// unequal edges in and out (no T-junctions). The only flaw is 23 ACs that
// repeat a vertex (zero-length edges), which are skipped. A border with
// mismatched vertices would survive as a hairline seam, never as a gap.
func Union(acCodes []string) (rings [][][2]float64, ok bool, err error) {
	shapes, err := JharkhandACs()
	if err != nil {
		return nil, false, err
	}
	codes := slices.Compact(slices.Sorted(slices.Values(acCodes)))
	if len(codes) == 0 {
		return nil, false, nil
	}
	var all [][]point
	for _, c := range codes {
		polys, found := shapes.polygonsOf(c)
		if !found {
			return nil, false, nil
		}
		all = append(all, allRings(polys)...)
	}
	chained, err := chainRings(outlineEdges(all))
	if err != nil {
		return nil, false, err
	}
	return ringPairs(chained), true, nil
}

type outlineEdge struct{ from, to point }

// outlineEdges returns the edges of rings that no other edge cancels, in
// the order first met, so the result does not depend on map order.
func outlineEdges(rings [][]point) []outlineEdge {
	count := map[outlineEdge]int{}
	var order []outlineEdge
	for _, r := range rings {
		for i := range r {
			e := outlineEdge{r[i], r[(i+1)%len(r)]}
			if e.from == e.to {
				continue // the closing repeat of GeoJSON, or a repeated vertex
			}
			if back := (outlineEdge{e.to, e.from}); count[back] > 0 {
				count[back]--
				continue
			}
			if count[e] == 0 {
				order = append(order, e)
			}
			count[e]++
		}
	}
	var left []outlineEdge
	for _, e := range order {
		for range count[e] {
			left = append(left, e)
		}
	}
	return left
}

// chainRings joins edges into closed rings. Every ring adds one outlineEdge in and
// one out at each of its vertices and cancelling removes one of each, so
// the edges left always close up; a walk that cannot go on means a bug.
func chainRings(edges []outlineEdge) ([][]point, error) {
	out := map[point][]int{}
	for i, e := range edges {
		out[e.from] = append(out[e.from], i)
	}
	used := make([]bool, len(edges))
	next := map[point]int{} // the first outgoing outlineEdge of a vertex not yet looked at
	var rings [][]point
	for i, e := range edges {
		if used[i] {
			continue
		}
		used[i] = true
		ring := []point{e.from, e.to}
		for at := e.to; at != e.from; {
			j, found := unusedFrom(out[at], used, next, at)
			if !found {
				return nil, errors.New("geo: union: an outline does not close")
			}
			used[j] = true
			at = edges[j].to
			ring = append(ring, at)
		}
		rings = append(rings, ring)
	}
	return rings, nil
}

func unusedFrom(candidates []int, used []bool, next map[point]int, at point) (int, bool) {
	for k := next[at]; k < len(candidates); k++ {
		if !used[candidates[k]] {
			next[at] = k + 1
			return candidates[k], true
		}
	}
	next[at] = len(candidates)
	return 0, false
}
