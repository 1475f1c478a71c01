package geo

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func jharkhandByCode(t *testing.T) map[string]Area {
	t.Helper()
	areas, err := Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]Area{}
	for _, a := range areas {
		if _, dup := byCode[a.Code]; dup {
			t.Fatalf("code %s twice", a.Code)
		}
		byCode[a.Code] = a
	}
	return byCode
}

func TestJharkhandCounts(t *testing.T) {
	kinds := map[string]int{}
	for _, a := range jharkhandByCode(t) {
		kinds[a.Kind]++
	}
	want := map[string]int{"country": 1, "state": 1, "pc": 14, "ac": 81, "district": 24}
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Errorf("kinds = %v, want %v", kinds, want)
	}
}

func TestJharkhandAreas(t *testing.T) {
	byCode := jharkhandByCode(t)
	for code, want := range map[string]Area{
		"JH":                       {Kind: "state", Parent: "IN"},
		"JH-PC-01":                 {Kind: "pc", Number: "1", NameEN: "Rajmahal", Reservation: "ST", Parent: "JH"},
		"JH-PC-14":                 {Kind: "pc", Number: "14", NameEN: "Hazaribagh", Parent: "JH"},
		"JH-AC-001":                {Kind: "ac", Number: "1", NameEN: "Rajmahal", Parent: "JH-PC-01", District: "JH-D-SAHEBGANJ"},
		"JH-AC-063":                {Kind: "ac", Number: "63", NameEN: "Ranchi", NameLocal: "रांची", Parent: "JH-PC-08", District: "JH-D-RANCHI"},
		"JH-AC-081":                {Kind: "ac", Number: "81", NameEN: "Bhawanathpur", Parent: "JH-PC-13", District: "JH-D-GARHWA"},
		"JH-D-EAST-SINGHBHUM":      {Kind: "district", NameEN: "East Singhbhum", Parent: "JH"},
		"JH-D-SARAIKELA-KHARSAWAN": {Kind: "district", NameEN: "Saraikela Kharsawan", Parent: "JH"},
	} {
		a, ok := byCode[code]
		if !ok {
			t.Errorf("%s missing", code)
			continue
		}
		if a.Kind != want.Kind || a.Parent != want.Parent || a.District != want.District ||
			(want.Number != "" && a.Number != want.Number) || (want.NameEN != "" && a.NameEN != want.NameEN) ||
			(want.NameLocal != "" && a.NameLocal != want.NameLocal) || (want.Reservation != "" && a.Reservation != want.Reservation) {
			t.Errorf("%s = %+v, want %+v", code, a, want)
		}
	}
	for _, a := range byCode {
		if a.Kind == "ac" && byCode[a.District].Kind != "district" {
			t.Errorf("%s has district %q, which is not a shipped district", a.Code, a.District)
		}
	}
}

func TestJharkhandHindiVariantsBecomeAliases(t *testing.T) {
	byCode := jharkhandByCode(t)
	// The five ACs the sources disagreed on carry the Hindi press's usual
	// spelling (SOURCES.md §7); the others stay aliases.
	for code, want := range map[string][2]string{
		"JH-AC-016": {"पोड़ैयाहाट", "[पोरेयाहाट]"},
		"JH-AC-048": {"जमशेदपुर पूर्वी", "[जमशेदपुर पूर्व]"},
		"JH-AC-049": {"जमशेदपुर पश्चिमी", "[जमशेदपुर पश्चिम]"},
		"JH-AC-069": {"बिशुनपुर", "[विशुनपुर]"},
		"JH-AC-076": {"डालटनगंज", "[डाल्टनगंज डाल्टेनगंज]"},
	} {
		if a := byCode[code]; a.NameLocal != want[0] || fmt.Sprint(a.Aliases) != want[1] {
			t.Errorf("%s: local %q aliases %q; want %q and %s", code, a.NameLocal, a.Aliases, want[0], want[1])
		}
	}
	for _, a := range byCode {
		if a.Kind == "ac" && a.NameLocal == "" {
			t.Errorf("%s (%s) has no Hindi name", a.Code, a.NameEN)
		}
	}
	barhait := byCode["JH-AC-003"]
	if barhait.NameLocal != "बरहेट" || fmt.Sprint(barhait.Aliases) != "[बरहैट]" {
		t.Errorf("Barhait: local %q aliases %q; want बरहेट with the other spelling as alias", barhait.NameLocal, barhait.Aliases)
	}
	if len(byCode["JH-AC-063"].Aliases) != 0 {
		t.Errorf("Ranchi AC has aliases %q; the sources agree on it", byCode["JH-AC-063"].Aliases)
	}
}

func TestJharkhandPlansAndReimportsCleanly(t *testing.T) {
	areas, err := Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	stored := importAll(t, nil, areas)
	if got, want := pathOf(stored, "JH-AC-063"), "/IN/JH/JH-PC-08/JH-AC-063/"; got != want {
		t.Errorf("JH-AC-063 path = %q, want %q", got, want)
	}
	if got, want := pathOf(stored, "JH-D-EAST-SINGHBHUM"), "/IN/JH/JH-D-EAST-SINGHBHUM/"; got != want {
		t.Errorf("district path = %q, want %q", got, want)
	}
	if p, err := PlanImport(stored, areas); err != nil || !p.Empty() {
		t.Errorf("re-import: plan %+v, err %v; want nothing", p, err)
	}
}

// The shapes and the CSV come from different sources; they must agree on
// which PC each AC belongs to, or Locate would put people in the wrong PC.
func TestJharkhandShapesMatchTheTree(t *testing.T) {
	byCode := jharkhandByCode(t)
	var fc struct {
		Features []struct {
			Properties struct {
				ACNo int `json:"ac_no"`
				PCNo int `json:"pc_no"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(JharkhandACGeoJSON(), &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 81 {
		t.Fatalf("%d AC features, want 81", len(fc.Features))
	}
	for _, f := range fc.Features {
		ac := byCode[acCode(f.Properties.ACNo)]
		if ac.Parent != pcCode(f.Properties.PCNo) {
			t.Errorf("AC %d: shape says PC %d, tree says %s", f.Properties.ACNo, f.Properties.PCNo, ac.Parent)
		}
	}
	shapes, err := JharkhandACs()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(shapes.Codes()); n != 81 {
		t.Errorf("%d AC shapes, want 81", n)
	}
	if pcs := JharkhandPCGeoJSON(); !strings.Contains(string(pcs), `"FeatureCollection"`) {
		t.Error("PC GeoJSON is not a FeatureCollection")
	}
}

func TestJharkhandShapesNotice(t *testing.T) {
	notice := JharkhandShapesNotice()
	for _, want := range []string{"MIT License", "Copyright (c) 2017 Hindustan Times", "THE SOFTWARE IS PROVIDED \"AS IS\""} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
}
