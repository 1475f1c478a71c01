package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

// TestSQLiteCheckpointsBesideTheWriter: the writer's connection never
// checkpoints (its commits would wait for the copy), and what it commits
// still reaches the database file soon, copied by the checkpointer. In WAL
// mode the database file grows only by checkpoints, so its size shows them.
func TestSQLiteCheckpointsBesideTheWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var auto int
	err = db.Update(ctx, func(tx *store.Tx) error {
		return rawsql.Tx(tx).QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto)
	})
	if err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Fatalf("the writer checkpoints every %d pages itself; want 0 (the checkpointer does it)", auto)
	}
	before := fileSize(t, path)
	// The schema is a few hundred pages, well under SQLite's automatic
	// checkpoint of 1,000, and the periodic TRUNCATE is minutes away.
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) < before+64<<10 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (%d before migrating) 10 s after the writer committed the schema: nothing checkpointed it", fileSize(t, path), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
