package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

func TestPersonDetails(t *testing.T) {
	f := newDriveFixture(t)
	id := f.person(t, "Sunita Oraon", "+919876543210")
	f.clock.Advance(time.Minute)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if err := store.UpdatePersonDetails(ctx, tx, id, "Sunita Oraon", "en", f.ac, names.SearchKeys("Sunita Oraon")); err != nil {
			return err
		}
		return setNo(ctx, tx, id, "JH7K2M9QX")
	})
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		want := store.Person{ID: id, Name: "Sunita Oraon", Language: "en", AreaID: f.ac, MembershipNo: "JH7K2M9QX",
			CreatedAt: fixtureStart.UTC(), UpdatedAt: fixtureStart.Add(time.Minute).UTC()}
		if p != want {
			t.Errorf("got %+v, want %+v", p, want)
		}
		_, err = store.GetPerson(ctx, tx, id+100)
		wantCode(t, err, apperr.NotFound)
		wantCode(t, store.UpdatePersonDetails(ctx, tx, id+100, "x", "hi", 0, names.SearchKeys("x")), apperr.NotFound)
		return nil
	})
}

// A taken membership number is a conflict that leaves the transaction
// usable (PostgreSQL would otherwise abort it), so the caller can draw
// another number in the same transaction.
func TestMembershipNoConflict(t *testing.T) {
	f := newDriveFixture(t)
	first := f.person(t, "A", "+919800000001")
	second := f.person(t, "B", "+919800000002")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if err := setNo(ctx, tx, first, "JH0000001"); err != nil {
			return err
		}
		wantCode(t, setNo(ctx, tx, second, "JH0000001"), apperr.Conflict)
		wantCode(t, setNo(ctx, tx, second, "JH0000001"), apperr.Conflict)
		if err := setNo(ctx, tx, second, "JH0000002"); err != nil {
			return err
		}
		_, err := store.CreatePerson(ctx, tx, store.Person{Name: "C", MembershipNo: "JH0000002"})
		wantCode(t, err, apperr.Conflict)
		wantCode(t, setNo(ctx, tx, second, ""), apperr.Invalid)
		return nil
	})
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, second)
		if p.MembershipNo != "JH0000002" {
			t.Errorf("second person's number is %q, want JH0000002", p.MembershipNo)
		}
		if kept, err := store.GiveMembershipNo(ctx, tx, second, "JH0000003"); err != nil || kept != "JH0000002" {
			t.Errorf("a numbered person given another number: %q, %v; want their own JH0000002", kept, err)
		}
		return err
	})
}

// Two transactions giving one number at the same moment (PostgreSQL): the
// one that commits second breaks the unique index, is run again whole, and
// then sees the number taken and draws another.
func TestMembershipNoRaceIsRetried(t *testing.T) {
	storetest.RequirePostgres(t)
	f := newDriveFixture(t)
	first := f.person(t, "A", "+919800000001")
	second := f.person(t, "B", "+919800000002")
	ctx := context.Background()
	retries := testutil.ToFloat64(store.TxRetriesForTest)
	given, done := make(chan struct{}), make(chan error, 1)
	go func() {
		done <- f.db.Update(ctx, func(tx *store.Tx) error {
			if _, err := store.GiveMembershipNo(ctx, tx, first, "JH0000009"); err != nil {
				return err
			}
			close(given)
			// Commit only once the other's update waits on this one's number.
			for range 1000 {
				var waiting int
				err := f.db.View(ctx, func(tx *store.Tx) error {
					return rawsql.Tx(tx).QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity
						WHERE wait_event_type = 'Lock' AND query LIKE '%SET membership_no%'`).Scan(&waiting)
				})
				if err != nil || waiting > 0 {
					return err
				}
				time.Sleep(10 * time.Millisecond)
			}
			return errors.New("the other transaction never waited on this one's number")
		})
	}()
	<-given
	var drawn []string
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		drawn = nil // Update may run this again
		for _, no := range []string{"JH0000009", "JH0000010"} {
			got, err := store.GiveMembershipNo(ctx, tx, second, no)
			if apperr.CodeOf(err) == apperr.Conflict {
				continue
			}
			drawn = append(drawn, got)
			return err
		}
		return nil
	})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err != nil || fmt.Sprint(drawn) != "[JH0000010]" {
		t.Fatalf("the second giver: %v, numbers %v; want [JH0000010] after a retry", err, drawn)
	}
	if r := testutil.ToFloat64(store.TxRetriesForTest) - retries; r != 1 {
		t.Errorf("%v retries, want 1: the race should have broken the unique index once", r)
	}
}

// Erasure removes the name, area, number, contact points and consents,
// hands back the contact points for suppression hashes, and leaves the
// counters the person moved alone.
func TestErasePerson(t *testing.T) {
	f := newDriveFixture(t)
	id := f.person(t, "Sunita Oraon", "+919876543210")
	part := f.lead(t, id)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if err := store.AddContact(ctx, tx, id, store.ContactWAID, "919876543210"); err != nil {
			return err
		}
		if err := store.UpdatePersonDetails(ctx, tx, id, "Sunita Oraon", "hi", f.ac, names.SearchKeys("Sunita Oraon")); err != nil {
			return err
		}
		if err := setNo(ctx, tx, id, "JH7K2M9QX"); err != nil {
			return err
		}
		if err := store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: store.PurposeMembership,
			NoticeVersion: "v1", Language: "hi", Channel: "web", Evidence: "form-1"}); err != nil {
			return err
		}
		_, err := store.ReachStage(ctx, tx, part, store.StageRegistered, f.ac, "web", fixtureDay)
		return err
	})
	f.clock.Advance(time.Hour)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		gone, err := store.ErasePerson(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(gone) != 2 || gone[0].Kind != store.ContactPhone || gone[0].Value != "+919876543210" ||
			gone[1].Kind != store.ContactWAID || gone[1].Value != "919876543210" {
			t.Errorf("erase returned contacts %+v", gone)
		}
		p, err := store.GetPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		want := store.Person{ID: id, CreatedAt: fixtureStart.UTC(), UpdatedAt: fixtureStart.Add(time.Hour).UTC(),
			ErasedAt: fixtureStart.Add(time.Hour).UTC()}
		if p != want {
			t.Errorf("erased person is %+v, want %+v", p, want)
		}
		if cs, err := store.Contacts(ctx, tx, id); err != nil || len(cs) != 0 {
			t.Errorf("contacts after erasure: %v, %v", cs, err)
		}
		_, err = store.FindByContact(ctx, tx, store.ContactPhone, "+919876543210")
		wantCode(t, err, apperr.NotFound)
		if st, err := store.ConsentState(ctx, tx, id, store.PurposeMembership); err != nil || st != store.ConsentNever {
			t.Errorf("consent after erasure: %v, %v", st, err)
		}
		wantCode(t, store.UpdatePersonDetails(ctx, tx, id, "Back", "hi", 0, names.SearchKeys("Back")), apperr.NotFound)
		wantCode(t, setNo(ctx, tx, id, "JH7K2M9QX"), apperr.NotFound)
		again, err := store.ErasePerson(ctx, tx, id)
		if err != nil || len(again) != 0 {
			t.Errorf("second erasure: %v, %v", again, err)
		}
		_, err = store.ErasePerson(ctx, tx, id+100)
		wantCode(t, err, apperr.NotFound)
		return nil
	})
	if got := f.total(t, f.state, "leads"); got != 1 {
		t.Errorf("leads after erasure = %d, want 1", got)
	}
	if got := f.total(t, f.state, "members"); got != 1 {
		t.Errorf("members after erasure = %d, want 1", got)
	}
	// The freed phone can be given to someone new; suppression is the
	// caller's check, not a constraint.
	f.person(t, "New owner", "+919876543210")
}

// A registration's one round trip: the details and a number (kept if the
// person has one, "" if someone else holds it), every purpose's consent,
// and the participation and contacts read back. For an erased person it
// is not found and writes nothing, even when the transaction commits
// after it: no name keys, no consent, no number.
func TestWriteRegistration(t *testing.T) {
	f := newDriveFixture(t)
	first := f.person(t, "A", "+919800000001")
	second := f.person(t, "B", "+919800000002")
	erased := f.person(t, "C", "+919800000003")
	part := f.lead(t, second)
	gone := f.lead(t, erased)
	purposes := []string{store.PurposeMembership, store.PurposeWhatsApp, store.PurposeSMS}
	reg := func(person, participation int64, name, number string) (store.Registered, error) {
		var out store.Registered
		err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
			out, err = store.WriteRegistration(context.Background(), tx, store.Registering{PersonID: person, ParticipationID: participation,
				Name: name, Language: "hi", AreaID: f.ac, NameKeys: names.SearchKeys(name), Number: number,
				Purposes: purposes, NoticeVersion: "v2", Channel: "whatsapp", Evidence: "whatsapp:wamid.1"})
			if apperr.CodeOf(err) == apperr.NotFound {
				return nil // commit what the batch wrote, if anything
			}
			return err
		})
		return out, err
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error { return setNo(ctx, tx, first, "JH0000001") })

	got, err := reg(second, part, "Sunita Devi", "JH0000001")
	if err != nil || got.Number != "" {
		t.Fatalf("registering with a number someone holds: %q, %v; want no number", got.Number, err)
	}
	if got.Participation.ID != part || got.Participation.Channel != "missed_call" || len(got.Contacts) != 1 || got.Contacts[0].Value != "+919800000002" {
		t.Errorf("read back %+v and %+v, want participation %d and the one phone", got.Participation, got.Contacts, part)
	}
	if got, err = reg(second, part, "Sunita Devi", "JH0000002"); err != nil || got.Number != "JH0000002" {
		t.Fatalf("registering with a free number: %q, %v", got.Number, err)
	}
	if got, err = reg(second, part, "Sunita Oraon", "JH0000003"); err != nil || got.Number != "JH0000002" {
		t.Fatalf("registering again: %q, %v; want the number kept", got.Number, err)
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, second)
		if err != nil {
			return err
		}
		if p.Name != "Sunita Oraon" || p.AreaID != f.ac || p.MembershipNo != "JH0000002" {
			t.Errorf("person after registering: %+v", p)
		}
		cs, err := store.Consents(ctx, tx, second)
		if err != nil {
			return err
		}
		if len(cs) != len(purposes) {
			t.Errorf("consents %+v, want one for each of %q", cs, purposes)
		}
		for _, c := range cs {
			if c.NoticeVersion != "v2" || c.Channel != "whatsapp" || c.Evidence != "whatsapp:wamid.1" || c.Language != "hi" {
				t.Errorf("consent %+v", c)
			}
		}
		return nil
	})
	if n := storetest.NameKeyCount(t, f.db, second); n != 2 {
		t.Errorf("%d name keys, want 2", n)
	}

	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := store.ErasePerson(ctx, tx, erased)
		return err
	})
	var regErr error
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, regErr = store.WriteRegistration(ctx, tx, store.Registering{PersonID: erased, ParticipationID: gone,
			Name: "Chhaya Devi", Language: "hi", NameKeys: names.SearchKeys("Chhaya Devi"), Number: "JH0000004",
			Purposes: purposes, NoticeVersion: "v2", Channel: "whatsapp", Evidence: "whatsapp:wamid.2"})
		return nil // and commit
	})
	if apperr.CodeOf(regErr) != apperr.NotFound {
		t.Errorf("registering an erased person: %v, want not found", regErr)
	}
	if n := storetest.NameKeyCount(t, f.db, erased); n != 0 {
		t.Errorf("%d name keys of an erased person", n)
	}
	if left := storetest.TextLeft(t, f.db, "chhaya", "wamid.2", "JH0000004"); len(left) != 0 {
		t.Errorf("%q kept of an erased person's registration", left)
	}
}
