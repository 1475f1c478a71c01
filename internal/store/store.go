// Package store owns every SQL statement Jodo runs, on SQLite and
// PostgreSQL alike: connections, migrations, transactions, group commit and
// one file per entity. Times are stored as UTC unix milliseconds.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Engine names the database engine behind a DB.
type Engine string

// The two engines Jodo runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Clock tells the time; tests inject one they can move.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// SystemClock is the wall clock.
var SystemClock Clock = systemClock{}

// DB is Jodo's database: a writer and a reader. On SQLite the writer is one
// connection (SQLite has one writer anyway; queuing in Go is cheaper than
// SQLITE_BUSY) and the reader a query_only pool. On PostgreSQL both are
// the same pool.
type DB struct {
	engine   Engine
	write    *sql.DB
	read     *sql.DB
	ckpt     *sql.DB      // SQLite: the background checkpointer's connection
	passives atomic.Int64 // SQLite: passive checkpoints run (for tests)
	clock    Clock
	stmts    *stmtCache // SQLite writer statements; nil on PostgreSQL
	ancestry *ancestryCache
	routes   *routeCache // PostgreSQL: the owners of called numbers, checked when used
	shards   *shardSlots // PostgreSQL: counter shards held by this process's transactions
	// shardLock is the connection whose session holds this node's range
	// of counter shards (PostgreSQL, once it has written counters).
	shardLock *sql.Conn
	stop      context.CancelFunc
	done      chan struct{}
}

// Options tune Open; the zero value is production's.
type Options struct {
	Clock     Clock
	ReadConns int // SQLite read pool size (default 4)
}

// Open connects to url: "sqlite:PATH" or "postgres://…". It does not migrate.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	if opt.Clock == nil {
		opt.Clock = SystemClock
	}
	var db *DB
	var err error
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		db, err = openSQLite(strings.TrimPrefix(url, "sqlite:"), opt)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		db, err = openPostgres(url)
	default:
		return nil, apperr.New(apperr.Invalid, "database URL must start with sqlite: or postgres:// (got %q)", redactURL(url))
	}
	if err != nil {
		return nil, err
	}
	db.clock = opt.Clock
	db.ancestry = &ancestryCache{chains: map[int64]ancestryEntry{}}
	if err := db.write.PingContext(ctx); err != nil {
		db.closePools()
		return nil, fmt.Errorf("store: connect to %s: %w", redactURL(url), err)
	}
	db.startMaintenance()
	return db, nil
}

// Engine reports which engine this is.
func (db *DB) Engine() Engine { return db.engine }

// Now is the injected clock's time.
func (db *DB) Now() time.Time { return db.clock.Now() }

// Close stops maintenance and closes the pools.
func (db *DB) Close() error {
	if db.stop != nil {
		db.stop()
		<-db.done
	}
	return db.closePools()
}

func (db *DB) closePools() error {
	db.stmts.close()
	if db.shardLock != nil {
		db.shardLock.Close()
	}
	var err error
	if db.ckpt != nil {
		err = db.ckpt.Close()
	}
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// redactURL hides a password in a postgres URL so it can be logged.
func redactURL(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	userinfo := url[scheme+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return url[:scheme+3] + user + ":xxxxx" + url[at:]
	}
	return url
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}
