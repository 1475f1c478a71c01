package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// Never granted, granted, withdrawn and granted again are told apart, and a
// new grant records its own notice, evidence and time.
func TestConsentLifecycle(t *testing.T) {
	f := newDriveFixture(t)
	id := f.person(t, "Sunita", "+919876543210")
	state := func(want store.ConsentStatus) {
		t.Helper()
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			got, err := store.ConsentState(ctx, tx, id, store.PurposeWhatsApp)
			if err != nil || got != want {
				t.Errorf("state %q, %v; want %q", got, err, want)
			}
			return nil
		})
	}
	withdraw := func(want bool) {
		t.Helper()
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			changed, err := store.WithdrawConsent(ctx, tx, id, store.PurposeWhatsApp)
			if err != nil || changed != want {
				t.Errorf("withdraw: changed %v, %v; want %v", changed, err, want)
			}
			return nil
		})
	}
	grant := func(notice, evidence string) {
		t.Helper()
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			return store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: store.PurposeWhatsApp,
				NoticeVersion: notice, Language: "hi", Channel: "whatsapp", Evidence: evidence})
		})
	}

	state(store.ConsentNever)
	withdraw(false)
	state(store.ConsentNever)
	grant("v1", "wamid.1")
	state(store.ConsentGranted)
	f.clock.Advance(time.Hour)
	withdraw(true)
	withdraw(false)
	state(store.ConsentWithdrawn)
	f.clock.Advance(time.Hour)
	grant("v2", "wamid.2")
	state(store.ConsentGranted)

	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if err := store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: store.PurposeMembership,
			NoticeVersion: "v2", Language: "hi", Channel: "web", Evidence: "form-9"}); err != nil {
			return err
		}
		wantCode(t, store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: "marketing", NoticeVersion: "v2", Channel: "web"}), apperr.Invalid)
		wantCode(t, store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: store.PurposeSMS, Channel: "web"}), apperr.Invalid)
		cs, err := store.Consents(ctx, tx, id)
		if err != nil {
			return err
		}
		want := []store.Consent{
			{PersonID: id, Purpose: store.PurposeMembership, NoticeVersion: "v2", Language: "hi", Channel: "web", Evidence: "form-9",
				GrantedAt: fixtureStart.Add(2 * time.Hour).UTC()},
			{PersonID: id, Purpose: store.PurposeWhatsApp, NoticeVersion: "v2", Language: "hi", Channel: "whatsapp", Evidence: "wamid.2",
				GrantedAt: fixtureStart.Add(2 * time.Hour).UTC()},
		}
		if len(cs) != len(want) || cs[0] != want[0] || cs[1] != want[1] {
			t.Errorf("consents\n got %+v\nwant %+v", cs, want)
		}
		return nil
	})
}
