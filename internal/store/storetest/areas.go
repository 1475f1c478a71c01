package storetest

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// AreaIDs maps the areas' codes to their ids, failing t on an unknown code.
func AreaIDs(t testing.TB, db *store.DB, codes ...string) map[string]int64 {
	t.Helper()
	areas, err := db.AreasByCodes(context.Background(), codes)
	if err != nil {
		t.Fatal(err)
	}
	ids := make(map[string]int64, len(areas))
	for _, a := range areas {
		ids[a.Code] = a.ID
	}
	return ids
}
