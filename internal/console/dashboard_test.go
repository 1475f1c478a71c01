package console

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jodo-org/jodo/internal/chart"
)

// The map's bands: under 25, 25–50, 50–75, 75–100, 100 and over, and
// "none" without a target.
func TestBandOf(t *testing.T) {
	f := func(p float64) *float64 { return &p }
	for _, c := range []struct {
		p    *float64
		want string
	}{{nil, "none"}, {f(0), "b0"}, {f(24.9), "b0"}, {f(25), "b1"}, {f(49.9), "b1"}, {f(50), "b2"}, {f(75), "b3"}, {f(99.9), "b3"}, {f(100), "b4"}, {f(250), "b4"}} {
		if got := bandOf(c.p); got != c.want {
			t.Errorf("bandOf(%v) = %s, want %s", c.p, got, c.want)
		}
	}
}

// Links keep the view: a drill-down keeps drive, tree and map metric but
// starts the child's table afresh; a query read back gives the same link.
func TestDashQueryLinks(t *testing.T) {
	q := readDashQuery(url.Values{"drive": {"jh"}, "area": {" JH "}, "tree": {"district"}, "metric": {"volunteers"}, "sort": {"members"}, "desc": {"1"}, "page": {"2"}})
	if got := q.href("/console"); got != "/console?area=JH&desc=1&drive=jh&metric=volunteers&page=2&sort=members&tree=district" {
		t.Errorf("href %s", got)
	}
	if got := q.drill("JH-D-RANCHI"); got != "/console?area=JH-D-RANCHI&drive=jh&metric=volunteers&tree=district" {
		t.Errorf("drill %s", got)
	}
	if q := readDashQuery(url.Values{"metric": {"<script>"}}); q.Metric != "" {
		t.Errorf("an unknown metric is kept: %q", q.Metric)
	}
}

// A map drawn before comes from the cache; any change of what it is drawn
// from draws it anew.
func TestMapCache(t *testing.T) {
	m := newMapCache()
	square := [][][2]float64{{{85, 23}, {85.1, 23}, {85.1, 23.1}, {85, 23.1}, {85, 23}}}
	areas := []chart.MapArea{{Code: "JH-PC-08", Href: "/a", Title: "Ranchi: 10.0%", Class: "b0", Rings: square}}
	first := m.draw(areas, "map")
	if !strings.Contains(string(first), "Ranchi: 10.0%") || m.draw(areas, "map") != first || len(m.svgs) != 1 {
		t.Fatalf("drawn again or not kept: %d kept", len(m.svgs))
	}
	areas[0].Title, areas[0].Class = "Ranchi: 30.0%", "b1"
	if again := m.draw(areas, "map"); again == first || !strings.Contains(string(again), `class="b1"`) {
		t.Error("a changed percent gives the old map")
	}
}

// Pages drawn at once share the cache: run under -race (.ci/run does),
// every answer is the map its own input draws, through refills.
func TestMapCacheShared(t *testing.T) {
	m := newMapCache()
	square := [][][2]float64{{{85, 23}, {85.1, 23}, {85.1, 23.1}, {85, 23.1}, {85, 23}}}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 3 * mapCacheSize {
				title := fmt.Sprintf("area %d-%d", g%2, i)
				areas := []chart.MapArea{{Code: "X", Href: "/x", Title: title, Class: "b0", Rings: square}}
				if got := m.draw(areas, "map"); got != chart.MapSVG(areas, "map") {
					t.Errorf("%s: the cache gave another map", title)
					return
				}
				m.keepDistrict(title, square)
				if _, ok := m.district(title); !ok {
					t.Errorf("%s: the outline kept is gone", title)
				}
			}
		})
	}
	wg.Wait()
}
