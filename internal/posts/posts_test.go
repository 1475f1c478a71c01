package posts_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var key = []byte("0123456789abcdef0123456789abcdef")

type world struct {
	t     *testing.T
	db    *store.DB
	drive store.Drive
	p     *people.People
	posts *posts.Posts
}

func newWorld(t *testing.T) *world {
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)))
	d := drivetest.Load(t, db, nil, drivetest.Reference)["jh-warriors"]
	return &world{t: t, db: db, drive: d, p: people.New(key), posts: posts.New(db)}
}

func (w *world) update(fn func(ctx context.Context, tx *store.Tx) error) error {
	return w.db.Update(context.Background(), func(tx *store.Tx) error { return fn(context.Background(), tx) })
}

// member makes a registered member at ac whose phone was proven by a
// sign-in code.
func (w *world) member(phone, ac string) int64 {
	w.t.Helper()
	var id int64
	err := w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: "Asha " + ac}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
			return err
		}
		if _, err := store.VerifyContact(ctx, tx, store.ContactPhone, phone); err != nil {
			return err
		}
		if _, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: w.drive.ID, Channel: "web", Day: "2026-02-20"}); err != nil {
			return err
		}
		area, err := store.AreaByCode(ctx, tx, ac)
		if err != nil {
			return err
		}
		_, err = w.p.Register(ctx, tx, people.Registration{PersonID: id, DriveID: w.drive.ID, Name: "Asha", Language: "hi", AreaID: area.ID,
			Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "test", Day: "2026-02-20"})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *world) volunteer(id int64, area string, hs map[string]string) (bool, error) {
	var started bool
	err := w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		started, err = w.p.Volunteer(ctx, tx, people.Volunteering{PersonID: id, DriveID: w.drive.ID, Agreed: true, Area: area,
			Languages: []string{"hi", "sat"}, Handles: hs, NoticeVersion: "v", Language: "hi", Channel: "web", Evidence: "me"})
		return err
	})
	return started, err
}

// counts are the totals of the area's subtree, by metric.
func (w *world) counts(code string) map[string]int64 {
	w.t.Helper()
	ids := storetest.AreaIDs(w.t, w.db, code)
	sums, err := w.db.CounterTotals(context.Background(), w.drive.ID, []int64{ids[code]}, store.DayRange{})
	if err != nil {
		w.t.Fatal(err)
	}
	out := map[string]int64{}
	for _, s := range sums {
		out[s.Metric] += s.Value
	}
	return out
}

func (w *world) actor(role access.Role, codes ...string) access.Actor {
	scope, err := w.db.ScopeAreas(context.Background(), codes)
	if err != nil {
		w.t.Fatal(err)
	}
	return access.Actor{Label: "test:" + string(role), Grants: []access.Grant{{Role: role, Areas: codes, Scope: scope}}}
}

// The story: a member volunteers (once, however often the form
// comes), a coordinator of Ranchi appoints them, cannot appoint in
// Dhanbad, vacates and re-appoints; withdrawing the volunteer consent
// vacates the post and moves both counters back.
func TestVolunteerAppointVacateWithdraw(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	asha := w.member("+919876500101", "JH-AC-063")
	for i, want := range []bool{true, false} {
		started, err := w.volunteer(asha, "JH-AC-063", map[string]string{"instagram": "@Asha.Ranchi", "x": "x.com/asha_r"})
		if err != nil || started != want {
			t.Fatalf("volunteering, try %d: started %v, %v; want %v", i, started, err, want)
		}
	}
	if got := w.counts("JH-AC-063")["volunteers"]; got != 1 {
		t.Fatalf("volunteers at JH-AC-063: %d, want 1", got)
	}
	other := w.member("+919876500102", "JH-AC-064")
	_, err := w.volunteer(other, "JH-AC-064", map[string]string{"instagram": "instagram.com/asha.ranchi"})
	if probs, ok := err.(people.Problems); !ok || probs["handle.instagram"] != people.ReasonTaken {
		t.Fatalf("a handle someone holds: %v, want taken", err)
	}
	if _, err := w.volunteer(other, "JH-AC-064", map[string]string{"instagram": "instagram.com/p/xyz"}); err == nil {
		t.Fatal("a post's link taken for a handle")
	}

	ranchi := w.actor(access.Coordinator, "JH-AC-063")
	req := posts.Request{Drive: "jh-warriors", Post: "ac-sm-convenor", Area: "JH-AC-063", PersonID: asha}
	if _, err := w.posts.Appoint(ctx, ranchi, posts.Request{Drive: "jh-warriors", Post: "ac-sm-convenor", Area: "JH-AC-040", PersonID: asha}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("appointing in Dhanbad from Ranchi: %v, want forbidden", err)
	}
	a, err := w.posts.Appoint(ctx, ranchi, req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.posts.Appoint(ctx, ranchi, req); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("appointing twice: %v, want conflict", err)
	}
	if c := w.counts("JH-AC-063"); c["office_bearers"] != 1 || c["active"] != 1 {
		t.Fatalf("after appointing: %v", c)
	}
	if _, err := w.posts.Vacate(ctx, ranchi, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.posts.Appoint(ctx, ranchi, req); err != nil {
		t.Fatal(err)
	}
	if c := w.counts("JH-PC-08"); c["office_bearers"] != 1 || c["active"] != 1 || c["volunteers"] != 1 {
		t.Fatalf("after vacating and appointing again, at the PC: %v", c)
	}
	err = w.update(func(ctx context.Context, tx *store.Tx) error {
		return w.p.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: asha, Purpose: store.PurposeVolunteer, Channel: "web"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := w.counts("JH-AC-063"); c["office_bearers"] != 0 || c["volunteers"] != 0 || c["active"] != 1 {
		t.Fatalf("after withdrawing: %v", c)
	}
	var held []store.Appointment
	var hs []store.Handle
	err = w.db.View(ctx, func(tx *store.Tx) error {
		if held, err = store.AppointmentsOf(ctx, tx, asha); err != nil {
			return err
		}
		hs, err = store.Handles(ctx, tx, asha)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 2 || held[0].VacatedWhy != store.VacatedByStaff || held[1].VacatedWhy != store.VolunteeringEnded || len(hs) != 0 {
		t.Fatalf("history %+v, handles %v", held, hs)
	}
	// Now free, the handle is someone else's to give.
	if _, err := w.volunteer(other, "JH-AC-064", map[string]string{"instagram": "@asha.ranchi"}); err != nil {
		t.Fatal(err)
	}
}

// Two coordinators appointing two volunteers to one post at one area at
// the same moment end with one holder and one office bearer counted.
func TestConcurrentAppointmentsOneHolder(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	ids := []int64{w.member("+919876500201", "JH-AC-063"), w.member("+919876500202", "JH-AC-063")}
	for i, id := range ids {
		if _, err := w.volunteer(id, "JH-AC-063", map[string]string{"x": "@racer" + string(rune('a'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	ranchi := w.actor(access.Coordinator, "JH-AC-063")
	errs := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			_, err := w.posts.Appoint(ctx, ranchi, posts.Request{Drive: "jh-warriors", Post: "ac-sm-convenor", Area: "JH-AC-063", PersonID: id})
			errs <- err
		}()
	}
	ok, conflicts := 0, 0
	for range ids {
		switch err := <-errs; {
		case err == nil:
			ok++
		case apperr.CodeOf(err) == apperr.Conflict:
			conflicts++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || conflicts != 1 {
		t.Fatalf("%d appointed, %d conflicts; want 1 and 1", ok, conflicts)
	}
	if got := w.counts("JH-AC-063")["office_bearers"]; got != 1 {
		t.Fatalf("office bearers counted: %d, want 1", got)
	}
}

// A volunteer's WhatsApp handle is their own number: another's is refused
// (nobody stores someone else's number, nor learns by trying it whether
// that number volunteers), their own is kept.
func TestWhatsAppHandleIsOwnNumber(t *testing.T) {
	w := newWorld(t)
	asha := w.member("+919876500301", "JH-AC-063")
	w.member("+919876500302", "JH-AC-063")
	_, err := w.volunteer(asha, "JH-AC-063", map[string]string{"whatsapp": "98765 00302"})
	if probs, ok := err.(people.Problems); !ok || probs["handle.whatsapp"] != people.ReasonNotYours {
		t.Fatalf("someone else's number as WhatsApp handle: %v, want not_yours", err)
	}
	if _, err := w.volunteer(asha, "JH-AC-063", map[string]string{"whatsapp": "098765 00301"}); err != nil {
		t.Fatalf("their own number: %v", err)
	}
}

// The same move from one AC to another posted twice at once moves the
// count once: -1 at the old AC, +1 at the new, not twice each.
func TestConcurrentAreaMoveCountsOnce(t *testing.T) {
	w := newWorld(t)
	asha := w.member("+919876500401", "JH-AC-063")
	if _, err := w.volunteer(asha, "JH-AC-063", nil); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for range 2 {
		go func() { _, err := w.volunteer(asha, "JH-AC-064", nil); errs <- err }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if from, to := w.counts("JH-AC-063")["volunteers"], w.counts("JH-AC-064")["volunteers"]; from != 0 || to != 1 {
		t.Fatalf("after moving twice at once: %d at JH-AC-063, %d at JH-AC-064; want 0 and 1", from, to)
	}
}
