package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// addRequest records a done request of kind for person.
func addRequest(t *testing.T, db *store.DB, person int64, kind string) {
	t.Helper()
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := store.AddPersonRequest(context.Background(), tx, store.PersonRequest{PersonID: person, Kind: kind, Channel: "letter",
			Actor: "token:admin", ActorRole: "admin", State: store.RequestDone, DoneAt: tx.Now, IdentityCheck: "signed_letter"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// requestsOf are the person's requests' kinds.
func requestsOf(t *testing.T, db *store.DB, person int64) []string {
	t.Helper()
	var kinds []string
	err := db.View(context.Background(), func(tx *store.Tx) error {
		rs, err := store.PersonRequests(context.Background(), tx, person)
		for _, r := range rs {
			kinds = append(kinds, r.Kind)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return kinds
}

// A person with requests staff handled folds into another (a join code
// used from their chat): their requests go with them.
func TestFoldPersonMovesTheirRequests(t *testing.T) {
	w := newSearchWorld(t)
	addRequest(t, w.db, w.people["ravi"], "withdraw:whatsapp")
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.FoldPerson(ctx, tx, w.people["ravi"], w.people["sunita"], fixtureDay)
	})
	if got := requestsOf(t, w.db, w.people["sunita"]); len(got) != 1 || got[0] != "withdraw:whatsapp" {
		t.Errorf("the requests of the person folded into: %q", got)
	}
}

// Undoing an import keeps a person it created who has made a request to
// staff since, and removes one who has not.
func TestUndoImportKeepsAPersonWithARequest(t *testing.T) {
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC)))
	w := storetest.NewImportWorld(t, db)
	imp, people := w.Import(t, "district list", storetest.ImportRow{Phone: "+919876500051"}, storetest.ImportRow{Phone: "+919876500052"})
	addRequest(t, db, people["+919876500051"], "correct:name")
	var res store.UndoResult
	err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		res, err = store.UndoImport(context.Background(), tx, imp)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != 1 || res.Kept != 1 {
		t.Errorf("undo: %+v, want the person with a request kept and the other removed", res)
	}
	if got := requestsOf(t, db, people["+919876500051"]); len(got) != 1 {
		t.Errorf("the kept person's requests: %q", got)
	}
}
