package referrals_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/referrals"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// A → B → C → D → E by referral codes: when E verifies, D gets direct
// credit and C, B, A indirect; an unverified join credits nobody; a
// self-referral and a second referral change nothing.
func TestChainCredit(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 14, 9, 0, 0, 0, time.UTC)))
	d := drivetest.Load(t, db, nil, drivetest.Reference)["jh-warriors"]
	p, r := people.New(key), referrals.New(key)
	update := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := db.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	// join makes a lead (by the code's owner when code is given), and
	// registers them, verified (a link proves their phone) when verify.
	join := func(i int, code string, verify bool) (int64, string) {
		t.Helper()
		var id int64
		var own string
		update(func(tx *store.Tx) error {
			var err error
			if id, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
				return err
			}
			phone := fmt.Sprintf("+9198765006%02d", i)
			if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
				return err
			}
			day := drive.Calendar(d).Day(tx.Now)
			part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: d.ID, Channel: "web", Day: day})
			if err != nil {
				return err
			}
			if code != "" {
				if _, err := r.Refer(ctx, tx, part, code); err != nil {
					return err
				}
			}
			reg := people.Registration{PersonID: id, DriveID: d.ID, Name: "Member", Language: "hi", AreaID: d.RootAreaID,
				Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "t", Day: day}
			if verify {
				reg.Proof = people.ByLink
			}
			if _, err := p.Register(ctx, tx, reg); err != nil {
				return err
			}
			own, err = r.CodeFor(ctx, tx, id)
			return err
		})
		return id, own
	}
	credit := func(id int64) (direct, indirect int64) {
		t.Helper()
		row := storetest.RecruiterCredit(t, db, d.ID, id)
		return row[0], row[1]
	}
	activeAt := func(id int64) bool {
		t.Helper()
		var part store.Participation
		if err := db.View(ctx, func(tx *store.Tx) (err error) {
			part, err = store.FindParticipation(ctx, tx, id, d.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return !part.ActiveAt.IsZero()
	}
	a, codeA := join(1, "", true)
	if activeAt(a) {
		t.Fatal("A is active before recruiting anyone")
	}
	b, codeB := join(2, codeA, true)
	if !activeAt(a) || activeAt(b) {
		t.Fatalf("after B verified: A active %v (want true), B active %v (want false)", activeAt(a), activeAt(b))
	}
	c, codeC := join(3, codeB, true)
	dd, codeD := join(4, codeC, true)
	if got, _ := credit(a); got != 1 {
		t.Fatalf("A's direct credit after B verified: %d", got)
	}
	unverified, _ := join(5, codeD, false)
	if x, y := credit(dd); x != 0 || y != 0 {
		t.Fatalf("an unverified join credited D: %d %d", x, y)
	}
	e, _ := join(6, codeD, true)
	// E leaves and joins again, verified again: nobody is credited twice.
	update(func(tx *store.Tx) error {
		if err := p.EndMembership(ctx, tx, e, "web"); err != nil {
			return err
		}
		_, err := p.Register(ctx, tx, people.Registration{PersonID: e, DriveID: d.ID, Name: "Member", Language: "hi", AreaID: d.RootAreaID,
			Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "t",
			Day: drive.Calendar(d).Day(tx.Now), Proof: people.ByLink})
		return err
	})
	// Recruiting a verified member makes the referrer active, once: A, B,
	// C and D are active; E (recruited nobody) and the unverified join
	// are not.
	for who, want := range map[int64]bool{a: true, b: true, c: true, dd: true, e: false, unverified: false} {
		if activeAt(who) != want {
			t.Errorf("person %d active: %v, want %v", who, !want, want)
		}
	}
	if got := storetest.CountsByChannel(t, db, "web")["active"]; got != 4 {
		t.Errorf("active counted %d times, want 4 (A, B, C, D once each)", got)
	}
	for _, c := range []struct {
		who              int64
		direct, indirect int64
	}{{dd, 1, 0}, {c, 1, 1}, {b, 1, 2}, {a, 1, 3}} {
		if x, y := credit(c.who); x != c.direct || y != c.indirect {
			t.Errorf("person %d: direct %d indirect %d, want %d %d", c.who, x, y, c.direct, c.indirect)
		}
	}
	// A second referral of someone referred, and a self-referral, change nothing.
	update(func(tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, unverified, d.ID)
		if err != nil {
			return err
		}
		for _, code := range []string{codeA, codeD} {
			if set, err := r.Refer(ctx, tx, part.ID, code); err != nil || set {
				return fmt.Errorf("a second referral: set %v, %v", set, err)
			}
		}
		own, err := r.CodeFor(ctx, tx, unverified)
		if err != nil {
			return err
		}
		part, err = store.FindParticipation(ctx, tx, a, d.ID)
		if err != nil {
			return err
		}
		if set, err := r.Refer(ctx, tx, part.ID, codeA); err != nil || set {
			return fmt.Errorf("a self-referral: set %v, %v", set, err)
		}
		_ = own
		return nil
	})
}
