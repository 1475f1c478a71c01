package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps SQLite writer statements prepared across transactions.
// SQLite (pure Go here) spends a third of a busy writer's time parsing
// SQL; pgx already caches prepared statements per connection, so only the
// SQLite writer uses this. Statements are prepared on the pool, outside
// any transaction (the writer has one connection, which a transaction
// holds), after the transaction that first ran them; later transactions
// bind them to their connection with sql.Tx.StmtContext.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxCachedStmts bounds the cache: multi-row statements differ by row
// count, so there are a few hundred shapes at most in practice.
const maxCachedStmts = 2048

func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

// prepare caches the queries a transaction ran uncached.
func (c *stmtCache) prepare(ctx context.Context, pool *sql.DB, queries []string) {
	for _, q := range queries {
		c.mu.Lock()
		_, have := c.stmts[q]
		full := len(c.stmts) >= maxCachedStmts
		c.mu.Unlock()
		if have || full {
			continue
		}
		st, err := pool.PrepareContext(ctx, q)
		if err != nil {
			continue // it will simply run unprepared
		}
		c.mu.Lock()
		c.stmts[q] = st
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
}

// stmt returns the cached statement for query bound to tx, or nil (and
// remembers the query for caching after commit).
func (tx *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.cache == nil {
		return nil
	}
	if st := tx.cache.get(query); st != nil {
		return tx.sqlTx.StmtContext(ctx, st)
	}
	tx.uncached = append(tx.uncached, query)
	return nil
}

// txQuerier is what runs a transaction's statements: its *sql.Tx on SQLite,
// its connection on PostgreSQL (pgTx).
type txQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// begin begins a PostgreSQL transaction before its first statement, and
// refuses every statement of a doomed one.
func (tx *Tx) begin(ctx context.Context) error {
	if tx.doomed != nil {
		return tx.doomed
	}
	if tx.pg == nil {
		return nil
	}
	return tx.pg.begin(ctx)
}

func (tx *Tx) q() txQuerier {
	if tx.pg != nil {
		return tx.pg.conn
	}
	return tx.sqlTx
}

// query runs a query, through the statement cache when there is one.
func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = tx.text(query)
	if err := tx.begin(ctx); err != nil {
		return nil, err
	}
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.q().QueryContext(ctx, query, args...)
}

// queryRow runs a one-row query, through the statement cache when there
// is one.
func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query = tx.text(query)
	if tx.begin(ctx) != nil {
		// A *sql.Row cannot carry the error: a cancelled context makes its
		// Scan fail, and the transaction reports BEGIN's error.
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		return tx.q().QueryRowContext(ctx, query, args...)
	}
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.q().QueryRowContext(ctx, query, args...)
}

// exec runs a statement, through the statement cache when there is one.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = tx.text(query)
	if err := tx.begin(ctx); err != nil {
		return nil, err
	}
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.q().ExecContext(ctx, query, args...)
}

// prepare prepares a statement for this transaction only (the caller closes
// it): for one statement run many times within it.
func (tx *Tx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if err := tx.begin(ctx); err != nil {
		return nil, err
	}
	return tx.q().PrepareContext(ctx, tx.text(query))
}

// text is query as this transaction's engine runs it fastest: on SQLite,
// with anonymous parameters where they bind alike (anonymousParams).
func (tx *Tx) text(query string) string {
	tx.statements++
	if tx.engine != SQLite {
		return query
	}
	return anonymousParams(query)
}
