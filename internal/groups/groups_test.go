package groups_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var key = []byte("0123456789abcdef0123456789abcdef")

type world struct {
	t     *testing.T
	db    *store.DB
	clock *storetest.Clock
	drive store.Drive
	p     *people.People
	g     *groups.Groups
}

func newWorld(t *testing.T) *world {
	clock := storetest.NewClock(time.Date(2026, 2, 14, 9, 0, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	d := drivetest.Load(t, db, nil, drivetest.Reference)["jh-warriors"]
	return &world{t: t, db: db, clock: clock, drive: d, p: people.New(key), g: groups.New(key)}
}

func (w *world) update(fn func(ctx context.Context, tx *store.Tx) error) error {
	return w.db.Update(context.Background(), func(tx *store.Tx) error { return fn(context.Background(), tx) })
}

// volunteer makes a member at ac, phone proven, who volunteers there.
func (w *world) volunteer(phone, ac string) int64 {
	w.t.Helper()
	var id int64
	err := w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: "Asha"}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
			return err
		}
		if _, err := store.VerifyContact(ctx, tx, store.ContactPhone, phone); err != nil {
			return err
		}
		day := drive.Calendar(w.drive).Day(tx.Now)
		if _, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: w.drive.ID, Channel: "web", Day: day}); err != nil {
			return err
		}
		area, err := store.AreaByCode(ctx, tx, ac)
		if err != nil {
			return err
		}
		if _, err := w.p.Register(ctx, tx, people.Registration{PersonID: id, DriveID: w.drive.ID, Name: "Asha", Language: "hi", AreaID: area.ID,
			Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "test", Day: day}); err != nil {
			return err
		}
		_, err = w.p.Volunteer(ctx, tx, people.Volunteering{PersonID: id, DriveID: w.drive.ID, Agreed: true, Area: ac,
			Languages: []string{"hi"}, NoticeVersion: "v", Language: "hi", Channel: "web", Evidence: "me"})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *world) register(person int64, link string) (store.Group, error) {
	var grp store.Group
	err := w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		grp, err = w.g.Register(ctx, tx, groups.Registration{PersonID: person, DriveID: w.drive.ID, Link: link, Language: "hi",
			Size: "101-256", Name: "Ranchi group", Channel: "web"})
		return err
	})
	return grp, err
}

func (w *world) groupsAt(code string) int64 { return storetest.CountsAt(w.t, w.db, code)["groups"] }

func waLink(i int) string { return fmt.Sprintf("https://chat.whatsapp.com/RanchiGroup%010d", i) }

// Ten groups, one link once, two at once one group, 31 days without a
// confirmation lapse each once, a confirmation restores, a withdrawal
// ends them and frees their links.
func TestRegisterLapseConfirmEnd(t *testing.T) {
	w := newWorld(t)
	asha, birsa := w.volunteer("+919876500501", "JH-AC-063"), w.volunteer("+919876500502", "JH-AC-063")
	var first store.Group
	for i := range 10 {
		grp, err := w.register(asha, waLink(i))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = grp
		}
	}
	if got := w.groupsAt("JH-AC-063"); got != 10 {
		t.Fatalf("groups: %d, want 10", got)
	}
	_, err := w.register(birsa, "chat.whatsapp.com/RanchiGroup0000000003/")
	if probs, ok := err.(groups.Problems); !ok || probs["link"] != groups.Taken {
		t.Fatalf("someone else's group: %v, want taken", err)
	}
	errs := make(chan error, 2)
	for _, p := range []int64{asha, birsa} {
		go func() { _, err := w.register(p, waLink(99)); errs <- err }()
	}
	ok := 0
	for range 2 {
		if err := <-errs; err == nil {
			ok++
		} else if probs, isProbs := err.(groups.Problems); !isProbs || probs["link"] != groups.Taken {
			t.Fatal(err)
		}
	}
	if ok != 1 || w.groupsAt("JH-AC-063") != 11 {
		t.Fatalf("one link twice at once: %d registered, %d counted", ok, w.groupsAt("JH-AC-063"))
	}
	err = w.update(func(ctx context.Context, tx *store.Tx) error {
		link, err := w.g.Link(ctx, tx, first)
		if err == nil && link != waLink(0) {
			t.Errorf("the owner's link: %q", link)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	w.clock.Advance(31 * 24 * time.Hour)
	for range 2 {
		err := w.update(func(ctx context.Context, tx *store.Tx) error {
			_, err := groups.Lapse(ctx, tx, tx.Now, 1000)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := w.groupsAt("JH-AC-063"); got != 0 {
		t.Fatalf("after 31 days, swept twice: %d groups, want 0", got)
	}
	if err := w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := w.g.Confirm(ctx, tx, asha, first.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := w.g.Confirm(ctx, tx, birsa, first.ID)
		return err
	}); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("confirming someone else's group: %v", err)
	}
	if got := w.groupsAt("JH-AC-063"); got != 1 {
		t.Fatalf("after one confirmation: %d, want 1", got)
	}
	err = w.update(func(ctx context.Context, tx *store.Tx) error {
		return w.p.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: asha, Purpose: store.PurposeVolunteer, Channel: "web"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := w.groupsAt("JH-AC-063"); got != 0 {
		t.Fatalf("after withdrawing: %d, want 0", got)
	}
	if _, err := w.register(birsa, waLink(0)); err != nil {
		t.Fatalf("an ended group's link, registered by someone else: %v", err)
	}
}

// Six volunteers register the same new link at the same moment, five
// times over: each link ends as one group, the others told it is taken,
// and the groups counter moves once per link.
func TestManyRegisterOneLinkAtOnce(t *testing.T) {
	w := newWorld(t)
	var vols []int64
	for i := range 6 {
		vols = append(vols, w.volunteer(fmt.Sprintf("+9198765006%02d", i), "JH-AC-063"))
	}
	const rounds = 5
	for round := range rounds {
		link := waLink(500 + round)
		start := make(chan struct{})
		errs := make(chan error, len(vols))
		for _, p := range vols {
			go func() {
				<-start
				_, err := w.register(p, link)
				errs <- err
			}()
		}
		close(start)
		ok := 0
		for range vols {
			if err := <-errs; err == nil {
				ok++
			} else if probs, isProbs := err.(groups.Problems); !isProbs || probs["link"] != groups.Taken {
				t.Fatalf("round %d: %v, want taken", round, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d registrations of one link succeeded, want 1", round, ok)
		}
	}
	if got := w.groupsAt("JH-AC-063"); got != rounds {
		t.Fatalf("groups: %d, want %d", got, rounds)
	}
}

// Volunteering alone is not active; a first group makes its owner active
// (+1 active at their area), and more groups, a lapse or a removal move
// it no more.
func TestFirstGroupMakesActive(t *testing.T) {
	w := newWorld(t)
	asha := w.volunteer("+919876500701", "JH-AC-063")
	active := func() int64 { return storetest.CountsAt(w.t, w.db, "JH-AC-063")["active"] }
	if got := active(); got != 0 {
		t.Fatalf("active after volunteering alone: %d, want 0", got)
	}
	for i := range 3 {
		if _, err := w.register(asha, waLink(700+i)); err != nil {
			t.Fatal(err)
		}
		if got := active(); got != 1 {
			t.Fatalf("active after %d groups: %d, want 1", i+1, got)
		}
	}
	w.clock.Advance(31 * 24 * time.Hour)
	if err := w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := groups.Lapse(ctx, tx, tx.Now, 1000)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.register(asha, waLink(710)); err != nil {
		t.Fatal(err)
	}
	if got := active(); got != 1 {
		t.Fatalf("active after a lapse and another group: %d, want 1", got)
	}
}
