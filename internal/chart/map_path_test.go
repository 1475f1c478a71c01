package chart

import (
	"encoding/binary"
	"encoding/xml"
	"math"
	"strings"
	"testing"
)

func TestMapNumbers(t *testing.T) {
	var d strings.Builder
	for _, n := range []int{0, 5, 15, 120, -5, -15, -120, 7} {
		mapWriteNumber(&d, n, true)
	}
	if want := " 0 .5 1.5 12-.5-1.5-12 .7"; d.String() != want {
		t.Errorf("numbers written as %q, want %q", d.String(), want)
	}
}

func TestMapDropsSubPixelRings(t *testing.T) {
	big := [][2]float64{{85, 23}, {86, 23}, {86, 24}, {85, 24}}
	speck := [][2]float64{{85.5, 23.5}, {85.5001, 23.5}, {85.5001, 23.5001}}
	svg := string(MapSVG([]MapArea{{Code: "A", Href: "/a", Rings: [][][2]float64{big, speck}}}, "map"))
	if n := strings.Count(svg, "M"); n != 1 {
		t.Errorf("%d rings drawn, want the big one only:\n%s", n, svg)
	}
}

// FuzzMapSVG feeds rings of any numbers, NaN and infinities included: the
// map must stay well-formed and never panic.
func FuzzMapSVG(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		var ring [][2]float64
		for len(data) >= 16 {
			ring = append(ring, [2]float64{
				math.Float64frombits(binary.LittleEndian.Uint64(data)),
				math.Float64frombits(binary.LittleEndian.Uint64(data[8:])),
			})
			data = data[16:]
		}
		half := len(ring) / 2
		svg := MapSVG([]MapArea{
			{Code: "A", Href: "/a", Title: "a", Rings: [][][2]float64{ring}},
			{Code: "B", Title: "b", Rings: [][][2]float64{ring[half:], ring[:half]}},
		}, "fuzz")
		if svg == "" {
			return
		}
		var doc struct{}
		if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
	})
}
