// Package storetest opens a fresh, migrated database for a test: SQLite in
// a temporary directory, or, when JODO_TEST_DATABASE_URL is set, a new
// schema of its own on that PostgreSQL server, so packages run in parallel.
// It also holds the SQL tests need to look at rows no store function reads
// (or to arrange rows no store function writes), behind helpers named in
// the domain's words, so tests outside internal/store hold no SQL text.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/jodo-org/jodo/internal/store"
)

// Clock is a clock a test can set and move.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// PostgresURL is the server the PostgreSQL pass runs on, or "".
func PostgresURL() string { return os.Getenv("JODO_TEST_DATABASE_URL") }

// Strict reports JODO_TEST_STRICT=1: a test that would skip because its
// pass's own engine (or Chromium) is missing must fail instead.
func Strict() bool { return os.Getenv("JODO_TEST_STRICT") == "1" }

// RequirePostgres skips a PostgreSQL-only test in the SQLite pass.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	u := PostgresURL()
	if u == "" {
		t.Skip("PostgreSQL-only test: set JODO_TEST_DATABASE_URL to run it")
	}
	return u
}

// URL returns a database URL for a fresh, empty (unmigrated) database.
func URL(t testing.TB) string {
	t.Helper()
	if pg := PostgresURL(); pg != "" {
		return NewSchema(t, pg)
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "jodo.db")
}

// Open returns a migrated database with the given clock (nil: wall clock).
func Open(t testing.TB, clock store.Clock) *store.DB {
	t.Helper()
	return openAt(t, URL(t), clock)
}

// openAt opens and migrates the database at u, closed after the test.
func openAt(t testing.TB, u string, clock store.Clock) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, u, store.Options{Clock: clock})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// Attach opens, without migrating, the database at url that a server
// under test runs on, to look at its rows.
func Attach(t testing.TB, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url, store.Options{})
	if err != nil {
		t.Fatalf("attach the test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// NewSchema creates an empty schema on the PostgreSQL server at base and
// returns a URL whose connections use it; it is dropped after the test.
func NewSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "jodo_t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		failOrSkip(t, "PostgreSQL at JODO_TEST_DATABASE_URL is unreachable: %v", err)
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", base)
		if err == nil {
			c.Exec("DROP SCHEMA " + schema + " CASCADE")
			c.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("JODO_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return delayed(t, u.String())
}

func failOrSkip(t testing.TB, format string, args ...any) {
	t.Helper()
	if Strict() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}
