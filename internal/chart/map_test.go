package chart

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"html/template"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/geo"
)

// jharkhandMap gives the MapAreas of one level of the shipped geography:
// "ac", "pc", or "district" (unions of their ACs).
func jharkhandMap(t *testing.T, kind string) []MapArea {
	t.Helper()
	all, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	acsOf := map[string][]string{}
	var codes []string
	for _, a := range all {
		if a.Kind == "ac" {
			acsOf[a.District] = append(acsOf[a.District], a.Code)
		}
		if a.Kind == kind {
			codes = append(codes, a.Code)
		}
	}
	outlines, err := geo.Outlines(codes)
	if err != nil {
		t.Fatal(err)
	}
	areas := make([]MapArea, len(codes))
	for i, c := range codes {
		rings, ok := outlines[c], true
		if kind == "district" {
			rings, ok, err = geo.Union(acsOf[c])
		}
		if err != nil || !ok || len(rings) == 0 {
			t.Fatalf("no rings for %s: ok %v, %v", c, ok, err)
		}
		areas[i] = MapArea{
			Code: c, Href: "/console?area=" + c, Title: fmt.Sprintf("%s: %d.0%%", c, i*7%100),
			Class: fmt.Sprintf("b%d", i%5), Rings: rings,
		}
	}
	return areas
}

func TestMapOfJharkhandIsSmall(t *testing.T) {
	for _, level := range []struct {
		kind  string
		count int
	}{{"ac", 81}, {"pc", 14}, {"district", 24}} {
		areas := jharkhandMap(t, level.kind)
		svg := string(MapSVG(areas, "Jharkhand"))
		t.Logf("map of %d %ss: %d bytes", len(areas), level.kind, len(svg))
		if len(areas) != level.count {
			t.Errorf("%d %ss, want %d", len(areas), level.kind, level.count)
		}
		if len(svg) >= 100_000 {
			t.Errorf("map of the %ss is %d bytes, want < 100 KB", level.kind, len(svg))
		}
		if n := strings.Count(svg, "<path "); n != level.count {
			t.Errorf("map of the %ss has %d paths, want %d", level.kind, n, level.count)
		}
	}
}

// svgDoc is what a reader of the map sees: links, each with a title and
// a path.
type svgDoc struct {
	XMLName xml.Name  `xml:"svg"`
	Role    string    `xml:"role,attr"`
	Label   string    `xml:"aria-label,attr"`
	ViewBox string    `xml:"viewBox,attr"`
	Links   []svgArea `xml:"a"`
	Groups  []svgArea `xml:"g"`
}

type svgArea struct {
	Href  string `xml:"href,attr"`
	Title string `xml:"title"`
	Path  struct {
		Class string `xml:"class,attr"`
		Code  string `xml:"data-code,attr"`
		D     string `xml:"d,attr"`
	} `xml:"path"`
}

func parseMap(t *testing.T, svg template.HTML) svgDoc {
	t.Helper()
	var doc svgDoc
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("the map is not well-formed XML: %v\n%.500s", err, svg)
	}
	return doc
}

func TestMapHasALinkTitleAndPathPerArea(t *testing.T) {
	areas := jharkhandMap(t, "pc")
	areas[3].Href = "" // no drill-down below this one
	doc := parseMap(t, MapSVG(areas, "Progress by PC"))
	if doc.Role != "group" || doc.Label != "Progress by PC" || doc.ViewBox == "" {
		t.Errorf("svg role %q, label %q, viewBox %q", doc.Role, doc.Label, doc.ViewBox)
	}
	if len(doc.Links) != 13 || len(doc.Groups) != 1 || doc.Groups[0].Path.Code != areas[3].Code {
		t.Fatalf("%d links and %d groups, want 13 links and the group of %s", len(doc.Links), len(doc.Groups), areas[3].Code)
	}
	for i, l := range doc.Links {
		a := areas[i]
		if i >= 3 {
			a = areas[i+1]
		}
		if l.Href != a.Href || l.Title != a.Title || l.Path.Class != a.Class || l.Path.Code != a.Code {
			t.Errorf("area %d: link %q title %q class %q code %q; want %+v", i, l.Href, l.Title, l.Path.Class, l.Path.Code, a)
		}
		if !strings.HasPrefix(l.Path.D, "M") || !strings.HasSuffix(l.Path.D, "z") {
			t.Errorf("%s: path data %.40q…", a.Code, l.Path.D)
		}
	}
}

func TestMapEscapesEverything(t *testing.T) {
	square := [][][2]float64{{{85, 23}, {86, 23}, {86, 24}, {85, 24}, {85, 23}}}
	hostile := `"><script>alert(1)</script>&'`
	svg := MapSVG([]MapArea{
		{Code: hostile, Href: "javascript:alert(1)", Title: hostile, Class: hostile, Rings: square},
		{Code: "B", Href: `/console?area=B&tree=pc"onmouseover="x`, Title: "B", Class: "b1", Rings: square},
	}, hostile)
	if strings.Contains(string(svg), "<script") || strings.Contains(string(svg), "javascript:") {
		t.Fatalf("hostile input came through:\n%s", svg)
	}
	doc := parseMap(t, svg)
	if doc.Label != hostile || doc.Links[0].Title != hostile || doc.Links[0].Path.Class != hostile || doc.Links[0].Path.Code != hostile {
		t.Errorf("escaped text does not read back as given: %+v", doc)
	}
	if doc.Links[1].Href != `/console?area=B&tree=pc%22onmouseover=%22x` {
		t.Errorf("second href = %q", doc.Links[1].Href)
	}
}

func TestMapIsDeterministic(t *testing.T) {
	areas := jharkhandMap(t, "ac")
	want := MapSVG(areas, "ACs")
	for range 3 {
		if got := MapSVG(slices.Clone(areas), "ACs"); got != want {
			t.Fatal("the same areas gave a different map")
		}
	}
}

func TestMapWithNothingToDraw(t *testing.T) {
	for _, areas := range [][]MapArea{nil, {{Code: "A"}}, {{Code: "P", Rings: [][][2]float64{{{85, 23}, {85, 23}, {85, 23}}}}}} {
		if got := MapSVG(areas, "empty"); got != "" {
			t.Errorf("MapSVG(%v) = %.80q, want nothing", areas, got)
		}
	}
}

// Neighbours must keep sharing their borders after simplification: then
// every inner border is drawn once each way and cancels, and what is left
// is the state's outline, one ring. Simplifying each area on its own would
// leave the inner borders (slivers and gaps) behind.
func TestMapNeighboursShareBorders(t *testing.T) {
	for _, kind := range []string{"ac", "district"} {
		doc := parseMap(t, MapSVG(jharkhandMap(t, kind), "Jharkhand"))
		left := map[[2][2]int]int{}
		for _, l := range doc.Links {
			for _, ring := range pathRings(t, l.Path.D) {
				for i := range ring {
					e := [2][2]int{ring[i], ring[(i+1)%len(ring)]}
					if back := [2][2]int{e[1], e[0]}; left[back] > 0 {
						left[back]--
					} else {
						left[e]++
					}
				}
			}
		}
		next := map[[2]int][2]int{}
		for e, n := range left {
			for range n {
				next[e[0]] = e[1]
			}
		}
		start := slices.MinFunc(slices.Collect(maps.Keys(next)), func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
		walked := 1
		for at := next[start]; at != start && walked <= len(next); at = next[at] {
			walked++
		}
		if edges := countEdges(left); walked != len(next) || walked != edges {
			t.Errorf("%s map: after inner borders cancel, %d edges remain, the outline walks %d: borders do not match", kind, edges, walked)
		}
	}
}

func countEdges(m map[[2][2]int]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

var pathToken = regexp.MustCompile(`[Mlz]|-?[0-9]*\.?[0-9]+`)

// pathRings reads back the absolute tenths of the M…l…z path data MapSVG
// writes.
func pathRings(t *testing.T, d string) [][][2]int {
	t.Helper()
	var rings [][][2]int
	var nums []int
	for _, tok := range pathToken.FindAllString(d, -1) {
		switch tok {
		case "M", "l":
		case "z":
			ring := [][2]int{{nums[0], nums[1]}}
			for i := 2; i+1 < len(nums); i += 2 {
				prev := ring[len(ring)-1]
				ring = append(ring, [2]int{prev[0] + nums[i], prev[1] + nums[i+1]})
			}
			rings, nums = append(rings, ring), nil
		default:
			f, err := strconv.ParseFloat(tok, 64)
			if err != nil {
				t.Fatalf("path number %q: %v", tok, err)
			}
			nums = append(nums, int(math.Round(f*10)))
		}
	}
	return rings
}
