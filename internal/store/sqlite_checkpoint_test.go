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
	db, path := openFileSQLite(t)
	var auto int
	err := db.Update(ctx, func(tx *store.Tx) error {
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
	if !grows(t, path, before+64<<10, 10*time.Second) {
		t.Fatalf("database file still %d bytes (%d before migrating) 10 s after the writer committed the schema: nothing checkpointed it", fileSize(t, path), before)
	}
}

// grows waits up to within for the file at path to reach size bytes.
func grows(t *testing.T, path string, size int64, within time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(within)
	for fileSize(t, path) < size {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// openFileSQLite opens a fresh SQLite database in a file, closed when t ends.
func openFileSQLite(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(context.Background(), "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestSQLiteCheckpointerSlowsWhenIdle: with nothing new in the WAL the
// checkpointer's ticks space out (at most one every passiveIdle, 800 ms,
// instead of one every 100 ms), and a write after the lull still reaches
// the database file within about a second.
func TestSQLiteCheckpointerSlowsWhenIdle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openFileSQLite(t)
	// 100 + 200 + 400 + 800 ms of ticks finding nothing new reach the
	// longest wait; a little more for a busy machine.
	time.Sleep(2500 * time.Millisecond)
	from := store.PassiveCheckpointsForTest(db)
	time.Sleep(3 * time.Second)
	idle := store.PassiveCheckpointsForTest(db) - from
	if idle == 0 || idle > 6 {
		t.Errorf("%d passive checkpoints in 3 idle seconds; want 1–6 (one every 800 ms at most; 30 at a steady 100 ms)", idle)
	}
	before := fileSize(t, path)
	err := db.Update(ctx, func(tx *store.Tx) error {
		if _, err := rawsql.Tx(tx).ExecContext(ctx, "CREATE TABLE lull (b BLOB)"); err != nil {
			return err
		}
		_, err := rawsql.Tx(tx).ExecContext(ctx, "INSERT INTO lull VALUES (zeroblob(262144))")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !grows(t, path, before+128<<10, 2*time.Second) {
		t.Fatalf("database file still %d bytes (%d before) 2 s after a write that followed a lull: the checkpointer did not wake", fileSize(t, path), before)
	}
}
