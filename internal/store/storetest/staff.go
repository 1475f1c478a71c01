package storetest

import (
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// SigninLinkCount counts the sign-in links kept for a person, used or not.
func SigninLinkCount(t testing.TB, db *store.DB, personID int64) int {
	t.Helper()
	return scalar[int](t, db, "SELECT count(*) FROM signin_links WHERE person_id = $1", personID)
}
