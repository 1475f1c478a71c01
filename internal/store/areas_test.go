package store_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var areasEpoch = time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)

// jharkhandDB is a fresh database holding the shipped Jharkhand geography.
func jharkhandDB(t *testing.T) (*store.DB, *storetest.Clock) {
	t.Helper()
	clock := storetest.NewClock(areasEpoch)
	db := storetest.Open(t, clock)
	areas, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportAreas(context.Background(), geo.Importer(areas)); err != nil {
		t.Fatalf("import Jharkhand: %v", err)
	}
	return db, clock
}

func importCSV(t *testing.T, db *store.DB, csv string) store.AreaPlan {
	t.Helper()
	areas, err := geo.ParseCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	plan, err := db.ImportAreas(context.Background(), geo.Importer(areas))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return plan
}

func codesOf(areas []store.Area) []string {
	out := make([]string, len(areas))
	for i, a := range areas {
		out[i] = a.Code
	}
	return out
}

func wantCodes(t *testing.T, what string, got []store.Area, want ...string) {
	t.Helper()
	if g := codesOf(got); !slices.Equal(g, want) {
		t.Errorf("%s: got %v, want %v", what, g, want)
	}
}

func wantAppErr(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := apperr.CodeOf(err); err == nil || got != code {
		t.Errorf("%s: got error %v (code %s), want code %s", what, err, got, code)
	}
}

func TestImportJharkhand(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	for kind, want := range map[string]int{"pc": 14, "ac": 81, "district": 24, "state": 1, "country": 1} {
		got, err := db.ListAreas(ctx, store.AreaFilter{Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != want {
			t.Errorf("%s: got %d areas, want %d", kind, len(got), want)
		}
	}
	ac, err := db.GetArea(ctx, "JH-AC-063")
	if err != nil {
		t.Fatal(err)
	}
	if ac.Kind != "ac" || ac.Number != "63" || ac.NameEN != "Ranchi" || ac.NameLocal != "रांची" || ac.Reservation != "GEN" ||
		ac.Parent != "JH-PC-08" || ac.District != "JH-D-RANCHI" || ac.Path != "/IN/JH/JH-PC-08/JH-AC-063/" || ac.Retired || ac.ID == 0 {
		t.Errorf("JH-AC-063 = %+v", ac)
	}
	india, err := db.GetArea(ctx, "IN")
	if err != nil {
		t.Fatal(err)
	}
	if india.Parent != "" || india.Path != "/IN/" || india.Children != 1 {
		t.Errorf("IN = %+v", india)
	}
}

// Aliases and weights survive the round trip, which is what makes a
// re-import plan nothing.
func TestImportKeepsAliasesAndWeights(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	areas, _ := geo.Jharkhand()
	for _, want := range areas {
		if len(want.Aliases) == 0 && len(want.Weights) == 0 {
			continue
		}
		got, err := db.GetArea(ctx, want.Code)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Aliases, slices.Sorted(slices.Values(want.Aliases))) || !maps.Equal(got.Weights, want.Weights) {
			t.Errorf("%s: aliases %q weights %v, want %q %v", want.Code, got.Aliases, got.Weights, want.Aliases, want.Weights)
		}
	}
	importCSV(t, db, "code,kind,number,name_en,name_local,reservation,parent,district,aliases,electors\n"+
		"JH-AC-063-B-0001,booth,1,School,,,JH-AC-063,,Old School|पाठशाला,812.5\n")
	b, err := db.GetArea(ctx, "JH-AC-063-B-0001")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Aliases, []string{"Old School", "पाठशाला"}) || b.Weights["electors"] != 812.5 || len(b.Weights) != 1 {
		t.Errorf("booth aliases %q weights %v", b.Aliases, b.Weights)
	}
}

func TestReimportChangesNothing(t *testing.T) {
	ctx := context.Background()
	db, clock := jharkhandDB(t)
	before := updatedAt(t, db)
	clock.Advance(time.Hour)
	areas, _ := geo.Jharkhand()
	plan, err := db.ImportAreas(ctx, geo.Importer(areas))
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Empty() {
		t.Errorf("re-import planned %+v", plan)
	}
	if after := updatedAt(t, db); !maps.Equal(before, after) {
		t.Error("re-import changed updated_at")
	}
}

func updatedAt(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := db.View(context.Background(), func(tx *store.Tx) error {
		rows, err := rawsql.Tx(tx).QueryContext(context.Background(), "SELECT code, updated_at FROM areas")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			var at int64
			if err := rows.Scan(&code, &at); err != nil {
				return err
			}
			out[code] = at
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const boothHeader = "code,kind,number,name_en,name_local,reservation,parent,district\n"

const booths63 = "JH-AC-063-B-0001,booth,1,School,,,JH-AC-063,\n" +
	"JH-AC-063-B-0002,booth,2,Hall,,,JH-AC-063,\n" +
	"JH-AC-063-B-0002A,booth,2A,Hall (auxiliary),,,JH-AC-063,\n"

const booths64 = "JH-AC-064-B-0001,booth,1,Library,,,JH-AC-064,\n" +
	"JH-AC-064-B-0002,booth,2,Temple Road,,,JH-AC-064,\n"

func TestBoothFileRetiresOnlyItsOwnAC(t *testing.T) {
	ctx := context.Background()
	db, clock := jharkhandDB(t)
	importCSV(t, db, boothHeader+booths63+booths64)

	clock.Advance(time.Hour)
	// The file speaks for AC 63's booths because it holds AC 63 itself.
	without2A := boothHeader + "JH-AC-063,ac,63,Ranchi,रांची,GEN,JH-PC-08,JH-D-RANCHI\n" + strings.Join(strings.SplitAfter(booths63, "\n")[:2], "")
	plan := importCSV(t, db, without2A)
	if !slices.Equal(plan.Retire, []string{"JH-AC-063-B-0002A"}) || len(plan.Upserts) != 0 || len(plan.Unretire) != 0 {
		t.Fatalf("plan = %+v, want only JH-AC-063-B-0002A retired", plan)
	}
	live, err := db.ListAreas(ctx, store.AreaFilter{Kind: "booth"})
	if err != nil {
		t.Fatal(err)
	}
	wantCodes(t, "live booths", live, "JH-AC-063-B-0001", "JH-AC-063-B-0002", "JH-AC-064-B-0001", "JH-AC-064-B-0002")
	all, err := db.ListAreas(ctx, store.AreaFilter{Kind: "booth", Parent: "JH-AC-063", IncludeRetired: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCodes(t, "all booths of 63", all, "JH-AC-063-B-0001", "JH-AC-063-B-0002", "JH-AC-063-B-0002A")
	if !all[2].Retired || all[0].Retired {
		t.Errorf("retired flags: %v %v", all[0].Retired, all[2].Retired)
	}
	ac, err := db.GetArea(ctx, "JH-AC-063")
	if err != nil {
		t.Fatal(err)
	}
	if ac.Children != 2 {
		t.Errorf("JH-AC-063 has %d live children, want 2", ac.Children)
	}

	plan = importCSV(t, db, boothHeader+booths63)
	if !slices.Equal(plan.Unretire, []string{"JH-AC-063-B-0002A"}) || len(plan.Retire) != 0 {
		t.Errorf("bringing the booth back planned %+v", plan)
	}
	back, err := db.GetArea(ctx, "JH-AC-063-B-0002A")
	if err != nil {
		t.Fatal(err)
	}
	if back.Retired {
		t.Error("booth still retired after it was imported again")
	}
}

func TestImportRejectsABadFile(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	_, err := db.ImportAreas(ctx, geo.Importer([]geo.Area{{Code: "JH-AC-099-B-0001", Kind: "booth", NameEN: "Nowhere", Parent: "JH-AC-099"}}))
	wantAppErr(t, "booth under an unknown AC", err, apperr.Invalid)
	if _, ok := errors.AsType[*geo.FileError](err); !ok {
		t.Errorf("error %v does not carry the *geo.FileError", err)
	}
	if !strings.Contains(apperr.MessageOf(err), "JH-AC-099") {
		t.Errorf("message %q does not name the missing parent", apperr.MessageOf(err))
	}
}

func TestReparentMovesDescendants(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	importCSV(t, db, boothHeader+booths63)
	// A delimitation moves AC 63 to PC 09; its booths' paths must follow.
	areas, _ := geo.Jharkhand()
	for i := range areas {
		if areas[i].Code == "JH-AC-063" {
			areas[i].Parent = "JH-PC-09"
		}
	}
	if _, err := db.ImportAreas(ctx, geo.Importer(areas)); err != nil {
		t.Fatal(err)
	}
	b, err := db.GetArea(ctx, "JH-AC-063-B-0002")
	if err != nil {
		t.Fatal(err)
	}
	if b.Path != "/IN/JH/JH-PC-09/JH-AC-063/JH-AC-063-B-0002/" {
		t.Errorf("booth path %s", b.Path)
	}
}

var ranchiACs = []string{"JH-AC-058", "JH-AC-061", "JH-AC-062", "JH-AC-063", "JH-AC-064", "JH-AC-065", "JH-AC-066"}

var pc08ACs = []string{"JH-AC-050", "JH-AC-061", "JH-AC-062", "JH-AC-063", "JH-AC-064", "JH-AC-065"}

func TestListAreas(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	list := func(f store.AreaFilter) []store.Area {
		t.Helper()
		got, err := db.ListAreas(ctx, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		return got
	}
	wantCodes(t, "ACs of district Ranchi", list(store.AreaFilter{Kind: "ac", Parent: "JH-D-RANCHI"}), ranchiACs...)
	wantCodes(t, "children of district Ranchi", list(store.AreaFilter{Parent: "JH-D-RANCHI"}), ranchiACs...)
	wantCodes(t, "ACs of PC 08", list(store.AreaFilter{Kind: "ac", Parent: "JH-PC-08"}), pc08ACs...)
	wantCodes(t, "booths of PC 08", list(store.AreaFilter{Kind: "booth", Parent: "JH-PC-08"}))
	wantCodes(t, "first 3 PCs", list(store.AreaFilter{Kind: "pc", Limit: 3}), "JH-PC-01", "JH-PC-02", "JH-PC-03")
	if got := list(store.AreaFilter{Kind: "district", Parent: "JH"}); len(got) != 24 {
		t.Errorf("districts of JH: %d", len(got))
	}
	if got := list(store.AreaFilter{Parent: "JH"}); len(got) != 24+14 {
		t.Errorf("children of JH: %d", len(got))
	}
	_, err := db.ListAreas(ctx, store.AreaFilter{Kind: "ac", Parent: "JH-PC-99"})
	wantAppErr(t, "unknown parent", err, apperr.NotFound)
}

// A district's Children are its ACs, as ListAreas gives them.
func TestGetAreaChildren(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	for code, want := range map[string]int{"JH-D-RANCHI": 7, "JH-PC-08": 6, "JH": 38, "JH-AC-063": 0} {
		a, err := db.GetArea(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if a.Children != want {
			t.Errorf("%s: %d children, want %d", code, a.Children, want)
		}
	}
	_, err := db.GetArea(ctx, "JH-PC-99")
	wantAppErr(t, "unknown area", err, apperr.NotFound)
}

func TestAreasByCodesAndIDs(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	got, err := db.AreasByCodes(ctx, []string{"JH-PC-08", "JH-AC-063", "JH-PC-08"})
	if err != nil {
		t.Fatal(err)
	}
	wantCodes(t, "by codes", got, "JH-AC-063", "JH-PC-08")
	_, err = db.AreasByCodes(ctx, []string{"JH-PC-08", "JH-PC-99", "XX"})
	wantAppErr(t, "unknown codes", err, apperr.NotFound)
	if msg := apperr.MessageOf(err); !strings.Contains(msg, "JH-PC-99, XX") {
		t.Errorf("message %q does not name both unknown codes", msg)
	}
}

func TestScopeAreas(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	scope, err := db.ScopeAreas(ctx, []string{"JH-D-RANCHI", "JH-AC-063", "JH-PC-01"})
	if err != nil {
		t.Fatal(err)
	}
	wantCodes(t, "scope", scope, append(ranchiACs, "JH-PC-01")...)
	_, err = db.ScopeAreas(ctx, []string{"JH-PC-08", "JH-D-NOWHERE"})
	wantAppErr(t, "unknown scope code", err, apperr.Invalid)
}

func TestVisible(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	importCSV(t, db, boothHeader+booths63)
	cases := []struct {
		scope   []string
		visible []string
		hidden  []string
	}{
		{[]string{"JH-PC-08"}, []string{"JH-PC-08", "JH-AC-063", "JH-AC-050", "JH-AC-063-B-0002A"},
			[]string{"JH-PC-01", "JH", "IN", "JH-AC-058", "JH-D-RANCHI", "JH-D-SARAIKELA-KHARSAWAN"}},
		{[]string{"JH-D-RANCHI"}, []string{"JH-D-RANCHI", "JH-AC-058", "JH-AC-063", "JH-AC-063-B-0001"},
			[]string{"JH-PC-08", "JH-AC-050", "JH-D-KHUNTI", "JH"}},
		{[]string{"JH-AC-063"}, []string{"JH-AC-063", "JH-AC-063-B-0001"}, []string{"JH-AC-064", "JH-PC-08", "JH-D-RANCHI"}},
		{[]string{"JH"}, []string{"JH", "JH-D-RANCHI", "JH-PC-14", "JH-AC-063-B-0001"}, []string{"IN"}},
	}
	for _, c := range cases {
		scope, err := db.ScopeAreas(ctx, c.scope)
		if err != nil {
			t.Fatal(err)
		}
		for want, codes := range map[bool][]string{true: c.visible, false: c.hidden} {
			for _, code := range codes {
				target, err := db.GetArea(ctx, code)
				if err != nil {
					t.Fatal(err)
				}
				got, err := db.Visible(ctx, scope, target)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("scope %v sees %s: %v, want %v", c.scope, code, got, want)
				}
			}
		}
	}
}

func TestDescendants(t *testing.T) {
	ctx := context.Background()
	db, _ := jharkhandDB(t)
	importCSV(t, db, boothHeader+booths63+booths64)
	desc := func(code, kind string) []store.Area {
		t.Helper()
		got, err := db.Descendants(ctx, code, kind)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	wantCodes(t, "ACs under PC 08", desc("JH-PC-08", "ac"), pc08ACs...)
	wantCodes(t, "under AC 63", desc("JH-AC-063", ""), "JH-AC-063-B-0001", "JH-AC-063-B-0002", "JH-AC-063-B-0002A")
	wantCodes(t, "booths under PC 08", desc("JH-PC-08", "booth"),
		"JH-AC-063-B-0001", "JH-AC-063-B-0002", "JH-AC-063-B-0002A", "JH-AC-064-B-0001", "JH-AC-064-B-0002")
	wantCodes(t, "under a booth", desc("JH-AC-063-B-0002", ""))
	if got := desc("JH", ""); len(got) != 24+14+81+5 {
		t.Errorf("under JH: %d areas", len(got))
	}
	_, err := db.Descendants(ctx, "JH-PC-99", "")
	wantAppErr(t, "unknown area", err, apperr.NotFound)
}

// Codes that extend one another ("X-1", "X-10", "X-1-A") must not leak into
// each other's subtrees through the path range.
func TestDescendantsOfPrefixCodes(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, storetest.NewClock(areasEpoch))
	importCSV(t, db, boothHeader+
		"XS,state,,Example,,,,\n"+
		"XS-1,unit,1,One,,,XS,\n"+
		"XS-10,unit,10,Ten,,,XS,\n"+
		"XS-1-A,unit,,One A,,,XS,\n"+
		"XS-1A,unit,1A,One-A,,,XS,\n"+
		"XS-1-B,block,,B of One,,,XS-1,\n"+
		"XS-10-B,block,,B of Ten,,,XS-10,\n"+
		"XS-1-A-B,block,,B of One A,,,XS-1-A,\n"+
		"XS-1A-B,block,,B of One-A,,,XS-1A,\n")
	got, err := db.Descendants(ctx, "XS-1", "")
	if err != nil {
		t.Fatal(err)
	}
	wantCodes(t, "under XS-1", got, "XS-1-B")
}
