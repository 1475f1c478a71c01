package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A caller ID with letters (phonenumbers would read them off a keypad) and
// a caller from a country the installation does not serve are kept in the
// inbox with why, and make no person, no lead and no SMS; an Indian caller
// in the same moment gets their follow-up.
func TestMissedCallsWithLettersOrFromAbroadMakeNoLead(t *testing.T) {
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	base := smsServe(t, dbURL, gw) // JODO_COUNTRIES: the default, IN
	smsCall(t, base, "vanity", "+91 98111 ABCDE")
	smsCall(t, base, "abroad", "+14155552671")
	smsCall(t, base, "home", "+919876543210")

	db := smsOpen(t, dbURL)
	for key, want := range map[string]string{"vanity": "has letters", "abroad": "country this installation does not serve", "home": ""} {
		note := scalar[string](t, db, "SELECT note FROM inbox WHERE provider = 'generic' AND provider_key = $1", key)
		if (want == "") != (note == "") || !strings.Contains(note, want) {
			t.Errorf("call %s: note %q, want %q", key, note, want)
		}
	}
	people := scalar[int](t, db, "SELECT count(*) FROM contact_points")
	leads := scalar[int](t, db, "SELECT count(*) FROM participations")
	messages := scalar[int](t, db, "SELECT count(*) FROM outbox WHERE to_address <> '+919876543210'")
	if people != 1 || leads != 1 || messages != 0 {
		t.Errorf("%d phones, %d leads and %d SMS to others after one good call; want 1, 1, 0", people, leads, messages)
	}
	smsWait(t, "the Indian caller's follow-up", func() bool { return len(gw.Received()) == 1 })
}

// scalar is the one value query returns on db.
func scalar[T any](t *testing.T, db *store.DB, query string, args ...any) T {
	t.Helper()
	var v T
	err := db.View(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRowContext(context.Background(), query, args...).Scan(&v)
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}
