package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/jodo-org/jodo/internal/store"
)

// RiverInserter is a River client on a test's database that only inserts
// jobs, the way Jodo's code would insert one inside a store transaction
// (Jodo inserts none yet; internal/jobs tests that it could).
type RiverInserter struct {
	client *river.Client[*sql.Tx]
}

// NewRiverInserter builds an inserting River client on db's writer pool,
// with the driver store picks for db's engine.
func NewRiverInserter(t testing.TB, db *store.DB) *RiverInserter {
	t.Helper()
	var driver riverdriver.Driver[*sql.Tx] = riverdatabasesql.New(writeDB(db))
	if db.Engine() == store.SQLite {
		driver = riversqlite.New(writeDB(db))
	}
	client, err := river.NewClient(driver, &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return &RiverInserter{client: client}
}

// Insert inserts a job for args inside tx: it exists only if tx commits.
func (r *RiverInserter) Insert(ctx context.Context, tx *store.Tx, args river.JobArgs) error {
	_, err := r.client.InsertTx(ctx, sqlOf(tx), args, nil)
	return err
}
