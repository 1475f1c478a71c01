package demo_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/demo"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// day11 is the reference drive's eleventh day, mid-afternoon.
var day11 = time.Date(2026, 2, 22, 15, 30, 0, 0, ist.Zone)

var secretKey = []byte(strings.Repeat("k", 32))

// seeded opens a database at day11 with the reference drive and a small
// history of seed in it.
func seeded(t *testing.T, seed int64) (*store.DB, store.Drive, int) {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(day11))
	d := drivetest.Load(t, db, nil, drivetest.Reference)["jh-warriors"]
	n, err := demo.Seed(context.Background(), db, d.Slug, secretKey, demo.Options{Seed: seed, Scale: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	return db, d, n
}

// The "the counts add up exactly": the progress report's totals
// per metric (read from the counters) equal the generated rows counted
// from the tables, for the state and for the sum of its PCs.
func TestSeedCountsAddUp(t *testing.T) {
	ctx := context.Background()
	db, d, n := seeded(t, 1)
	rows := storetest.DriveRows(t, db, d.ID)
	if n == 0 || rows["leads"] != int64(n) {
		t.Fatalf("seeded %d people, %d participations", n, rows["leads"])
	}
	for _, m := range []string{"members", "verified", "volunteers", "active", "groups", "office_bearers"} {
		if rows[m] == 0 {
			t.Errorf("no %s in the history", m)
		}
	}
	if storetest.ReferralChains(t, db, d.ID) == 0 {
		t.Error("no referral chain two long")
	}
	jh, err := db.GetArea(ctx, "JH")
	if err != nil {
		t.Fatal(err)
	}
	pcs, err := db.Descendants(ctx, "JH", "pc")
	if err != nil {
		t.Fatal(err)
	}
	r, err := drive.Progress(ctx, db, d, drive.ProgressQuery{Area: jh, Children: pcs, Now: day11})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range r.Metrics {
		var inPCs int64
		for _, c := range r.Children {
			inPCs += c.Metrics[i].Actual
		}
		if m.Actual != rows[m.Metric] {
			t.Errorf("%s: the progress says %d, the rows are %d", m.Metric, m.Actual, rows[m.Metric])
		}
		if m.Metric != "leads" && inPCs != rows[m.Metric] { // leads count at the state: no area is known at a first call
			t.Errorf("%s: the PCs say %d, the rows are %d", m.Metric, inPCs, rows[m.Metric])
		}
	}
	// The history's people are people like any: the busiest recruiter
	// among those running a group can be erased; the joins stay counted,
	// their groups and posts end, and the counts still add up.
	recruiter := storetest.RecruiterWithGroup(t, db, d.ID)
	if recruiter == 0 {
		t.Fatal("no volunteer with a group and recruits")
	}
	before := storetest.PeopleWithDetails(t, db)
	if err := db.Update(ctx, func(tx *store.Tx) error { return people.New(secretKey).Erase(ctx, tx, recruiter, "test") }); err != nil {
		t.Fatalf("erase person %d: %v", recruiter, err)
	}
	if after := storetest.PeopleWithDetails(t, db); after != before-1 {
		t.Errorf("%d people with details after an erasure, %d before", after, before)
	}
	r2, err := drive.Progress(ctx, db, d, drive.ProgressQuery{Area: jh, Now: day11})
	if err != nil {
		t.Fatal(err)
	}
	rows2 := storetest.DriveRows(t, db, d.ID)
	for i, m := range r2.Metrics {
		switch m.Metric {
		case "groups", "office_bearers": // they are what is live now: the erased person's end
			if m.Actual != rows2[m.Metric] || m.Actual > r.Metrics[i].Actual || (m.Metric == "groups" && m.Actual == r.Metrics[i].Actual) {
				t.Errorf("%s after an erasure: the progress says %d, the rows are %d, before %d", m.Metric, m.Actual, rows2[m.Metric], r.Metrics[i].Actual)
			}
		default: // joins made stay counted
			if m.Actual != r.Metrics[i].Actual {
				t.Errorf("%s: %d after an erasure, %d before", m.Metric, m.Actual, r.Metrics[i].Actual)
			}
		}
	}
	// A restart keeps the history: seeding again writes nothing.
	if again, err := demo.Seed(ctx, db, d.Slug, secretKey, demo.Options{Seed: 2, Scale: 0.02}); err != nil || again != 0 {
		t.Errorf("seeding again: %d people, %v", again, err)
	}
}

// One seed gives one history, row for row; another seed another.
func TestPlanIsDeterministic(t *testing.T) {
	w := world(t)
	a, b := demo.Plan(w, demo.Options{Seed: 7, Scale: 0.05}), demo.Plan(w, demo.Options{Seed: 7, Scale: 0.05})
	if !reflect.DeepEqual(a.Counters, b.Counters) || len(a.People) != len(b.People) || len(a.Groups) != len(b.Groups) {
		t.Error("seed 7 twice: two histories")
	}
	for i := range a.People {
		if a.People[i].Phone != b.People[i].Phone || a.People[i].Name != b.People[i].Name || !a.People[i].Registered.Equal(b.People[i].Registered) {
			t.Fatalf("person %d differs: %+v / %+v", i, a.People[i], b.People[i])
		}
	}
	if c := demo.Plan(w, demo.Options{Seed: 8, Scale: 0.05}); reflect.DeepEqual(a.Counters, c.Counters) {
		t.Error("seeds 7 and 8: one history")
	}
	// A minute later, the same history but for that minute's people:
	// each person draws from their own stream.
	later := w
	later.Now = w.Now.Add(time.Minute)
	if l := demo.Plan(later, demo.Options{Seed: 7, Scale: 0.05}); len(l.People) < len(a.People) || len(l.People) > len(a.People)+5 {
		t.Errorf("a minute later: %d people, %d before", len(l.People), len(a.People))
	}
}

// The demo's history has the shape: a few ACs above 100 % of
// their share of the target to date, some below 40 %; a launch spike; no
// Sunday busier than the Monday after; nothing after now; placeholder
// numbers, demo_ handles that the handles rules accept.
func TestPlanShape(t *testing.T) {
	w := world(t)
	h := demo.Plan(w, demo.Options{Seed: 1, Scale: 1})
	elapsed := w.Now.Sub(w.Start).Hours() / w.End.AddDate(0, 0, 1).Sub(w.Start).Hours()
	members := map[int64]int64{}
	byDay := map[string]int64{}
	for _, c := range h.Counters {
		if c.Metric == "members" {
			members[c.AreaID] += c.Value
		}
		if c.Metric == "leads" {
			byDay[c.Day] += c.Value
		}
	}
	var ahead, behind int
	for _, ac := range w.ACs {
		share := float64(members[ac.ID]) / (float64(ac.MembersTarget) * elapsed)
		switch {
		case share > 1:
			ahead++
		case share < 0.4:
			behind++
		}
	}
	if ahead < 3 || behind < 10 {
		t.Errorf("%d ACs ahead of their share to date, %d below 40 %%; want a few and some", ahead, behind)
	}
	if byDay["2026-02-12"] < 2*byDay["2026-02-18"] {
		t.Errorf("launch day %d leads, a Wednesday %d: no spike", byDay["2026-02-12"], byDay["2026-02-18"])
	}
	if byDay["2026-02-15"] >= byDay["2026-02-16"] || byDay["2026-02-22"] >= byDay["2026-02-21"] {
		t.Errorf("leads by day %v: Sundays are not quiet, or today is not partial", byDay)
	}
	for i, p := range h.People {
		for _, at := range []time.Time{p.FirstSeen, p.Registered, p.Verified, p.Volunteer, p.Active} {
			if at.After(w.Now) || (!at.IsZero() && at.Before(p.FirstSeen)) {
				t.Fatalf("person %d: %v outside %v…%v", i, at, p.FirstSeen, w.Now)
			}
		}
		if !strings.HasPrefix(p.Phone, "+917000") {
			t.Fatalf("person %d has %s", i, p.Phone)
		}
		for _, hd := range p.Handles {
			if got, err := handles.Normalise(hd.Platform, hd.Handle); err != nil || got != hd.Handle || !strings.HasPrefix(got, "demo_") {
				t.Fatalf("handle %s %q: %q %v", hd.Platform, hd.Handle, got, err)
			}
		}
	}
}

// world is the reference drive's, as Seed reads it, at day11.
func world(t *testing.T) demo.World {
	t.Helper()
	w := demo.World{DriveID: 1, RootID: 1, Zone: ist.Zone, Now: day11,
		Start: time.Date(2026, 2, 12, 0, 0, 0, 0, ist.Zone), End: time.Date(2026, 3, 13, 0, 0, 0, 0, ist.Zone)}
	for i := range 81 {
		w.ACs = append(w.ACs, demo.AC{ID: int64(100 + i), PCID: int64(10 + i/6), MembersTarget: 500000 / 81})
	}
	return w
}

// A seeded group is one the register knows: its sealed invite opens
// (demo_…) as the owner's page opens it, and hashes to what the register
// finds a group by.
func TestSeededGroupsOpen(t *testing.T) {
	db, d, _ := seeded(t, 1)
	ctx := context.Background()
	owner := storetest.RecruiterWithGroup(t, db, d.ID)
	register := groups.New(secretKey)
	err := db.View(ctx, func(tx *store.Tx) error {
		gs, err := store.GroupsOf(ctx, tx, owner)
		if err != nil || len(gs) == 0 {
			return fmt.Errorf("the groups of person %d: %v %v", owner, gs, err)
		}
		link, err := register.Link(ctx, tx, gs[0])
		if err != nil {
			return err
		}
		if !strings.Contains(link, "demo_") {
			t.Errorf("a seeded group's invite opens as %q", link)
		}
		// demo_ codes are no real invite's, so ParseInvite would refuse
		// them: the code is read off the link as it opened.
		inv := groups.Invite{Kind: gs[0].Kind, Code: link[strings.LastIndex(link, "demo_"):]}
		if register.InviteHash(inv) != gs[0].CodeHash {
			t.Errorf("the invite %q does not hash to the group's", link)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
