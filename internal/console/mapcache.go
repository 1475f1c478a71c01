package console

import (
	"crypto/sha256"
	"html/template"
	"sync"

	"github.com/jodo-org/jodo/internal/chart"
)

// mapCache keeps drawn maps and districts' outlines. Drawing the 14 PCs
// takes about 7 ms and uniting the 24 districts' ACs about 10 ms, a
// third of the page's budget, while an open page asks for the same map
// every poll. A map is kept by all it is drawn from (chart.MapSVG gives
// the same bytes for the same input), so a changed percent, link or
// language is a new entry; the whole cache is dropped when it fills.
type mapCache struct {
	mu        sync.Mutex
	svgs      map[[sha256.Size]byte]template.HTML
	districts map[string][][][2]float64 // a district's ACs' union, by code
}

// mapCacheSize bounds the drawn maps kept: a few hundred KB at most.
const mapCacheSize = 64

func newMapCache() *mapCache {
	return &mapCache{svgs: map[[sha256.Size]byte]template.HTML{}, districts: map[string][][][2]float64{}}
}

// draw is chart.MapSVG(areas, label), from the cache when drawn before.
func (m *mapCache) draw(areas []chart.MapArea, label string) template.HTML {
	h := sha256.New()
	field := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	field(label)
	for _, a := range areas {
		field(a.Code)
		field(a.Href)
		field(a.Title)
		field(a.Class)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	m.mu.Lock()
	svg, ok := m.svgs[key]
	m.mu.Unlock()
	if ok {
		return svg
	}
	svg = chart.MapSVG(areas, label)
	m.mu.Lock()
	if len(m.svgs) >= mapCacheSize {
		clear(m.svgs)
	}
	m.svgs[key] = svg
	m.mu.Unlock()
	return svg
}

// district is the kept outline of a district, if any.
func (m *mapCache) district(code string) ([][][2]float64, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rings, ok := m.districts[code]
	return rings, ok
}

func (m *mapCache) keepDistrict(code string, rings [][][2]float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.districts[code] = rings
}
