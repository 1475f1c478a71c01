package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Tx is the one transaction type every store method runs in. Now is fixed
// at the start of the transaction so every row it writes agrees on the time.
// Its connection is unexported, and so are the methods that run SQL on it:
// a package holding a Tx can pass it to store functions, never run SQL of
// its own (only internal/store/storetest reaches it, for tests).
//
// On SQLite a Tx is a *sql.Tx. On PostgreSQL it is a connection on which
// Jodo begins and ends the transaction itself (pgtx.go): it begins with the
// first statement, and the statements whose results nobody reads (counter
// upserts, links: Tx.later) travel with COMMIT in one round trip.
type Tx struct {
	sqlTx     *sql.Tx // SQLite
	pg        *pgTx   // PostgreSQL
	engine    Engine
	Now       time.Time
	counters  []CounterDelta // written just before commit: flushCounters
	cache     *stmtCache     // SQLite writer only
	ancestry  *ancestryCache
	routes    *routeCache
	shards    *shardSlots // PostgreSQL: which counter shard a flush writes
	shard     int         // the shard this transaction's counters went to
	shardHeld bool
	uncached  []string // queries to prepare into cache after commit
	committed []func() // run once the transaction has committed
	// savepoints open: Tx.later runs statements at once inside one, so
	// that their failure is the savepoint's, not the commit's.
	savepoints int
	statements int // run or queued so far: tests check that a batch's count is fixed
	// doomed is the retryable error (a deadlock, a serialization conflict,
	// the membership-number race) a savepoint met: the transaction ends
	// with it whatever its callers made of it, and Update retries it whole.
	doomed error
}

// Engine tells store helpers which dialect to speak where SQL differs.
func (tx *Tx) Engine() Engine { return tx.engine }

// Update runs fn in a write transaction and commits it if fn returns nil.
// On PostgreSQL a transaction aborted by a deadlock or a serialization
// conflict is retried whole (nothing of it was applied), so fn must not
// have effects outside the transaction.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	var err error
	for attempt := range maxTxAttempts {
		if err = db.run(ctx, db.write, fn); err == nil || !retryable(err) {
			return err
		}
		txRetriesTotal.Inc()
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

const maxTxAttempts = 4

// View runs fn in a read-only transaction on the read pool.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, fn func(*Tx) error) error {
	tx := &Tx{engine: db.engine, Now: db.clock.Now().UTC(), ancestry: db.ancestry, routes: db.routes}
	if db.engine == Postgres {
		return db.runPG(ctx, pool, tx, fn)
	}
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx.sqlTx = sqlTx
	if pool == db.write {
		tx.cache = db.stmts
	}
	if err := fn(tx); err != nil || tx.doomed != nil {
		return cmp.Or(tx.doomed, err)
	}
	if err := flushCounters(ctx, tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	if len(tx.uncached) > 0 {
		tx.cache.prepare(ctx, pool, tx.uncached)
	}
	tx.afterCommit()
	return nil
}

// onCommit runs fn once tx has committed (never if it does not).
func (tx *Tx) onCommit(fn func()) { tx.committed = append(tx.committed, fn) }

func (tx *Tx) afterCommit() {
	for _, fn := range tx.committed {
		fn()
	}
}

// batch runs stmts and hands each one's rows to its scan (nil: no rows
// read): one after another on SQLite; in one round trip on PostgreSQL,
// with BEGIN if they are the transaction's first. For statements the next
// ones do not depend on.
func (tx *Tx) batch(ctx context.Context, stmts ...pgStmt) error {
	if tx.doomed != nil {
		return tx.doomed
	}
	if tx.pg != nil {
		tx.statements += len(stmts)
		return tx.pg.batch(ctx, stmts)
	}
	for _, s := range stmts {
		if s.scan == nil {
			if _, err := tx.exec(ctx, s.query, s.args...); err != nil {
				return err
			}
			continue
		}
		rows, err := tx.query(ctx, s.query, s.args...)
		if err != nil {
			return err
		}
		err = s.scan(rows)
		rows.Close()
		if err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// batchCommit is batch as the transaction's last statements, on
// PostgreSQL only: they go with COMMIT in one round trip (pgTx.batchCommit).
func (tx *Tx) batchCommit(ctx context.Context, stmts ...pgStmt) error {
	if tx.doomed != nil {
		return tx.doomed
	}
	tx.statements += len(stmts)
	return tx.pg.batchCommit(ctx, stmts)
}

// later runs a statement whose result the caller does not read: at once on
// SQLite and inside a savepoint, with COMMIT on PostgreSQL otherwise (an
// error then fails the commit, and the transaction is rolled back whole).
func (tx *Tx) later(ctx context.Context, query string, args ...any) error {
	if tx.doomed != nil {
		return tx.doomed
	}
	if tx.pg != nil && tx.pg.committed {
		return errAfterCommit
	}
	if tx.pg != nil && tx.savepoints == 0 {
		tx.statements++
		tx.pg.later = append(tx.pg.later, pgStmt{query: query, args: args})
		return nil
	}
	_, err := tx.exec(ctx, query, args...)
	return err
}
