package geo

import (
	"math"
	"reflect"
	"slices"
	"testing"
)

// The union of a PC's ACs must be the shipped PC shape, which was merged
// from the same ACs by another tool.
func TestUnionOfEachPCIsItsShape(t *testing.T) {
	byPC := childrenBy(t, func(a Area) string { return a.Parent })
	if len(byPC) != 14 {
		t.Fatalf("%d PCs have ACs, want 14", len(byPC))
	}
	for pc, acs := range byPC {
		rings, ok, err := Union(acs)
		if err != nil || !ok {
			t.Fatalf("Union(ACs of %s) = ok %v, %v", pc, ok, err)
		}
		shipped, _ := Outlines([]string{pc})
		want, got := ringsArea(shipped[pc]), ringsArea(rings)
		if math.Abs(got-want) > want/100 {
			t.Errorf("%s: union area %v, shipped %v (more than 1%% apart)", pc, got, want)
		}
		if len(rings) != 1 {
			t.Errorf("%s: union has %d rings, the shipped shape 1", pc, len(rings))
		}
		if sum := acAreaSum(t, acs); math.Abs(got-sum) > sum/1e6 {
			t.Errorf("%s: union area %v, sum of its ACs %v: borders overlap or left gaps", pc, got, sum)
		}
	}
}

// A district is drawn as one region: no internal borders survive.
func TestUnionOfEachDistrictIsOneRing(t *testing.T) {
	byDistrict := childrenBy(t, func(a Area) string { return a.District })
	if len(byDistrict) != 24 {
		t.Fatalf("%d districts have ACs, want 24", len(byDistrict))
	}
	for d, acs := range byDistrict {
		rings, ok, err := Union(acs)
		if err != nil || !ok || len(rings) != 1 {
			t.Errorf("Union(ACs of %s) = %d rings, ok %v, %v; want one ring", d, len(rings), ok, err)
			continue
		}
		r := rings[0]
		if r[0] != r[len(r)-1] {
			t.Errorf("%s: ring not closed", d)
		}
	}
}

func TestUnionOfApartACsKeepsBothRings(t *testing.T) {
	// Rajmahal (north-east) and Bhawanathpur (west) share no border.
	rings, ok, err := Union([]string{"JH-AC-001", "JH-AC-080"})
	if err != nil || !ok || len(rings) != 2 {
		t.Fatalf("Union of two distant ACs = %d rings, ok %v, %v; want 2", len(rings), ok, err)
	}
}

func TestUnionOfUnknownCode(t *testing.T) {
	for _, codes := range [][]string{nil, {"JH-AC-001", "JH-AC-999"}, {"JH-PC-01"}, {"JH-D-RANCHI"}} {
		rings, ok, err := Union(codes)
		if err != nil || ok || rings != nil {
			t.Errorf("Union(%q) = %d rings, ok %v, %v; want nothing, not ok", codes, len(rings), ok, err)
		}
	}
}

func TestUnionIsDeterministic(t *testing.T) {
	acs := []string{"JH-AC-061", "JH-AC-062", "JH-AC-063", "JH-AC-064", "JH-AC-065", "JH-AC-066", "JH-AC-067"}
	want, _, _ := Union(acs)
	shuffled := append(slices.Clone(acs[3:]), acs[:3]...)
	shuffled = append(shuffled, "JH-AC-063") // a repeat must not leave a seam
	for range 5 {
		got, _, _ := Union(shuffled)
		if !reflect.DeepEqual(got, want) {
			t.Fatal("Union gave a different outline for the same ACs")
		}
	}
}

// childrenBy groups the shipped ACs' codes by key (their PC or district).
func childrenBy(t *testing.T, key func(Area) string) map[string][]string {
	t.Helper()
	areas, err := Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string][]string{}
	for _, a := range areas {
		if a.Kind == "ac" {
			groups[key(a)] = append(groups[key(a)], a.Code)
		}
	}
	return groups
}

func acAreaSum(t *testing.T, acs []string) float64 {
	t.Helper()
	outlines, err := Outlines(acs)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, rings := range outlines {
		sum += ringsArea(rings)
	}
	return sum
}
