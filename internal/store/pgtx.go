package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgTx is a PostgreSQL transaction Jodo begins and ends itself on one
// connection, instead of through database/sql's Tx, so that its last
// statements and COMMIT go to the server together: a pgx batch through the
// stdlib connection's raw access is one round trip however many statements
// it holds. On a database on another host every round trip saved is a
// network latency saved, and fewer round trips keep a busy writer's locks
// for less time.
type pgTx struct {
	conn      *sql.Conn
	later     []pgStmt // sent with COMMIT
	open      bool     // BEGIN sent, COMMIT or ROLLBACK not yet
	err       error    // BEGIN failed
	committed bool     // its last batch carried COMMIT (batchCommit): no statement may follow
}

// errAfterCommit is what a statement sent after a transaction's last batch
// (batchCommit) gets: a bug, since it would run outside the transaction.
var errAfterCommit = errors.New("store: a statement after the transaction's last batch, which committed it")

// pgStmt is a statement of a batch; scan, if set, reads its rows.
type pgStmt struct {
	query string
	args  []any
	scan  func(rowScanner) error
}

// rowScanner is what database/sql's rows and pgx's have in common.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

func (db *DB) runPG(ctx context.Context, pool *sql.DB, tx *Tx, fn func(*Tx) error) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	p := &pgTx{conn: conn}
	tx.pg, tx.shards = p, db.shards
	defer tx.releaseShard() // after end: a shard is free once its rows are
	defer p.end()
	err = fn(tx)
	if p.err != nil {
		return p.err // what a failed BEGIN made the statements after it say
	}
	if tx.doomed != nil {
		return tx.doomed // whatever fn made of it: the transaction is retried whole
	}
	if err != nil {
		return err
	}
	if p.committed && len(tx.counters) > 0 {
		return errAfterCommit // counters added after the last batch would be lost
	}
	if err := flushCounters(ctx, tx); err != nil {
		return err
	}
	if err := p.commit(ctx); err != nil {
		return err
	}
	tx.afterCommit()
	return nil
}

// begin sends BEGIN before the transaction's first statement, unless that
// statement is in a batch (which then carries BEGIN itself).
func (p *pgTx) begin(ctx context.Context) error {
	if p.committed {
		return errAfterCommit
	}
	if p.open || p.err != nil {
		return p.err
	}
	if _, err := p.conn.ExecContext(ctx, "BEGIN"); err != nil {
		p.err = fmt.Errorf("store: begin: %w", err)
		return p.err
	}
	p.open = true
	return nil
}

// commit sends the statements kept for later, then COMMIT, in one batch.
// If one of them fails, the transaction is aborted and COMMIT only ends it.
// A transaction that ran nothing sends nothing.
func (p *pgTx) commit(ctx context.Context) error {
	if !p.open && len(p.later) == 0 {
		return nil
	}
	stmts := append(p.later, pgStmt{query: "COMMIT"})
	p.later = nil
	if err := p.batch(ctx, stmts); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	p.open = false
	return nil
}

// batch sends stmts in one round trip (after BEGIN if the transaction has
// not begun) and hands each one's rows to its scan; the first error is
// returned, and the statements after it are not run.
func (p *pgTx) batch(ctx context.Context, stmts []pgStmt) error {
	if p.committed {
		return errAfterCommit
	}
	if p.err != nil {
		return p.err
	}
	return p.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: a PostgreSQL connection of type %T", dc)
		}
		b := &pgx.Batch{}
		if !p.open {
			b.Queue("BEGIN")
			p.open = true // if it fails, end's ROLLBACK is harmless
		}
		for _, s := range stmts {
			q := b.Queue(s.query, s.args...)
			if s.scan != nil {
				q.Query(func(rows pgx.Rows) error { return s.scan(rows) })
			}
		}
		return c.Conn().SendBatch(ctx, b).Close()
	})
}

// batchCommit sends stmts, then the statements kept for later, then
// COMMIT, in one round trip: the transaction's last batch. If one fails,
// the transaction stays open for end to roll back.
func (p *pgTx) batchCommit(ctx context.Context, stmts []pgStmt) error {
	all := append(append(slices.Clip(stmts), p.later...), pgStmt{query: "COMMIT"})
	if err := p.batch(ctx, all); err != nil {
		return err
	}
	p.later, p.open, p.committed = nil, false, true
	return nil
}

// end rolls back a transaction that did not commit and gives the
// connection back. A connection whose ROLLBACK fails is discarded by the
// driver when it is next taken (pgx's stdlib refuses one still in a
// transaction).
func (p *pgTx) end() {
	if p.open {
		// Not the request's context: a cancelled one must not keep the
		// rollback from being sent.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if _, err := p.conn.ExecContext(ctx, "ROLLBACK"); err != nil && !errors.Is(err, sql.ErrConnDone) {
			p.conn.Raw(func(any) error { return driver.ErrBadConn }) // discard it
		}
		cancel()
		p.open = false
	}
	p.conn.Close()
}

// execReplanned is exec for a batch statement over a table that grows or
// churns fast, which PostgreSQL then plans afresh at every run (pgx's
// unnamed statement: a custom plan from the parameters and the table's size
// now) instead of once per connection. A plan kept from a connection's
// first minutes was made for a table of a few hundred rows: on the outbox
// it scanned the whole table for the batch's rows as it grew. Planning a
// statement that touches a hundred rows costs far less than that.
func (tx *Tx) execReplanned(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.pg != nil {
		args = append([]any{pgx.QueryExecModeExec}, args...)
	}
	return tx.exec(ctx, query, args...)
}
