package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// cachedMark is the setting written once a cached database is built: one
// without it (a build that failed or was stopped) is built again.
const cachedMark = "storetest_cached"

// Cached returns a migrated database for a benchmark whose fixture takes
// long to build, kept between runs: a file under os.TempDir (SQLite) or a
// schema of its own on the PostgreSQL server (when JODO_TEST_DATABASE_URL
// is set), named after name and the schema version. build fills it the
// first time. Change name when the fixture changes. Benchmarks must only
// read it.
func Cached(tb testing.TB, name string, clock store.Clock, build func(*store.DB)) *store.DB {
	tb.Helper()
	ctx := context.Background()
	id := regexp.MustCompile(`[^a-z0-9_]`).ReplaceAllString(name, "_")
	engine := store.SQLite
	if PostgresURL() != "" {
		engine = store.Postgres
	}
	id = fmt.Sprintf("jodo_cached_%s_v%d", id, store.SchemaVersion(engine))
	u, reset := cachedSQLite(tb, id)
	if engine == store.Postgres {
		u, reset = cachedSchema(tb, id)
	}
	db := openAt(tb, u, clock)
	if mark, err := db.Setting(ctx, cachedMark, ""); err != nil {
		tb.Fatal(err)
	} else if mark == "built" {
		return db
	}
	db.Close()
	reset()
	db = openAt(tb, u, clock)
	build(db)
	exec(tb, db, "INSERT INTO settings (key, value) VALUES ($1, 'built') ON CONFLICT (key) DO UPDATE SET value = 'built'", cachedMark)
	return db
}

func cachedSQLite(tb testing.TB, id string) (string, func()) {
	path := filepath.Join(os.TempDir(), id+".db")
	return "sqlite:" + path, func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
				tb.Fatal(err)
			}
		}
	}
}

func cachedSchema(tb testing.TB, id string) (string, func()) {
	base := PostgresURL()
	admin := func(q string) {
		c, err := sql.Open("pgx", base)
		if err == nil {
			_, err = c.Exec(q)
			c.Close()
		}
		if err != nil {
			failOrSkip(tb, "PostgreSQL at JODO_TEST_DATABASE_URL: %v", err)
		}
	}
	admin("CREATE SCHEMA IF NOT EXISTS " + id)
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("JODO_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", id)
	u.RawQuery = q.Encode()
	return delayed(tb, u.String()), func() { admin("DROP SCHEMA " + id + " CASCADE"); admin("CREATE SCHEMA " + id) }
}
