package geo

import (
	"math"
	"testing"
)

func TestOutlines(t *testing.T) {
	got, err := Outlines([]string{"JH-AC-063", "JH-PC-08", "JH-D-RANCHI", "XX-AC-001", "JH-AC-999"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["JH-AC-063"] == nil || got["JH-PC-08"] == nil {
		t.Fatalf("Outlines has %d codes (%v), want only JH-AC-063 and JH-PC-08", len(got), keys(got))
	}
	pc := got["JH-PC-08"]
	// Ranchi PC holds Ranchi AC (JH-AC-063), so its outline is larger.
	if a, p := ringsArea(got["JH-AC-063"]), ringsArea(pc); a <= 0 || p <= a {
		t.Errorf("area of AC 063 = %v, of PC 08 = %v; want 0 < AC < PC", a, p)
	}
	first, last := pc[0][0], pc[0][len(pc[0])-1]
	if first != last {
		t.Errorf("ring not closed: starts %v, ends %v", first, last)
	}
	pc[0][0] = [2]float64{0, 0}
	again, _ := Outlines([]string{"JH-PC-08"})
	if again["JH-PC-08"][0][0] != first {
		t.Error("changing a returned ring changed the shared shapes")
	}
}

func TestOutlinesOfEveryShippedCode(t *testing.T) {
	areas, err := Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, a := range areas {
		if a.Kind == "ac" || a.Kind == "pc" {
			codes = append(codes, a.Code)
		}
	}
	got, err := Outlines(codes)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 81+14 {
		t.Errorf("Outlines of the 81 ACs and 14 PCs has %d codes", len(got))
	}
}

// ringsArea is the shoelace area in square degrees. Holes wind the other
// way from their outer ring, so summing signed areas subtracts them; the
// shipped rings wind clockwise, hence the absolute value.
func ringsArea(rings [][][2]float64) float64 {
	var sum float64
	for _, r := range rings {
		for i := range r {
			a, b := r[i], r[(i+1)%len(r)]
			sum += a[0]*b[1] - b[0]*a[1]
		}
	}
	return math.Abs(sum / 2)
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
