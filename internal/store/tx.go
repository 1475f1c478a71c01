package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Tx is the one transaction type every store method runs in. Now is fixed
// at the start of the transaction so every row it writes agrees on the time.
// Its *sql.Tx is unexported, and so are the methods that run SQL on it:
// a package holding a Tx can pass it to store functions, never run SQL of
// its own (only internal/store/storetest reaches it, for tests).
type Tx struct {
	sqlTx    *sql.Tx
	engine   Engine
	Now      time.Time
	counters []CounterDelta // written just before commit: flushCounters
	cache    *stmtCache     // SQLite writer only
	ancestry *ancestryCache
	uncached []string // queries to prepare into cache after commit
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
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{sqlTx: sqlTx, engine: db.engine, Now: db.clock.Now().UTC(), ancestry: db.ancestry}
	if pool == db.write {
		tx.cache = db.stmts
	}
	if err := fn(tx); err != nil {
		return err
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
	return nil
}
