package chart

import (
	"cmp"
	"math"
	"slices"
)

// mapTopology finds where borders meet, so that a border two areas share
// is simplified once, the same way for both: simplifying each ring on its
// own would open slivers between neighbours. A junction is a position
// where the borders of different sets of areas meet; between two junctions
// a border is one arc, the same positions in every ring that runs along it.
// That needs neighbours to share their positions exactly, as the shipped
// shapes and geo.Union's outlines do.
type mapTopology struct {
	owners   map[mapSegment][]int        // the areas whose rings use a segment
	incident map[[2]float64][]mapSegment // the distinct segments at a position
}

// mapSegment is an undirected segment, its smaller end first.
type mapSegment [2][2]float64

func mapSegmentOf(a, b [2]float64) mapSegment {
	if mapLess(b, a) {
		a, b = b, a
	}
	return mapSegment{a, b}
}

func mapLess(a, b [2]float64) bool { return mapCompare(a, b) < 0 }

func mapCompare(a, b [2]float64) int {
	return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
}

// newMapTopology takes each area's projected rings.
func newMapTopology(areas [][][][2]float64) mapTopology {
	n := 0
	for _, rings := range areas {
		for _, r := range rings {
			n += len(r)
		}
	}
	t := mapTopology{owners: make(map[mapSegment][]int, n), incident: make(map[[2]float64][]mapSegment, n)}
	for i, rings := range areas {
		for _, r := range rings {
			for j := range r {
				t.add(i, r[j], r[(j+1)%len(r)])
			}
		}
	}
	return t
}

func (t mapTopology) add(area int, a, b [2]float64) {
	s := mapSegmentOf(a, b)
	own, seen := t.owners[s]
	if !seen {
		t.incident[a] = append(t.incident[a], s)
		t.incident[b] = append(t.incident[b], s)
	}
	if len(own) == 0 || own[len(own)-1] != area {
		t.owners[s] = append(own, area)
	}
}

func (t mapTopology) junction(p [2]float64) bool {
	segs := t.incident[p]
	return len(segs) != 2 || !slices.Equal(t.owners[segs[0]], t.owners[segs[1]])
}

// simplify returns the ring simplified arc by arc. A ring without
// junctions (an island, or an enclave and the hole it fills) is one arc
// from its smallest position, so both rings around an enclave agree.
func (t mapTopology) simplify(ring [][2]float64, tolerance float64) [][2]float64 {
	start := slices.IndexFunc(ring, t.junction)
	if start < 0 {
		start = slices.Index(ring, slices.MinFunc(ring, mapCompare))
	}
	closed := append(append(slices.Clone(ring[start:]), ring[:start]...), ring[start])
	var out [][2]float64
	from := 0
	for i := 1; i < len(closed); i++ {
		if i == len(closed)-1 || t.junction(closed[i]) {
			arc := mapSimplifyArc(closed[from:i+1], tolerance)
			out = append(out, arc[:len(arc)-1]...) // its end starts the next arc
			from = i
		}
	}
	return out
}

// mapSimplifyArc simplifies an arc walked in a canonical direction, so the
// two rings that walk a shared arc in opposite directions keep the same
// positions.
func mapSimplifyArc(arc [][2]float64, tolerance float64) [][2]float64 {
	first, last := arc[0], arc[len(arc)-1]
	backwards := mapLess(last, first) || first == last && len(arc) > 2 && mapLess(arc[len(arc)-2], arc[1])
	if !backwards {
		return mapDouglasPeucker(arc, tolerance)
	}
	reversed := slices.Clone(arc)
	slices.Reverse(reversed)
	kept := mapDouglasPeucker(reversed, tolerance)
	slices.Reverse(kept)
	return kept
}

// mapDouglasPeucker keeps the ends of a polyline and, recursively, the
// position farthest from the segment between kept ones while it is farther
// than tolerance.
func mapDouglasPeucker(pts [][2]float64, tolerance float64) [][2]float64 {
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	stack := [][2]int{{0, len(pts) - 1}}
	for len(stack) > 0 {
		a, b := stack[len(stack)-1][0], stack[len(stack)-1][1]
		stack = stack[:len(stack)-1]
		far, farthest := tolerance, -1
		for i := a + 1; i < b; i++ {
			if d := mapSegmentDistance(pts[i], pts[a], pts[b]); d > far {
				far, farthest = d, i
			}
		}
		if farthest > 0 {
			keep[farthest] = true
			stack = append(stack, [2]int{a, farthest}, [2]int{farthest, b})
		}
	}
	kept := make([][2]float64, 0, len(pts))
	for i, k := range keep {
		if k {
			kept = append(kept, pts[i])
		}
	}
	return kept
}

// mapSegmentDistance is the distance from p to the segment ab (to a when
// the segment is a point, as for a closed arc).
func mapSegmentDistance(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = min(1, max(0, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	}
	ex, ey := p[0]-a[0]-t*dx, p[1]-a[1]-t*dy
	return math.Hypot(ex, ey)
}
