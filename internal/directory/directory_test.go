package directory_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// world is Jharkhand, a drive rooted at JH, Sunita (a member in Ranchi,
// AC 63) and a missed caller with no area yet.
type world struct {
	t            *testing.T
	db           *store.DB
	clock        *storetest.Clock
	sunita, lead int64
	reg          *prometheus.Registry
	dir          *directory.Directory
}

const sunitaPhone = "+919876500020"

func newWorld(t *testing.T, revealCap int) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, clock: storetest.NewClock(time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)), reg: prometheus.NewRegistry()}
	w.db = storetest.Open(t, w.clock)
	d := drivetest.Load(t, w.db, nil, `{"version":1,"slug":"jh","name":"JH","starts_on":"2026-11-01","ends_on":"2026-12-31",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[],"targets":[]}`)["jh"]
	ac := storetest.AreaIDs(t, w.db, "JH-AC-063")["JH-AC-063"]
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if w.sunita, err = store.CreatePerson(ctx, tx, store.Person{Name: "Sunita Devi", Language: "hi"}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, w.sunita, store.ContactPhone, sunitaPhone); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, w.sunita, store.ContactWAID, sunitaPhone[1:]); err != nil {
			return err
		}
		if _, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: w.sunita, DriveID: d.ID, Channel: "web",
			AreaID: ac, Day: "2026-11-20"}); err != nil {
			return err
		}
		if w.lead, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, w.lead, store.ContactPhone, "+919876500021"); err != nil {
			return err
		}
		_, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: w.lead, DriveID: d.ID, Channel: "missed_call", Day: "2026-11-20"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if w.dir, err = directory.New(w.db, directory.Config{SecretKey: key, RevealDailyCap: revealCap, Metrics: w.reg}); err != nil {
		t.Fatal(err)
	}
	return w
}

// actor is someone holding role over the area codes.
func (w *world) actor(label string, role access.Role, codes ...string) access.Actor {
	w.t.Helper()
	scope, err := w.db.ScopeAreas(context.Background(), codes)
	if err != nil {
		w.t.Fatal(err)
	}
	return access.Actor{Label: label, PersonID: 1, Grants: []access.Grant{{Role: role, Areas: codes, Scope: scope}}}
}

func (w *world) entries(action string) []store.AuditEntry {
	w.t.Helper()
	out, err := w.db.AuditEntries(context.Background(), store.AuditFilter{Action: action})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

// A person's page is for those holding people.read where the person takes
// part: their AC, its PC, its district, the state. A sibling AC or another
// district gets not_found, as for nobody; a viewer is forbidden. A person
// with no area yet is seen only from the drive's root. Numbers are masked
// and each view audited with the scope in force.
func TestViewByScope(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	for _, codes := range [][]string{{"JH-AC-063"}, {"JH-PC-08"}, {"JH-D-RANCHI"}, {"JH"}, {"JH-AC-064", "JH-AC-063"}} {
		p, err := w.dir.View(ctx, w.actor("person:7", access.Coordinator, codes...), w.sunita)
		if err != nil {
			t.Errorf("coordinator of %v: %v", codes, err)
			continue
		}
		if p.Name != "Sunita Devi" || len(p.Participations) != 1 || p.Participations[0].Area.Code != "JH-AC-063" {
			t.Errorf("coordinator of %v sees %+v", codes, p)
		}
		if !slices.Equal(p.Phones, []string{"+91 98xxxxxx20"}) || !slices.Equal(p.WhatsApp, []string{"+91 98xxxxxx20"}) {
			t.Errorf("numbers shown %q %q, want masked", p.Phones, p.WhatsApp)
		}
		if strings.Contains(fmt.Sprintf("%+v", p), "9876500020") {
			t.Errorf("the page holds the full number: %+v", p)
		}
	}
	for _, codes := range [][]string{{"JH-AC-064"}, {"JH-D-DHANBAD"}, {"JH-PC-01"}} {
		_, err := w.dir.View(ctx, w.actor("person:7", access.Coordinator, codes...), w.sunita)
		wantCode(t, fmt.Sprintf("coordinator of %v", codes), err, apperr.NotFound)
	}
	_, err := w.dir.View(ctx, w.actor("person:7", access.Coordinator, "JH"), 999999)
	wantCode(t, "nobody", err, apperr.NotFound)
	_, err = w.dir.View(ctx, w.actor("token:v", access.Viewer, "JH"), w.sunita)
	wantCode(t, "a viewer", err, apperr.Forbidden)
	_, err = w.dir.View(ctx, w.actor("person:8", access.FactChecker, "JH"), w.sunita)
	wantCode(t, "a fact-checker", err, apperr.Forbidden)

	_, err = w.dir.View(ctx, w.actor("person:7", access.Coordinator, "JH-AC-063"), w.lead)
	wantCode(t, "a lead with no area, from an AC", err, apperr.NotFound)
	if _, err := w.dir.View(ctx, w.actor("person:7", access.Coordinator, "JH"), w.lead); err != nil {
		t.Errorf("a lead with no area, from the drive's root: %v", err)
	}

	views := w.entries("person_view")
	if len(views) != 6 { // five scopes that see Sunita, and the root seeing the lead
		t.Fatalf("%d views audited, want 6 (refusals are not views)", len(views))
	}
	if e := views[len(views)-1]; e.Actor != "person:7" || e.PersonID != w.sunita || e.Scope != "coordinator:JH-AC-063" {
		t.Errorf("view entry %+v", e)
	}
}

// Revealing a number takes a reason (5 to 200 characters), and people.reveal
// where the person takes part; it gives the full numbers and is audited
// with the reason, the scope and how many numbers it showed.
func TestRevealNeedsAReasonAndIsAudited(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	coord := w.actor("person:7", access.Coordinator, "JH-AC-063")
	for _, reason := range []string{"", "   ", "why", strings.Repeat("x", 201), "called 98765 43210 back", "her other number 0651-223344"} {
		_, err := w.dir.Reveal(ctx, coord, w.sunita, reason)
		wantCode(t, fmt.Sprintf("reason %q", reason), err, apperr.Invalid)
	}
	_, err := w.dir.Reveal(ctx, w.actor("person:7", access.Coordinator, "JH-AC-064"), w.sunita, "called back about the booth")
	wantCode(t, "a sibling AC", err, apperr.NotFound)
	_, err = w.dir.Reveal(ctx, w.actor("token:v", access.Viewer, "JH"), w.sunita, "called back about the booth")
	wantCode(t, "a viewer", err, apperr.Forbidden)
	if n := len(w.entries("reveal")); n != 0 {
		t.Fatalf("%d refused reveals audited", n)
	}

	got, err := w.dir.Reveal(ctx, coord, w.sunita, "  called back   about the booth ")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Phones, []string{sunitaPhone}) || !slices.Equal(got.WhatsApp, []string{sunitaPhone[1:]}) {
		t.Errorf("revealed %+v", got)
	}
	e := w.entries("reveal")
	if len(e) != 1 || e[0].Reason != "called back about the booth" || e[0].Scope != "coordinator:JH-AC-063" || e[0].Actor != "person:7" ||
		e[0].PersonID != w.sunita || e[0].Rows != 2 {
		t.Errorf("reveal entries %+v", e)
	}
	if _, err := w.dir.Reveal(ctx, coord, w.sunita, "booth 123 volunteers, 2026 drive"); err != nil {
		t.Errorf("a reason with short numbers: %v", err)
	}
}

// Reveals are capped per staff member per day (India time): at the cap a
// reveal is refused as rate_limited, shows nothing, is counted by the
// metric and not audited; another staff member, or the next day, may.
func TestRevealDailyCap(t *testing.T) {
	w := newWorld(t, 2)
	ctx := context.Background()
	a, b := w.actor("person:7", access.Coordinator, "JH"), w.actor("person:8", access.Admin, "JH")
	reveal := func(who access.Actor) (directory.Revealed, error) {
		return w.dir.Reveal(ctx, who, w.sunita, "called back about the booth")
	}
	for i := range 2 {
		if _, err := reveal(a); err != nil {
			t.Fatalf("reveal %d: %v", i+1, err)
		}
	}
	got, err := reveal(a)
	wantCode(t, "a third reveal", err, apperr.RateLimited)
	if len(got.Phones)+len(got.WhatsApp) != 0 {
		t.Errorf("a refused reveal showed %+v", got)
	}
	if n := capMetric(t, w.reg); n != 1 {
		t.Errorf("jodo_reveal_cap_reached_total %v, want 1", n)
	}
	if n := len(w.entries("reveal")); n != 2 {
		t.Errorf("%d reveals audited, want 2", n)
	}
	if _, err := reveal(b); err != nil {
		t.Errorf("another staff member at the cap of the first: %v", err)
	}
	// 06:00 UTC is 11:30 in India: the day turns at 18:30 UTC.
	w.clock.Set(time.Date(2026, 11, 20, 18, 29, 0, 0, time.UTC))
	_, err = reveal(a)
	wantCode(t, "the same day in India", err, apperr.RateLimited)
	w.clock.Set(time.Date(2026, 11, 21, 0, 0, 0, 0, ist.Zone))
	if _, err := reveal(a); err != nil {
		t.Errorf("the next day in India: %v", err)
	}
	if n := capMetric(t, w.reg); n != 2 {
		t.Errorf("jodo_reveal_cap_reached_total %v, want 2", n)
	}
}

func capMetric(t *testing.T, reg *prometheus.Registry) float64 {
	return counterValue(t, reg, "jodo_reveal_cap_reached_total")
}

// counterValue is the value of the counter called name in reg.
func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("%s is not registered", name)
	return 0
}

// Reveals at once by one staff member cannot slip past the cap together:
// the count and the entry share a transaction, serialised per actor.
func TestRevealCapHoldsUnderConcurrency(t *testing.T) {
	w := newWorld(t, 3)
	a := w.actor("person:7", access.Coordinator, "JH")
	errs := make(chan error, 12)
	for range 12 {
		go func() {
			_, err := w.dir.Reveal(context.Background(), a, w.sunita, "called back about the booth")
			errs <- err
		}()
	}
	ok, capped := 0, 0
	for range 12 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case apperr.CodeOf(err) == apperr.RateLimited:
			capped++
		default:
			t.Errorf("a reveal at once: %v", err)
		}
	}
	if ok != 3 || capped != 9 || len(w.entries("reveal")) != 3 {
		t.Errorf("%d reveals shown and %d capped (%d audited), want 3 and 9", ok, capped, len(w.entries("reveal")))
	}
}

// On a person's page, a coordinator sees who did what and when, but what
// other staff wrote (a reveal's reason) only if they wrote it; an admin
// reading the whole log sees it all.
func TestViewShowsOthersReasonsOnlyToTheLog(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	if _, err := w.dir.Reveal(ctx, w.actor("person:7", access.Coordinator, "JH-PC-08"), w.sunita, "called back about the booth"); err != nil {
		t.Fatal(err)
	}
	reasons := func(a access.Actor) []string {
		p, err := w.dir.View(ctx, a, w.sunita)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range p.Audit {
			if e.Action == "reveal" {
				out = append(out, e.Actor+":"+e.Reason)
			}
		}
		return out
	}
	if got := reasons(w.actor("person:8", access.Coordinator, "JH-AC-063")); !slices.Equal(got, []string{"person:7:"}) {
		t.Errorf("another coordinator sees %q", got)
	}
	if got := reasons(w.actor("person:7", access.Coordinator, "JH-PC-08")); !slices.Equal(got, []string{"person:7:called back about the booth"}) {
		t.Errorf("the reveal's writer sees %q", got)
	}
	if got := reasons(w.actor("person:9", access.Admin, "JH")); !slices.Equal(got, []string{"person:7:called back about the booth"}) {
		t.Errorf("an admin sees %q", got)
	}
}
