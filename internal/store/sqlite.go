package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqliteDSN configures every connection in the DSN, busy_timeout first so
// the other pragmas already wait instead of failing.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_time_format", "sqlite")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
	} else {
		// FULL: an acknowledged call must survive a power cut; group commit
		// pays the fsync once per batch.
		q.Add("_pragma", "synchronous(FULL)")
		// The writer never checkpoints: its automatic checkpoint ran
		// after every 1,000 WAL pages, inside the commit that crossed
		// them, and held up the only writer while it copied pages and
		// synced the file. startMaintenance's checkpointer does it, on a
		// connection of its own.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Set("_txlock", "immediate")
		// A statement's undo journal (multi-row INSERTs inside a
		// transaction keep one) spills to a temporary file past 64 KiB:
		// in memory, an import's load costs a third less CPU.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("store: sqlite: empty path")
	}
	write, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// Create the file and switch it to WAL before readers open it.
	if _, err := write.Exec("SELECT 1"); err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite reader: %w", err)
	}
	n := opt.ReadConns
	if n <= 0 {
		n = 4
	}
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	// The checkpointer's connection: a writer's DSN (a checkpoint writes
	// the database file), never used for a transaction.
	ckpt, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("store: open sqlite checkpointer: %w", err)
	}
	ckpt.SetMaxOpenConns(1)
	ckpt.SetMaxIdleConns(1)
	return &DB{engine: SQLite, write: write, read: read, ckpt: ckpt, stmts: &stmtCache{stmts: map[string]*sql.Stmt{}}}, nil
}

// checkpointEvery bounds WAL growth: a passive checkpoint can be starved
// by steady readers, so a TRUNCATE checkpoint runs periodically.
const checkpointEvery = 2 * time.Minute

// passiveEvery is how often the checkpointer copies what the WAL holds into
// the database file, beside the writer instead of in its commits (the
// writer's automatic checkpoint is off: sqliteDSN). With follow-up SMS it
// took 6–10 % more calls a second than the writer checkpointing every
// 1,000 pages itself (docs/performance.md, sixth session). A page written
// again within the interval is copied once.
const passiveEvery = 100 * time.Millisecond

// passiveIdle is the longest the checkpointer waits while nothing new
// reaches the WAL: each tick that finds no new frames doubles the wait up
// to it, and the first that finds some goes back to passiveEvery. An idle
// server then checkpoints about once a second instead of ten times (its
// idle CPU was about 60 % higher with a steady 100 ms tick: docs/performance.md,
// seventh session).
const passiveIdle = 800 * time.Millisecond

// nextPassive is the wait before the next passive checkpoint, after one
// that found frames in the WAL where the one before found last.
func nextPassive(wait time.Duration, frames, last int) time.Duration {
	if frames != last {
		return passiveEvery
	}
	return min(2*wait, passiveIdle)
}

func (db *DB) startMaintenance() {
	ctx, cancel := context.WithCancel(context.Background())
	db.stop, db.done = cancel, make(chan struct{})
	go func() {
		defer close(db.done)
		if db.engine != SQLite {
			return
		}
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		wait, last := passiveEvery, -1
		p := time.NewTimer(wait)
		defer p.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				db.Checkpoint(ctx)
			case <-p.C:
				frames := db.checkpointPassive(ctx)
				wait, last = nextPassive(wait, frames, last), frames
				p.Reset(wait)
			}
		}
	}()
}

// Checkpoint copies the SQLite WAL into the database file and truncates it.
// It is a no-op on PostgreSQL.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.engine != SQLite {
		return nil
	}
	var busy, logPages, done int
	err := db.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done)
	if err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	return nil
}

// checkpointPassive copies the WAL's committed pages into the database file
// without waiting for the writer or readers (PASSIVE): what a reader still
// needs stays for the next one. A failure is left to the next tick; the
// TRUNCATE checkpoint still bounds the WAL. It returns the frames the WAL
// holds, -1 after a failure.
func (db *DB) checkpointPassive(ctx context.Context) int {
	db.passives.Add(1)
	var busy, logPages, done int
	if err := db.ckpt.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &done); err != nil {
		return -1
	}
	return logPages
}
