package geo

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// What ParseShapes accepts is usable: valid codes, rings of at least three
// finite WGS84 positions inside their polygon's box, and Locate answers
// any point (NaN and infinities included) without panicking, with a code
// of a shape whose box holds the point. Closing a ring (repeating its
// first position) does not change any answer.
func FuzzParseShapes(f *testing.F) {
	f.Add([]byte(handMade), 5.0, 5.0)
	f.Add([]byte(handMade), 1.0, 31.0)
	f.Add([]byte(strings.Replace(handMade, `"code":"INSIDE-HOLE"`, `"code":"PAIR"`, 1)), 4.2, 4.2)
	f.Add([]byte(`{"type":"FeatureCollection","features":[]}`), 0.0, 0.0)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0]]]}}]}`), 0.0, 0.0)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90]]]}}]}`), 90.0, 180.0)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1e-300,0],[0,5e-324]]]]}}]}`), 1e-320, 1e-320)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1]]]}}]}`), 0.5, 0.5)
	f.Fuzz(func(t *testing.T, data []byte, lat, lon float64) {
		s, err := ParseShapes(data, codeProperty)
		if err != nil {
			if s != nil {
				t.Fatalf("error %v with shapes", err)
			}
			return
		}
		checkShapes(t, s)
		code, ok := s.Locate(lat, lon)
		if ok != (code != "") {
			t.Fatalf("Locate(%v, %v) = %q, %v", lat, lon, code, ok)
		}
		if ok {
			i := slices.Index(s.Codes(), code)
			if i < 0 || !s.shapes[i].box.contains(point{x: lon, y: lat}) {
				t.Fatalf("Locate(%v, %v) = %q, outside its box or not a code of the shapes", lat, lon, code)
			}
		}
		if again, ok2 := closedRings(s).Locate(lat, lon); again != code || ok2 != ok {
			t.Fatalf("Locate(%v, %v) = %q with the rings closed, %q without", lat, lon, again, code)
		}
	})
}

// checkShapes holds for every parsed Shapes.
func checkShapes(t *testing.T, s *Shapes) {
	t.Helper()
	seen := map[string]bool{}
	for _, sh := range s.shapes {
		if !ValidCode(sh.code) || seen[sh.code] || len(sh.polygons) == 0 {
			t.Fatalf("shape %q: valid %v, seen before %v, %d polygons", sh.code, ValidCode(sh.code), seen[sh.code], len(sh.polygons))
		}
		seen[sh.code] = true
		for _, pg := range sh.polygons {
			for _, ring := range append([][]point{pg.outer}, pg.holes...) {
				if len(ring) < 3 {
					t.Fatalf("%s: a ring of %d positions", sh.code, len(ring))
				}
				for _, p := range ring {
					if math.IsNaN(p.x) || math.IsNaN(p.y) || math.Abs(p.x) > 180 || math.Abs(p.y) > 90 {
						t.Fatalf("%s: position %v is not a WGS84 lon/lat", sh.code, p)
					}
				}
			}
			for _, p := range pg.outer {
				if !pg.box.contains(p) || !sh.box.contains(p) {
					t.Fatalf("%s: position %v outside its box %v / %v", sh.code, p, pg.box, sh.box)
				}
			}
		}
	}
}

// closedRings is s with every ring ending on its first position.
func closedRings(s *Shapes) *Shapes {
	closeRing := func(r []point) []point {
		if r[0] == r[len(r)-1] {
			return r
		}
		return append(slices.Clip(r), r[0])
	}
	out := &Shapes{}
	for _, sh := range s.shapes {
		c := shape{code: sh.code, box: sh.box}
		for _, pg := range sh.polygons {
			cp := polygon{box: pg.box, outer: closeRing(pg.outer)}
			for _, h := range pg.holes {
				cp.holes = append(cp.holes, closeRing(h))
			}
			c.polygons = append(c.polygons, cp)
		}
		out.shapes = append(out.shapes, c)
	}
	return out
}

// A convex polygon holds its centre whichever way its ring runs, and no
// point beyond its radius.
func FuzzLocateConvex(f *testing.F) {
	f.Add(85.3, 23.3, 0.1, uint8(6), false, true)
	f.Add(0.0, 0.0, 1.0, uint8(3), true, false)
	f.Add(-179.0, -89.0, 0.5, uint8(200), false, false)
	f.Fuzz(func(t *testing.T, lon, lat, radius float64, sides uint8, clockwise, closed bool) {
		if sides < 3 || !(radius >= 1e-4 && radius <= 10) || !(math.Abs(lon)+radius <= 180) || !(math.Abs(lat)+radius <= 90) {
			return
		}
		var ring []string
		for i := range int(sides) {
			a := 2 * math.Pi * float64(i) / float64(sides)
			if clockwise {
				a = -a
			}
			ring = append(ring, fmt.Sprintf("[%v,%v]", lon+radius*math.Cos(a), lat+radius*math.Sin(a)))
		}
		if closed {
			ring = append(ring, ring[0])
		}
		geojson := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"C"},"geometry":{"type":"Polygon","coordinates":[[` +
			strings.Join(ring, ",") + `]]}}]}`
		s, err := ParseShapes([]byte(geojson), codeProperty)
		if err != nil {
			t.Fatalf("%s: %v", geojson, err)
		}
		if code, ok := s.Locate(lat, lon); !ok || code != "C" {
			t.Fatalf("the centre (%v, %v) of %s is not located: %q", lat, lon, geojson, code)
		}
		if code, ok := s.Locate(lat+1.01*radius, lon+1.01*radius); ok {
			t.Fatalf("a point beyond the radius is located in %q", code)
		}
	})
}
