package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// ErrSchemaNewer means the database was migrated by a newer Jodo: running
// an older binary against it could corrupt data, so it refuses to start.
var ErrSchemaNewer = errors.New("store: the database schema is newer than this jodo binary; upgrade jodo")

type migration struct {
	version int
	name    string
	sql     string
}

func migrations(engine Engine) ([]migration, error) {
	dir := path.Join("migrations", string(engine))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: bad migration file name %s", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	return out, nil
}

// SchemaVersion is the newest migration this binary knows.
func SchemaVersion(engine Engine) int {
	ms, err := migrations(engine)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies pending migrations under a lock, so several servers can
// start together on one PostgreSQL database: one migrates, the others wait
// and then find nothing to do. then runs while the lock is still held (River
// migrates there).
func (db *DB) Migrate(ctx context.Context, then func(context.Context) error) error {
	ms, err := migrations(db.engine)
	if err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	unlock, err := db.lockMigrations(ctx, conn)
	if err != nil {
		return err
	}
	defer unlock()
	if err := db.applyMigrations(ctx, conn, ms); err != nil {
		return err
	}
	if then == nil {
		return nil
	}
	// SQLite has one writer connection: release it for River.
	if db.engine == SQLite {
		unlock()
		conn.Close()
	}
	return then(ctx)
}

func (db *DB) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if db.engine != Postgres {
		// SQLite: each migration runs in an immediate transaction, which is
		// the lock; a second process waits on busy_timeout.
		return func() {}, nil
	}
	const lock = "SELECT pg_advisory_lock(7243, hashtext(current_schema()))"
	if _, err := conn.ExecContext(ctx, lock); err != nil {
		return nil, fmt.Errorf("store: migration lock: %w", err)
	}
	released := false
	return func() {
		if !released {
			released = true
			conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7243, hashtext(current_schema()))")
		}
	}, nil
}

func (db *DB) applyMigrations(ctx context.Context, conn *sql.Conn, ms []migration) error {
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := db.applyOne(ctx, conn, m); err != nil {
			return err
		}
	}
	_, err := db.currentVersion(ctx, conn)
	return err
}

func (db *DB) applyOne(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", m.version).Scan(&n); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
		m.version, m.name, ms(db.clock.Now())); err != nil {
		return fmt.Errorf("store: record migration %s: %w", m.name, err)
	}
	return tx.Commit()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) currentVersion(ctx context.Context, q querier) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	if int(v.Int64) > SchemaVersion(db.engine) {
		return int(v.Int64), ErrSchemaNewer
	}
	return int(v.Int64), nil
}

// CheckSchema reports whether the database is reachable and its schema is
// exactly the one this binary expects (for /readyz).
func (db *DB) CheckSchema(ctx context.Context) error {
	v, err := db.currentVersion(ctx, db.read)
	if err != nil {
		return err
	}
	if want := SchemaVersion(db.engine); v != want {
		return fmt.Errorf("store: schema version %d, want %d: run jodo migrate", v, want)
	}
	return nil
}
