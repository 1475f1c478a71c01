package dashboard_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

type world struct {
	db    *store.DB
	drive store.Drive
	ids   map[string]int64
}

// newWorld: Jharkhand with 60 booths in Ranchi (JH-AC-063), the reference
// drive on its 11th day (22 Feb, 12:00 IST), and counts with known sums:
// 100 missed-call leads not yet placed (at JH), members at two booths, at
// the AC itself (no booth given) and in Dhanbad's JH-AC-040, and a week of
// 70 members a day at Ranchi's first booth.
func newWorld(t *testing.T) *world {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 22, 6, 30, 0, 0, time.UTC)))
	var booths []geo.Area
	for n := 1; n <= 60; n++ {
		booths = append(booths, geo.Area{Code: fmt.Sprintf("JH-AC-063-B-%04d", n), Kind: "booth", Number: fmt.Sprint(n), NameEN: fmt.Sprintf("Booth %d", n), Parent: "JH-AC-063"})
	}
	w := &world{db: db, drive: drivetest.Load(t, db, booths, drivetest.Reference)["jh-warriors"]}
	w.ids = storetest.AreaIDs(t, db, "JH", "JH-AC-063", "JH-AC-063-B-0001", "JH-AC-063-B-0002", "JH-AC-040")
	w.count(t, "JH", "leads", "2026-02-22", "missed_call", 100)
	w.count(t, "JH-AC-063-B-0002", "members", "2026-02-22", "whatsapp", 20)
	w.count(t, "JH-AC-063", "members", "2026-02-22", "web", 5)
	w.count(t, "JH-AC-040", "members", "2026-02-22", "web", 3)
	for d := 15; d <= 21; d++ {
		w.count(t, "JH-AC-063-B-0001", "members", fmt.Sprintf("2026-02-%d", d), "web", 70)
	}
	return w
}

func (w *world) count(t *testing.T, area, metric, day, channel string, n int64) {
	t.Helper()
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		return store.AddCounters(ctx, tx, []store.CounterDelta{{DriveID: w.drive.ID, AreaID: w.ids[area], Metric: metric, Day: day, Channel: channel, Value: n}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) open(t *testing.T, req dashboard.Request, scope ...string) dashboard.Board {
	t.Helper()
	if len(scope) == 0 {
		scope = []string{"JH"}
	}
	req.Slug = "jh-warriors"
	b, err := dashboard.Open(context.Background(), w.db, w.scope(t, scope...), req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (w *world) scope(t *testing.T, codes ...string) []store.Area {
	t.Helper()
	areas, err := w.db.ScopeAreas(context.Background(), codes)
	if err != nil {
		t.Fatal(err)
	}
	return areas
}

func metric(ms []drive.MetricProgress, name string) drive.MetricProgress {
	for _, m := range ms {
		if m.Metric == name {
			return m
		}
	}
	return drive.MetricProgress{}
}

func TestStateBoard(t *testing.T) {
	w := newWorld(t)
	b := w.open(t, dashboard.Request{})
	members := 20 + 5 + 3 + 7*70
	if m := metric(b.Report.Metrics, "members"); m.Actual != int64(members) || *m.Target != 500000 {
		t.Errorf("JH members %d of %v, want %d of 5,00,000", m.Actual, m.Target, members)
	}
	if len(b.Trees) != 2 || b.Tree != dashboard.Electoral || b.Count != 14 || len(b.Children) != 14 {
		t.Errorf("trees %v, tree %s, %d children on the page of %d", b.Trees, b.Tree, len(b.Children), b.Count)
	}
	if b.Unplaced == nil || metric(b.Unplaced, "leads").Actual != 100 || metric(b.Unplaced, "members").Actual != 0 {
		t.Errorf("unplaced at JH: %+v", b.Unplaced)
	}
	// The series runs 12–22 Feb; the projection is the count before today
	// and 70 a day for the 20 days left.
	days := b.Series["members"]
	if len(days) != 11 || days[10].Cumulative != int64(members) || days[10].Value != 28 {
		t.Errorf("members series: %+v", days)
	}
	if p := b.Projected["members"]; p != 490+70*20 {
		t.Errorf("projected members %d, want %d", p, 490+70*20)
	}
	if _, ok := b.Projected["volunteers"]; !ok {
		t.Error("volunteers (none so far) project to 0, not to nothing")
	}
	// Most members here came by the web form, without a missed call.
	if len(b.Funnel) != 5 || b.Funnel[0].Count != 100 || *b.Funnel[1].Share != 518 || *b.Funnel[2].Share != 0 || b.Funnel[3].Share != nil {
		t.Errorf("funnel: %+v, want leads 100, members at 518%%, verified at 0%%, volunteers after nothing", b.Funnel)
	}
	if ch := b.Channels["members"]; len(ch) != 2 || ch[0].Channel != "web" || ch[0].Count != 498 || ch[1].Percent != 3.9 {
		t.Errorf("members by channel: %+v", ch)
	}

	d := w.open(t, dashboard.Request{Tree: dashboard.Districts})
	if d.Tree != dashboard.Districts || d.Count != 24 || metric(d.Unplaced, "leads").Actual != 100 {
		t.Errorf("by district: tree %s, %d children, unplaced %+v", d.Tree, d.Count, d.Unplaced)
	}
}

func TestACBoardPagesAndSortsBooths(t *testing.T) {
	w := newWorld(t)
	b := w.open(t, dashboard.Request{Area: "JH-AC-063", Sort: "members", Desc: true})
	if b.Count != 60 || b.Pages != 2 || len(b.Children) != dashboard.PageSize {
		t.Fatalf("%d booths in %d pages, %d shown", b.Count, b.Pages, len(b.Children))
	}
	if b.Children[0].Area.Code != "JH-AC-063-B-0001" || b.Children[1].Area.Code != "JH-AC-063-B-0002" || b.Children[2].Area.Code != "JH-AC-063-B-0003" {
		t.Errorf("by members, most first: %s %s %s", b.Children[0].Area.Code, b.Children[1].Area.Code, b.Children[2].Area.Code)
	}
	if metric(b.Unplaced, "members").Actual != 5 || len(b.Trees) != 1 {
		t.Errorf("members at the AC without a booth: %+v; trees %v", b.Unplaced, b.Trees)
	}
	last := w.open(t, dashboard.Request{Area: "JH-AC-063", Sort: "members", Desc: true, Page: 9})
	if last.Page != 2 || len(last.Children) != 10 || last.Children[9].Area.Code != "JH-AC-063-B-0060" {
		t.Errorf("page 9 of 2 is the last: page %d, %d booths", last.Page, len(last.Children))
	}
	if odd := w.open(t, dashboard.Request{Area: "JH-AC-063", Sort: "votes"}); odd.Sort != "" || odd.Children[0].Area.Code != "JH-AC-063-B-0001" {
		t.Errorf("an unknown sort is by code: %q", odd.Sort)
	}
	byCode := w.open(t, dashboard.Request{Area: "JH-AC-063", Page: 2})
	if byCode.Count != 60 || byCode.Page != 2 || len(byCode.Children) != 10 || byCode.Children[0].Area.Code != "JH-AC-063-B-0051" ||
		metric(byCode.Unplaced, "members").Actual != 5 || metric(byCode.Report.Metrics, "members").Actual != 20+5+7*70 {
		t.Errorf("page 2 in code order: page %d of %d, %d booths from %s, unplaced %+v", byCode.Page, byCode.Pages, len(byCode.Children), byCode.Children[0].Area.Code, byCode.Unplaced)
	}
	pc := w.open(t, dashboard.Request{Area: "JH-PC-08"}, "JH-PC-08")
	if pc.Unplaced != nil || pc.Count != 6 {
		t.Errorf("PC 08: %d ACs, unplaced %+v", pc.Count, pc.Unplaced)
	}
}

func TestScopes(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, err := dashboard.Open(ctx, w.db, w.scope(t, "JH-PC-08"), dashboard.Request{Slug: "jh-warriors", Area: "JH-PC-01"})
	if apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("PC 08's coordinator at PC 01: %v", err)
	}
	places, err := dashboard.Places(ctx, w.db, w.scope(t, "JH-AC-063", "JH-AC-040"), []string{"JH-AC-063", "JH-AC-040"}, w.drive)
	if err != nil || len(places) != 2 {
		t.Fatalf("places of two ACs: %v %v", places, err)
	}
	cards, err := dashboard.Cards(ctx, w.db, w.drive, places)
	if err != nil || len(cards) != 2 || cards[0].Area.Code != "JH-AC-063" ||
		metric(cards[1].Report.Metrics, "members").Actual != 3 || metric(cards[0].Report.Metrics, "members").Actual != 20+5+7*70 {
		t.Errorf("cards: %+v %v", cards, err)
	}
	if places, _ := dashboard.Places(ctx, w.db, w.scope(t, "JH"), []string{"JH"}, w.drive); len(places) != 1 || places[0].Code != "JH" {
		t.Errorf("a state scope is offered the state: %v", places)
	}
	// A district as granted, not its seven ACs; an AC beside its own PC,
	// or granted twice, once.
	for _, c := range []struct {
		roots []string
		want  string
	}{
		{[]string{"JH-D-RANCHI"}, "JH-D-RANCHI"},
		{[]string{"JH-AC-063", "JH-PC-08", "JH-AC-063"}, "JH-PC-08"},
	} {
		places, err := dashboard.Places(ctx, w.db, w.scope(t, c.roots...), c.roots, w.drive)
		if err != nil || len(places) != 1 || places[0].Code != c.want {
			t.Errorf("places of %v: %v %v, want %s alone", c.roots, places, err, c.want)
		}
	}
}
