package chart

import (
	"strconv"
	"strings"
)

// mapPathData returns each area's path data ("" when nothing is left to
// draw): projected, simplified along shared arcs, rounded to a tenth of a
// unit, written with relative lines.
func mapPathData(areas []MapArea, fit projFit) []string {
	projected := make([][][][2]float64, len(areas))
	for i, a := range areas {
		for _, r := range a.Rings {
			if pr := fit.ring(r); len(pr) >= 3 {
				projected[i] = append(projected[i], pr)
			}
		}
	}
	topo := newMapTopology(projected)
	data := make([]string, len(areas))
	for i, rings := range projected {
		var d strings.Builder
		for _, r := range rings {
			mapWriteRing(&d, mapTenths(topo.simplify(r, mapTolerance)))
		}
		data[i] = d.String()
	}
	return data
}

// mapTenths rounds a ring to tenths of a unit, dropping the positions that
// rounding makes repeat.
func mapTenths(ring [][2]float64) [][2]int {
	out := make([][2]int, 0, len(ring))
	for _, p := range ring {
		q := [2]int{int(p[0]*10 + 0.5), int(p[1]*10 + 0.5)} // positive: the viewBox starts at 0
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

// mapWriteRing writes "M x y l dx dy … z", or nothing for a ring that
// simplification flattened or that fits inside one unit (a pixel).
func mapWriteRing(d *strings.Builder, ring [][2]int) {
	if len(ring) < 3 || mapSubPixel(ring) {
		return
	}
	d.WriteByte('M')
	mapWriteNumber(d, ring[0][0], false)
	mapWriteNumber(d, ring[0][1], true)
	d.WriteByte('l')
	for i := 1; i < len(ring); i++ {
		mapWriteNumber(d, ring[i][0]-ring[i-1][0], i > 1)
		mapWriteNumber(d, ring[i][1]-ring[i-1][1], true)
	}
	d.WriteByte('z')
}

func mapSubPixel(ring [][2]int) bool {
	lo, hi := ring[0], ring[0]
	for _, p := range ring {
		lo = [2]int{min(lo[0], p[0]), min(lo[1], p[1])}
		hi = [2]int{max(hi[0], p[0]), max(hi[1], p[1])}
	}
	return hi[0]-lo[0] < 10 && hi[1]-lo[1] < 10
}

// mapWriteNumber writes tenths as a decimal without a leading zero
// ("1.5", ".5", "-.5", "12"); a minus sign separates numbers by itself.
func mapWriteNumber(d *strings.Builder, tenths int, separate bool) {
	if separate && tenths >= 0 {
		d.WriteByte(' ')
	}
	if tenths < 0 {
		d.WriteByte('-')
		tenths = -tenths
	}
	if whole := tenths / 10; whole != 0 || tenths%10 == 0 {
		d.WriteString(strconv.Itoa(whole))
	}
	if frac := tenths % 10; frac != 0 {
		d.WriteByte('.')
		d.WriteByte(byte('0' + frac))
	}
}
