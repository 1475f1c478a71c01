package geo

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestJharkhandLocate(t *testing.T) {
	shapes, err := JharkhandACs()
	if err != nil {
		t.Fatal(err)
	}
	byCode := jharkhandByCode(t)
	// Town centres, checked once against the shapes with an independent
	// ray-casting script; each falls in the AC named after the town.
	tests := []struct {
		town     string
		lat, lon float64
		ac, pc   string
	}{
		{"Ranchi (Main Road, inside Hatia AC)", 23.3441, 85.3096, "JH-AC-064", "JH-PC-08"},
		{"Jamshedpur", 22.8046, 86.2029, "JH-AC-048", "JH-PC-09"},
		{"Dhanbad", 23.7957, 86.4304, "JH-AC-040", "JH-PC-07"},
		{"Dumka", 24.2676, 87.2497, "JH-AC-010", "JH-PC-02"},
		{"Deoghar", 24.4820, 86.6950, "JH-AC-015", "JH-PC-03"},
		{"Hazaribagh", 23.9925, 85.3637, "JH-AC-025", "JH-PC-14"},
		{"Daltonganj", 24.0387, 84.0665, "JH-AC-076", "JH-PC-13"},
	}
	for _, tt := range tests {
		code, ok := shapes.Locate(tt.lat, tt.lon)
		if !ok || code != tt.ac || byCode[code].Parent != tt.pc {
			t.Errorf("%s: Locate = %q, %v (PC %q); want %s in %s", tt.town, code, ok, byCode[code].Parent, tt.ac, tt.pc)
		}
	}
	for _, out := range []struct {
		place    string
		lat, lon float64
	}{{"Delhi", 28.61, 77.21}, {"Kolkata", 22.57, 88.36}, {"lat/lon swapped", 85.3096, 23.3441}} {
		if code, ok := shapes.Locate(out.lat, out.lon); ok {
			t.Errorf("%s: Locate = %q, want nothing", out.place, code)
		}
	}
}

// A square with a square hole, and a MultiPolygon of two separate squares.
const handMade = `{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"code":"RING"},"geometry":{"type":"Polygon","coordinates":[
   [[0,0],[10,0],[10,10],[0,10],[0,0]],
   [[4,4],[6,4],[6,6],[4,6],[4,4]]]}},
 {"type":"Feature","properties":{"code":"PAIR"},"geometry":{"type":"MultiPolygon","coordinates":[
   [[[20,0],[22,0],[22,2],[20,2],[20,0]]],
   [[[30,0,5],[32,0,5],[32,2,5],[30,2,5]]]]}},
 {"type":"Feature","properties":{"code":"INSIDE-HOLE"},"geometry":{"type":"Polygon","coordinates":[
   [[4.5,4.5],[5.5,4.5],[5.5,5.5],[4.5,5.5],[4.5,4.5]]]}}
]}`

func codeProperty(props map[string]any) (string, error) {
	c, ok := props["code"].(string)
	if !ok {
		return "", errors.New("no code property")
	}
	return c, nil
}

func TestLocateHolesAndMultiPolygons(t *testing.T) {
	shapes, err := ParseShapes([]byte(handMade), codeProperty)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lat, lon float64
		want     string
	}{
		{1, 1, "RING"},
		{5, 3, "RING"},        // beside the hole
		{4.2, 4.2, ""},        // in the hole, outside the island
		{5, 5, "INSIDE-HOLE"}, // on the island inside the hole
		{1, 21, "PAIR"},       // first part
		{1, 31, "PAIR"},       // second part: unclosed ring, with Z values
		{1, 25, ""},           // between the parts
		{-1, 1, ""},           // outside everything
	} {
		code, ok := shapes.Locate(tt.lat, tt.lon)
		if code != tt.want || ok != (tt.want != "") {
			t.Errorf("Locate(%v, %v) = %q, %v; want %q", tt.lat, tt.lon, code, ok, tt.want)
		}
	}
}

func TestParseShapesMergesPiecesOfOneCode(t *testing.T) {
	doubled := strings.Replace(handMade, `"code":"INSIDE-HOLE"`, `"code":"PAIR"`, 1)
	shapes, err := ParseShapes([]byte(doubled), codeProperty)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(shapes.Codes()); got != "[RING PAIR]" {
		t.Errorf("codes = %s, want [RING PAIR]", got)
	}
	if code, _ := shapes.Locate(5, 5); code != "PAIR" {
		t.Errorf("Locate in the merged piece = %q, want PAIR", code)
	}
}

func TestParseShapesRefusesBadInput(t *testing.T) {
	feature := func(props, geometry string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":` + props + `,"geometry":` + geometry + `}]}`
	}
	square := `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`
	for _, tt := range []struct{ name, json, want string }{
		{"not JSON", `{`, "unexpected end"},
		{"not a collection", `{"type":"Feature"}`, "want FeatureCollection"},
		{"point", feature(`{"code":"A"}`, `{"type":"Point","coordinates":[0,0]}`), `"Point" cannot contain`},
		{"no geometry", feature(`{"code":"A"}`, `null`), "no geometry"},
		{"no code", feature(`{}`, square), "no code property"},
		{"bad code", feature(`{"code":"a b"}`, square), "not a valid area code"},
		{"short ring", feature(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}`), "at least 3"},
		{"out of range", feature(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1]]]}`), "not a WGS84"},
	} {
		_, err := ParseShapes([]byte(tt.json), codeProperty)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func BenchmarkJharkhandLocate(b *testing.B) {
	shapes, err := JharkhandACs()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		shapes.Locate(23.3441, 85.3096)
	}
}

// A drive rooted in Jharkhand, at the state or below it, locates with the
// shipped shapes; one rooted elsewhere locates nothing.
func TestACShapesFollowTheRootArea(t *testing.T) {
	for _, tt := range []struct {
		path string
		want string
	}{{"/IN/JH/", "JH-AC-064"}, {"/IN/JH/JH-PC-08/", "JH-AC-064"}, {"/IN/BR/", ""}, {"/JHX/", ""}} {
		shapes, err := ACShapes(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if code, _ := shapes.Locate(23.3441, 85.3096); code != tt.want {
			t.Errorf("ACShapes(%q) locates Ranchi in %q, want %q", tt.path, code, tt.want)
		}
	}
}
