package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

func TestContacts(t *testing.T) {
	f := newDriveFixture(t)
	sunita := f.person(t, "Sunita", "+919876543210")
	other := f.person(t, "Other", "+919800000001")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		wantCode(t, store.AddContact(ctx, tx, other, store.ContactPhone, "+919876543210"), apperr.Conflict)
		wantCode(t, store.AddContact(ctx, tx, sunita, store.ContactPhone, "+919876543210"), apperr.Conflict)
		for _, bad := range []string{"9876543210", "+0919876543210", "+91 98765 43210", "+", ""} {
			wantCode(t, store.AddContact(ctx, tx, sunita, store.ContactPhone, bad), apperr.Invalid)
		}
		wantCode(t, store.AddContact(ctx, tx, sunita, "telegram", "123"), apperr.Invalid)
		wantCode(t, store.AddContact(ctx, tx, sunita, store.ContactBSUID, ""), apperr.Invalid)
		if err := store.AddContact(ctx, tx, sunita, store.ContactBSUID, "IN.1234567890"); err != nil {
			return err
		}
		for kind, value := range map[string]string{store.ContactPhone: "+919876543210", store.ContactBSUID: "IN.1234567890"} {
			id, err := store.FindByContact(ctx, tx, kind, value)
			if err != nil || id != sunita {
				t.Errorf("FindByContact(%s) = %d, %v; want %d", kind, id, err, sunita)
			}
		}
		_, err := store.FindByContact(ctx, tx, store.ContactWAID, "919876543210")
		wantCode(t, err, apperr.NotFound)
		return nil
	})
	f.clock.Advance(time.Minute)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for i, want := range []bool{true, false} {
			changed, err := store.VerifyContact(ctx, tx, store.ContactPhone, "+919876543210")
			if err != nil || changed != want {
				t.Errorf("verify #%d: changed %v, %v; want %v", i+1, changed, err, want)
			}
		}
		_, err := store.VerifyContact(ctx, tx, store.ContactPhone, "+919811111111")
		wantCode(t, err, apperr.NotFound)
		cs, err := store.Contacts(ctx, tx, sunita)
		if err != nil {
			return err
		}
		if len(cs) != 2 {
			t.Fatalf("got %d contacts, want 2: %+v", len(cs), cs)
		}
		phone, bsuid := cs[0], cs[1]
		if phone.Kind != store.ContactPhone || phone.PersonID != sunita || !phone.VerifiedAt.Equal(fixtureStart.Add(time.Minute)) ||
			!phone.CreatedAt.Equal(fixtureStart) {
			t.Errorf("phone contact %+v", phone)
		}
		if bsuid.Kind != store.ContactBSUID || !bsuid.VerifiedAt.IsZero() {
			t.Errorf("bsuid contact %+v", bsuid)
		}
		return nil
	})
}

// Verifying proven contact points verifies only the person's own (a number
// someone else holds stays theirs, unverified) and says which they hold.
func TestVerifyContactsOf(t *testing.T) {
	f := newDriveFixture(t)
	mine := f.person(t, "A", "+919800000001")
	theirs := f.person(t, "B", "+919800000002")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if err := store.AddContact(ctx, tx, mine, store.ContactWAID, "919800000001"); err != nil {
			return err
		}
		held, err := store.VerifyContactsOf(ctx, tx, mine, []store.Contact{{Kind: store.ContactWAID, Value: "919800000001"},
			{Kind: store.ContactPhone, Value: "+919800000001"}, {Kind: store.ContactPhone, Value: "+919800000002"},
			{Kind: store.ContactPhone, Value: "+919800000009"}})
		if err != nil {
			return err
		}
		if len(held) != 2 {
			t.Errorf("held %+v, want the WhatsApp number and the phone of A", held)
		}
		for _, id := range []int64{mine, theirs} {
			cs, err := store.Contacts(ctx, tx, id)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if verified := !c.VerifiedAt.IsZero(); verified != (id == mine) {
					t.Errorf("person %d's %s %s verified: %v", id, c.Kind, c.Value, verified)
				}
			}
		}
		return nil
	})
}
