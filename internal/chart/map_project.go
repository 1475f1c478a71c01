package chart

import "math"

// projFit places [lon, lat] in the viewBox: equirectangular, x shrunk by
// the cosine of the middle latitude so shapes keep their proportions, the
// longer side fitted to mapWidth and north up.
type projFit struct {
	minLon, maxLat float64
	xScale, yScale float64
	width, height  int
}

func projFitAreas(areas []MapArea) (projFit, bool) {
	minLon, minLat := math.Inf(1), math.Inf(1)
	maxLon, maxLat := math.Inf(-1), math.Inf(-1)
	for _, a := range areas {
		for _, r := range a.Rings {
			for _, p := range r {
				if !projWGS84(p) {
					continue
				}
				minLon, maxLon = min(minLon, p[0]), max(maxLon, p[0])
				minLat, maxLat = min(minLat, p[1]), max(maxLat, p[1])
			}
		}
	}
	cos := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	w, h := (maxLon-minLon)*cos, maxLat-minLat
	if !(max(w, h) > 0) { // nothing, one point, or NaN
		return projFit{}, false
	}
	scale := (mapWidth - 2*mapPad) / max(w, h)
	return projFit{
		minLon: minLon, maxLat: maxLat,
		xScale: cos * scale, yScale: scale,
		width:  int(math.Ceil(w*scale)) + 2*mapPad,
		height: int(math.Ceil(h*scale)) + 2*mapPad,
	}, true
}

func (f projFit) point(p [2]float64) [2]float64 {
	return [2]float64{(p[0]-f.minLon)*f.xScale + mapPad, (f.maxLat-p[1])*f.yScale + mapPad}
}

// projWGS84 keeps out positions that are not a longitude and latitude (NaN, ±Inf,
// out of range), which would otherwise blow the fit up.
func projWGS84(p [2]float64) bool {
	return math.Abs(p[0]) <= 180 && math.Abs(p[1]) <= 90
}

// ring projects a ring and drops what a path does not need: positions
// that are not WGS84, repeated positions, and GeoJSON's closing repeat.
func (f projFit) ring(r [][2]float64) [][2]float64 {
	out := make([][2]float64, 0, len(r))
	for _, p := range r {
		if !projWGS84(p) {
			continue
		}
		q := f.point(p)
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}
