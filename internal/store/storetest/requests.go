package storetest

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// ExpireRequestCode makes request id's code run out now, as if its 30
// minutes had passed, for a test against a server on the real clock.
func ExpireRequestCode(t testing.TB, db *store.DB, id int64) {
	t.Helper()
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := sqlOf(tx).ExecContext(context.Background(), `UPDATE person_requests SET code_expires_at = $1 WHERE id = $2`,
			tx.Now.UnixMilli(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ExpireEnrolment makes enrolment id's code expire now, as its 15 minutes
// passing would.
func ExpireEnrolment(t testing.TB, db *store.DB, id int64) {
	t.Helper()
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := sqlOf(tx).ExecContext(context.Background(), `UPDATE enrolments SET expires_at = $1 WHERE id = $2`, tx.Now.UnixMilli(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
