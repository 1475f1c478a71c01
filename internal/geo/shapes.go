package geo

import (
	"math"
	"strings"
)

// Shapes answers "which area is this point in?" over a set of polygons.
// It is read-only once built, so one value can serve every request.
type Shapes struct {
	shapes []shape
}

// shape is every polygon of one area code; a code may come from several
// features (pieces of one constituency), which are merged.
type shape struct {
	code     string
	box      box
	polygons []polygon
}

// polygon is an outer ring and its holes, with the outer ring's bounding
// box so most polygons are rejected without looking at their vertices.
type polygon struct {
	box   box
	outer []point
	holes [][]point
}

// point is a WGS84 position in GeoJSON's order: x is longitude, y latitude.
type point struct{ x, y float64 }

type box struct{ minX, minY, maxX, maxY float64 }

func emptyBox() box { return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b box) extend(o box) box {
	return box{min(b.minX, o.minX), min(b.minY, o.minY), max(b.maxX, o.maxX), max(b.maxY, o.maxY)}
}

func (b box) contains(p point) bool {
	return p.x >= b.minX && p.x <= b.maxX && p.y >= b.minY && p.y <= b.maxY
}

func ringBox(ring []point) box {
	b := emptyBox()
	for _, p := range ring {
		b = b.extend(box{p.x, p.y, p.x, p.y})
	}
	return b
}

// Locate returns the code of the shape containing the point, and false when
// the point is outside every shape. Points exactly on a shared border may go
// to either neighbour; where shapes overlap the first one parsed wins.
func (s *Shapes) Locate(lat, lon float64) (code string, ok bool) {
	p := point{x: lon, y: lat}
	for _, sh := range s.shapes {
		if sh.box.contains(p) && sh.contains(p) {
			return sh.code, true
		}
	}
	return "", false
}

// Codes lists the area codes that have shapes, in the order parsed.
func (s *Shapes) Codes() []string {
	codes := make([]string, len(s.shapes))
	for i, sh := range s.shapes {
		codes[i] = sh.code
	}
	return codes
}

func (sh shape) contains(p point) bool {
	for _, pg := range sh.polygons {
		if pg.contains(p) {
			return true
		}
	}
	return false
}

func (pg polygon) contains(p point) bool {
	if !pg.box.contains(p) || !inRing(pg.outer, p) {
		return false
	}
	for _, h := range pg.holes {
		if inRing(h, p) {
			return false
		}
	}
	return true
}

// inRing is the even-odd ray-casting test: a ray to the east crosses the
// ring an odd number of times exactly when the point is inside. Whether the
// ring repeats its first point at the end does not matter.
func inRing(ring []point, p point) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

// ACShapes is the AC shapes geo ships for the area at path (a stored
// area's path, "/IN/JH/JH-PC-08/"): Jharkhand's for Jharkhand and every
// area in it. For an area geo ships no shapes for it gives shapes that
// locate nothing, so "use my location" falls back to choosing by name.
func ACShapes(path string) (*Shapes, error) {
	if strings.Contains(path, "/"+jharkhand.Code+"/") {
		return JharkhandACs()
	}
	return &Shapes{}, nil
}
