package geo

import (
	"fmt"
	"strings"
	"sync"
)

// jharkhandPCShapes parses the PC shapes once. They are the AC shapes
// merged by PC (jharkhand_pc_from_ac.geojson), so ACs nest exactly inside
// them on a map; datameet's PC layer would leave slivers.
var jharkhandPCShapes = sync.OnceValues(func() (*Shapes, error) {
	return ParseShapes(JharkhandPCGeoJSON(), jharkhandPCCode)
})

func jharkhandPCCode(props map[string]any) (string, error) {
	v, ok := props["pc_no"].(float64)
	if !ok || v != float64(int(v)) || v < 1 || v > 99 {
		return "", fmt.Errorf("pc_no %v is not a PC number", props["pc_no"])
	}
	return pcCode(int(v)), nil
}

// Outlines returns the rings ([lon, lat], closed as in GeoJSON: the last
// position repeats the first) of each code that has a shipped shape:
// Jharkhand ACs (JH-AC-063) and PCs (JH-PC-08). Codes without shapes are
// absent from the map. The rings are copies, so callers may change them.
func Outlines(codes []string) (map[string][][][2]float64, error) {
	acs, err := JharkhandACs()
	if err != nil {
		return nil, err
	}
	pcs, err := jharkhandPCShapes()
	if err != nil {
		return nil, err
	}
	out := make(map[string][][][2]float64, len(codes))
	for _, c := range codes {
		s := acs
		if strings.HasPrefix(c, "JH-PC-") {
			s = pcs
		}
		if polys, ok := s.polygonsOf(c); ok {
			out[c] = ringPairs(allRings(polys))
		}
	}
	return out, nil
}

// polygonsOf returns the polygons of one code. A linear scan: the shipped
// sets hold at most 81 codes.
func (s *Shapes) polygonsOf(code string) ([]polygon, bool) {
	for _, sh := range s.shapes {
		if sh.code == code {
			return sh.polygons, true
		}
	}
	return nil, false
}

// allRings lists every outer ring and hole of polys.
func allRings(polys []polygon) [][]point {
	var rings [][]point
	for _, pg := range polys {
		rings = append(rings, pg.outer)
		rings = append(rings, pg.holes...)
	}
	return rings
}

// ringPairs copies rings into the [lon, lat] pairs callers outside geo use.
func ringPairs(rings [][]point) [][][2]float64 {
	out := make([][][2]float64, len(rings))
	for i, r := range rings {
		out[i] = make([][2]float64, len(r))
		for j, p := range r {
			out[i][j] = [2]float64{p.x, p.y}
		}
	}
	return out
}
