package posts_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/posts"
)

// The org chart at a PC: its own post, each AC's convenor (one filled,
// the rest vacant), and per AC how many booths have a digital volunteer;
// outside the reader's scope it is refused, and a viewer reads none.
func TestChart(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var booths []geo.Area
	for _, no := range []string{"1", "2", "3"} {
		booths = append(booths, geo.Area{Code: "JH-AC-063-B-" + no, Kind: "booth", Number: no, NameEN: "Booth " + no, Parent: "JH-AC-063"})
	}
	if _, err := w.db.ImportAreas(ctx, geo.Importer(booths)); err != nil {
		t.Fatal(err)
	}
	asha := w.member("+919876500201", "JH-AC-063")
	ravi := w.member("+919876500202", "JH-AC-063")
	for _, id := range []int64{asha, ravi} {
		if _, err := w.volunteer(id, "JH-AC-063", nil); err != nil {
			t.Fatal(err)
		}
	}
	pc := w.actor(access.Coordinator, "JH-PC-08")
	for _, r := range []posts.Request{
		{Post: "ac-sm-convenor", Area: "JH-AC-063", PersonID: asha},
		{Post: "booth-digital-volunteer", Area: "JH-AC-063-B-2", PersonID: asha},
		{Post: "booth-digital-volunteer", Area: "JH-AC-063-B-2", PersonID: ravi},
	} {
		r.Drive = "jh-warriors"
		if _, err := w.posts.Appoint(ctx, pc, r); err != nil {
			t.Fatal(err)
		}
	}

	c, err := posts.Chart(ctx, w.db, pc, "jh-warriors", "JH-PC-08")
	if err != nil {
		t.Fatal(err)
	}
	if c.Area.Code != "JH-PC-08" || len(c.Seats) < 2 || c.Seats[0].Post.Code != "pc-sm-coordinator" || len(c.Seats[0].Holders) != 0 {
		t.Fatalf("the PC's own seat first, vacant: %+v", c.Seats)
	}
	var convenors, filled int
	for _, s := range c.Seats[1:] {
		if s.Post.Code != "ac-sm-convenor" || s.Area.Parent != "JH-PC-08" {
			t.Fatalf("a seat that is not an AC's convenor: %+v", s)
		}
		convenors++
		if len(s.Holders) > 0 {
			filled++
			if s.Area.Code != "JH-AC-063" || len(s.Holders) != 1 || s.Holders[0].PersonID != asha || s.Holders[0].Name != "Asha" {
				t.Fatalf("the filled seat: %+v", s)
			}
		}
	}
	if filled != 1 || convenors < 2 {
		t.Fatalf("%d of %d convenors filled, want 1 of several", filled, convenors)
	}
	if len(c.Below) != 1 || c.Below[0].Parent.Code != "JH-AC-063" || c.Below[0].Areas != 3 || c.Below[0].Filled != 1 || c.Below[0].Holders != 2 {
		t.Fatalf("the booths below: %+v", c.Below)
	}
	if c.Filled != 2 || c.Slots != 1+convenors+3 {
		t.Fatalf("filled %d of %d, want 2 of %d", c.Filled, c.Slots, 1+convenors+3)
	}
	want := map[string]int64{"volunteers": 1000, "office_bearers": 100}
	got := map[string]int64{}
	for _, m := range c.Progress {
		if m.Target == nil || *m.Target != want[m.Metric] {
			t.Fatalf("%s's target: %v", m.Metric, m.Target)
		}
		got[m.Metric] = m.Actual
	}
	if got["volunteers"] != 2 || got["office_bearers"] != 3 {
		t.Fatalf("progress at the PC: %v", got)
	}

	ranchi := w.actor(access.Coordinator, "JH-AC-063")
	if _, err := posts.Chart(ctx, w.db, ranchi, "jh-warriors", "JH-AC-040"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("Dhanbad's chart from Ranchi: %v, want forbidden", err)
	}
	if _, err := posts.Chart(ctx, w.db, w.actor(access.Viewer, "JH"), "jh-warriors", "JH-AC-063"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a viewer reading holders: %v, want forbidden", err)
	}
	c, err = posts.Chart(ctx, w.db, ranchi, "jh-warriors", "JH-AC-063")
	if err != nil || len(c.Seats) != 4 || len(c.Below) != 0 || c.Filled != 2 || c.Slots != 4 || len(c.Seats[2].Holders) != 2 {
		t.Fatalf("at the AC, its seat and its booths': %+v, %v", c, err)
	}
}
