package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

func TestSampleWaitsNeedsPostgres(t *testing.T) {
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "jodo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SampleWaits(context.Background()); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("SampleWaits on SQLite: %v, want an invalid error", err)
	}
}

// A transaction waiting for a counter-like row another holds shows as a
// Lock:transactionid wait on a counter statement.
func TestSampleWaitsSeesARowLockOnCounters(t *testing.T) {
	storetest.RequirePostgres(t)
	u := storetest.URL(t)
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE probe_counters (id int PRIMARY KEY, n int); INSERT INTO probe_counters VALUES (1, 0)`); err != nil {
		t.Fatal(err)
	}
	holder, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, `UPDATE probe_counters SET n = n + 1 WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() {
		_, err := raw.ExecContext(ctx, `UPDATE probe_counters SET n = n + 1 WHERE id = 1`)
		waited <- err
	}()
	sampler := storetest.Attach(t, u)
	deadline := time.Now().Add(20 * time.Second)
	for found := false; !found; {
		if time.Now().After(deadline) {
			t.Fatal("no Lock:transactionid wait on a counter statement was sampled")
		}
		waits, err := sampler.SampleWaits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range waits {
			found = found || (w.Lock() && w.Event == "transactionid" && w.Counter)
		}
	}
	holder.Rollback()
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
}
