// Package rawsql is the one opening in the wall round SQL: it hands the
// *sql.Tx inside a store.Tx, and the writer pool inside a store.DB, to
// store's own tests and to internal/store/storetest, whose helpers look at
// and arrange rows for tests elsewhere (which hold no SQL themselves) and
// let River's test inserts join a store transaction. Go's internal rule
// lets only packages under internal/store import it, so no test elsewhere
// can reach a *sql.Tx; store fills it in at init.
package rawsql

import (
	"context"
	"database/sql"
)

// Querier runs statements in a transaction: a *sql.Tx on SQLite, the
// connection of a transaction store began itself on PostgreSQL.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Tx returns what a *store.Tx runs its statements on.
var Tx func(tx any) Querier

// Conn returns the connection of a *store.Tx on PostgreSQL (nil on SQLite),
// for River's pgx driver in tests.
var Conn func(tx any) *sql.Conn

// DB returns the writer pool of a *store.DB.
var DB func(db any) *sql.DB
