package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

type areaOut struct {
	Code        string `json:"code"`
	Kind        string `json:"kind"`
	Number      string `json:"number"`
	NameEN      string `json:"name_en"`
	NameLocal   string `json:"name_local"`
	Reservation string `json:"reservation"`
	Parent      string `json:"parent"`
	District    string `json:"district"`
	Path        string `json:"path"`
	Children    *int   `json:"children"`
	Retired     bool   `json:"retired"`
}

type areaList struct {
	Areas     []areaOut `json:"areas"`
	Truncated bool      `json:"truncated"`
}

type errorOut struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// jharkhandAPI serves an API over the shipped Jharkhand geography plus any
// area files given.
func jharkhandAPI(t *testing.T, files ...string) string {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, nil)
	areas, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportAreas(ctx, geo.Importer(areas)); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		importAreaFile(t, db, f)
	}
	return startAPI(t, db).URL
}

func importAreaFile(t *testing.T, db *store.DB, csv string) {
	t.Helper()
	areas, err := geo.ParseCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportAreas(context.Background(), geo.Importer(areas)); err != nil {
		t.Fatal(err)
	}
}

func listAreas(t *testing.T, base, query string) areaList {
	t.Helper()
	var out areaList
	resp := getJSON(t, base+"/api/v1/areas?"+query, &out)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("?%s: status %d", query, resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("?%s: Cache-Control %q", query, cc)
	}
	return out
}

func wantError(t *testing.T, base, path string, status int, code string) errorOut {
	t.Helper()
	var out errorOut
	resp := getJSON(t, base+path, &out)
	if resp.StatusCode != status || out.Error.Code != code || out.Error.Message == "" {
		t.Errorf("GET %s: %d %+v, want %d %s", path, resp.StatusCode, out, status, code)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET %s: error with Cache-Control %q", path, cc)
	}
	return out
}

const boothFile = "code,kind,number,name_en,name_local,reservation,parent,district\n" +
	"JH-AC-063-B-0001,booth,1,Zila School,ज़िला स्कूल,,JH-AC-063,\n" +
	"JH-AC-063-B-0002,booth,2,Town Hall,,,JH-AC-063,\n"

func TestListAreasByKind(t *testing.T) {
	base := jharkhandAPI(t)
	if got := listAreas(t, base, "kind=pc"); len(got.Areas) != 14 || got.Truncated {
		t.Errorf("kind=pc: %d areas, truncated %v", len(got.Areas), got.Truncated)
	}
	acs := listAreas(t, base, "kind=ac").Areas
	if len(acs) != 81 {
		t.Fatalf("kind=ac: %d areas", len(acs))
	}
	ranchi := acs[62]
	want := areaOut{Code: "JH-AC-063", Kind: "ac", Number: "63", NameEN: "Ranchi", NameLocal: "रांची", Reservation: "GEN",
		Parent: "JH-PC-08", District: "JH-D-RANCHI"}
	if ranchi != want {
		t.Errorf("AC 63 = %+v, want %+v", ranchi, want)
	}
	poreyahat := acs[15]
	if poreyahat.Code != "JH-AC-016" || poreyahat.NameEN != "Poreyahat" || poreyahat.NameLocal != "पोड़ैयाहाट" {
		t.Errorf("AC 16 = %+v, want its Hindi name (a name without one is shown in English: see the booth in TestListAreasByParent)", poreyahat)
	}
	if got := listAreas(t, base, "kind=district"); len(got.Areas) != 24 {
		t.Errorf("kind=district: %d areas", len(got.Areas))
	}
	if got := listAreas(t, base, "kind=mandal"); got.Areas == nil || len(got.Areas) != 0 {
		t.Errorf("kind=mandal: %+v, want an empty list", got)
	}
}

func TestListAreasByParent(t *testing.T) {
	base := jharkhandAPI(t, boothFile)
	codes := func(l areaList) string {
		var c []string
		for _, a := range l.Areas {
			c = append(c, a.Code)
		}
		return strings.Join(c, " ")
	}
	for query, want := range map[string]string{
		"kind=ac&parent=JH-PC-08":     "JH-AC-050 JH-AC-061 JH-AC-062 JH-AC-063 JH-AC-064 JH-AC-065",
		"parent=JH-PC-08":             "JH-AC-050 JH-AC-061 JH-AC-062 JH-AC-063 JH-AC-064 JH-AC-065",
		"kind=ac&parent=JH-D-RANCHI":  "JH-AC-058 JH-AC-061 JH-AC-062 JH-AC-063 JH-AC-064 JH-AC-065 JH-AC-066",
		"kind=booth&parent=JH-AC-063": "JH-AC-063-B-0001 JH-AC-063-B-0002",
		"kind=booth&parent=JH-AC-064": "",
		"kind=pc&parent=JH-AC-063":    "",
	} {
		if got := codes(listAreas(t, base, query)); got != want {
			t.Errorf("?%s: got %q, want %q", query, got, want)
		}
	}
	booth := listAreas(t, base, "parent=JH-AC-063").Areas[1]
	if booth.NameLocal != "Town Hall" || booth.Number != "2" || booth.Reservation != "" || booth.District != "" {
		t.Errorf("booth = %+v", booth)
	}
	wantError(t, base, "/api/v1/areas?kind=ac&parent=JH-D-NOWHERE", http.StatusNotFound, "not_found")
	wantError(t, base, "/api/v1/areas?parent="+url.QueryEscape("jh-pc-08"), http.StatusNotFound, "not_found")
}

func TestListAreasRejectsBadQueries(t *testing.T) {
	base := jharkhandAPI(t)
	e := wantError(t, base, "/api/v1/areas", http.StatusBadRequest, "invalid")
	if !strings.Contains(e.Error.Message, "kind") || !strings.Contains(e.Error.Message, "parent") {
		t.Errorf("message %q does not say what to give", e.Error.Message)
	}
	for _, kind := range []string{"AC", "1ac", "a-c", "ac;drop", " ac", "_ac"} {
		wantError(t, base, "/api/v1/areas?kind="+url.QueryEscape(kind), http.StatusBadRequest, "invalid")
	}
}

// Retired areas are not listed, but their own address still answers.
func TestRetiredAreas(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	areas, _ := geo.Jharkhand()
	if _, err := db.ImportAreas(ctx, geo.Importer(areas)); err != nil {
		t.Fatal(err)
	}
	importAreaFile(t, db, boothFile)
	// A file holding AC 63 and one of its booths retires the other booth.
	lines := strings.SplitAfter(boothFile, "\n")
	importAreaFile(t, db, lines[0]+"JH-AC-063,ac,63,Ranchi,रांची,GEN,JH-PC-08,JH-D-RANCHI\n"+lines[1])
	base := startAPI(t, db).URL
	if got := listAreas(t, base, "kind=booth"); len(got.Areas) != 1 || got.Areas[0].Code != "JH-AC-063-B-0001" {
		t.Errorf("live booths: %+v", got.Areas)
	}
	var retired areaOut
	getJSON(t, base+"/api/v1/areas/JH-AC-063-B-0002", &retired)
	if !retired.Retired {
		t.Errorf("retired booth = %+v", retired)
	}
	var ac areaOut
	getJSON(t, base+"/api/v1/areas/JH-AC-063", &ac)
	if ac.Children == nil || *ac.Children != 1 || ac.Retired {
		t.Errorf("JH-AC-063 = %+v, want 1 live child", ac)
	}
}

func TestGetArea(t *testing.T) {
	base := jharkhandAPI(t)
	var pc areaOut
	resp := getJSON(t, base+"/api/v1/areas/JH-PC-08", &pc)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("status %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if pc.Code != "JH-PC-08" || pc.Kind != "pc" || pc.Number != "8" || pc.NameEN != "Ranchi" || pc.Parent != "JH" ||
		pc.Path != "/IN/JH/JH-PC-08/" || pc.Children == nil || *pc.Children != 6 || pc.Retired {
		t.Errorf("JH-PC-08 = %+v", pc)
	}
	var district areaOut
	getJSON(t, base+"/api/v1/areas/JH-D-RANCHI", &district)
	if district.Kind != "district" || district.Children == nil || *district.Children != 7 {
		t.Errorf("JH-D-RANCHI = %+v, want 7 children (its ACs)", district)
	}
	var ac areaOut
	getJSON(t, base+"/api/v1/areas/JH-AC-016", &ac)
	if ac.NameLocal != "पोड़ैयाहाट" || ac.Children == nil || *ac.Children != 0 || ac.Parent != "JH-PC-03" {
		t.Errorf("JH-AC-016 = %+v", ac)
	}
	e := wantError(t, base, "/api/v1/areas/JH-PC-99", http.StatusNotFound, "not_found")
	if !strings.Contains(e.Error.Message, "JH-PC-99") {
		t.Errorf("message %q does not name the code", e.Error.Message)
	}
	wantError(t, base, "/api/v1/areas/%3Cscript%3E", http.StatusNotFound, "not_found")
}

func TestListAreasIsCapped(t *testing.T) {
	var file strings.Builder
	file.WriteString("code,kind,number,name_en,name_local,reservation,parent,district\n")
	for i := 1; i <= 5001; i++ {
		fmt.Fprintf(&file, "JH-AC-063-B-%04d,booth,%d,Booth %d,,,JH-AC-063,\n", i, i, i)
	}
	base := jharkhandAPI(t, file.String())
	for _, query := range []string{"kind=booth", "kind=booth&parent=JH-AC-063", "parent=JH-AC-063"} {
		got := listAreas(t, base, query)
		if len(got.Areas) != 5000 || !got.Truncated || got.Areas[4999].Code != "JH-AC-063-B-5000" {
			t.Errorf("?%s: %d areas, truncated %v", query, len(got.Areas), got.Truncated)
		}
	}
}
