package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

type featureCollection struct {
	Type     string    `json:"type"`
	Features []feature `json:"features"`
}

type feature struct {
	Properties map[string]any `json:"properties"`
	Geometry   *geometry      `json:"geometry"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// ParseShapes reads a GeoJSON FeatureCollection of Polygons and
// MultiPolygons (WGS84 lon/lat, holes respected). code names each feature's
// area from its properties; features with the same code are merged.
func ParseShapes(geojson []byte, code func(props map[string]any) (string, error)) (*Shapes, error) {
	var fc featureCollection
	if err := json.Unmarshal(geojson, &fc); err != nil {
		return nil, fmt.Errorf("geo: shapes: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("geo: shapes: type %q, want FeatureCollection", fc.Type)
	}
	s := &Shapes{}
	index := map[string]int{}
	for i, f := range fc.Features {
		c, polys, err := parseFeature(f, code)
		if err != nil {
			return nil, fmt.Errorf("geo: shapes: feature %d: %w", i, err)
		}
		at, seen := index[c]
		if !seen {
			at = len(s.shapes)
			index[c] = at
			s.shapes = append(s.shapes, shape{code: c, box: emptyBox()})
		}
		for _, pg := range polys {
			s.shapes[at].polygons = append(s.shapes[at].polygons, pg)
			s.shapes[at].box = s.shapes[at].box.extend(pg.box)
		}
	}
	return s, nil
}

func parseFeature(f feature, code func(map[string]any) (string, error)) (string, []polygon, error) {
	c, err := code(f.Properties)
	if err != nil {
		return "", nil, err
	}
	if !ValidCode(c) {
		return "", nil, fmt.Errorf("code %q is not a valid area code", c)
	}
	if f.Geometry == nil {
		return "", nil, errors.New("no geometry")
	}
	polys, err := parseGeometry(*f.Geometry)
	return c, polys, err
}

func parseGeometry(g geometry) ([]polygon, error) {
	switch g.Type {
	case "Polygon":
		var rings [][][]float64
		if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
			return nil, fmt.Errorf("coordinates of a Polygon: %w", err)
		}
		pg, err := toPolygon(rings)
		return []polygon{pg}, err
	case "MultiPolygon":
		var many [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &many); err != nil {
			return nil, fmt.Errorf("coordinates of a MultiPolygon: %w", err)
		}
		if len(many) == 0 {
			return nil, errors.New("MultiPolygon without polygons") // its code would be listed, never located
		}
		polys := make([]polygon, 0, len(many))
		for _, rings := range many {
			pg, err := toPolygon(rings)
			if err != nil {
				return nil, err
			}
			polys = append(polys, pg)
		}
		return polys, nil
	}
	return nil, fmt.Errorf("geometry type %q cannot contain a point (want Polygon or MultiPolygon)", g.Type)
}

// toPolygon takes GeoJSON rings: the first is the outline, the rest holes.
func toPolygon(rings [][][]float64) (polygon, error) {
	if len(rings) == 0 {
		return polygon{}, errors.New("polygon without rings")
	}
	var pg polygon
	for i, r := range rings {
		ring, err := toRing(r)
		if err != nil {
			return polygon{}, fmt.Errorf("ring %d: %w", i, err)
		}
		if i == 0 {
			pg.outer, pg.box = ring, ringBox(ring)
		} else {
			pg.holes = append(pg.holes, ring)
		}
	}
	return pg, nil
}

func toRing(positions [][]float64) ([]point, error) {
	if len(positions) < 3 {
		return nil, fmt.Errorf("%d positions, a ring needs at least 3", len(positions))
	}
	ring := make([]point, len(positions))
	for i, pos := range positions {
		if len(pos) < 2 {
			return nil, fmt.Errorf("position %d has %d numbers, want lon and lat", i, len(pos))
		}
		lon, lat := pos[0], pos[1]
		if math.Abs(lon) > 180 || math.Abs(lat) > 90 || math.IsNaN(lon) || math.IsNaN(lat) {
			return nil, fmt.Errorf("position %d (%v, %v) is not a WGS84 lon/lat", i, lon, lat)
		}
		ring[i] = point{x: lon, y: lat}
	}
	return ring, nil
}
