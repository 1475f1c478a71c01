package storetest

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

// RiverInserter is a River client on a test's database that only inserts
// jobs, the way Jodo's code would insert one inside a store transaction
// (Jodo inserts none yet; internal/jobs tests that it could).
type RiverInserter struct {
	sqlite *river.Client[*sql.Tx]
	pg     *river.Client[pgx.Tx]
}

// NewRiverInserter builds an inserting River client for db's engine: on
// SQLite River's database/sql driver on the writer pool; on PostgreSQL,
// where a store transaction is a connection store began itself, River's
// pgx driver on that connection (see Insert).
func NewRiverInserter(t testing.TB, db *store.DB) *RiverInserter {
	t.Helper()
	var r RiverInserter
	var err error
	if db.Engine() == store.SQLite {
		r.sqlite, err = river.NewClient(riversqlite.New(writeDB(db)), &river.Config{})
	} else {
		r.pg, err = river.NewClient(riverpgxv5.New(nil), &river.Config{})
	}
	if err != nil {
		t.Fatal(err)
	}
	return &r
}

// Insert inserts a job for args inside tx: it exists only if tx commits.
func (r *RiverInserter) Insert(ctx context.Context, tx *store.Tx, args river.JobArgs) error {
	if r.sqlite != nil {
		_, err := r.sqlite.InsertTx(ctx, rawsql.Tx(tx).(*sql.Tx), args, nil)
		return err
	}
	return rawsql.Conn(tx).Raw(func(dc any) error {
		_, err := r.pg.InsertTx(ctx, inTx{dc.(*stdlib.Conn).Conn()}, args, nil)
		return err
	})
}

// inTx is a pgx connection already inside a transaction (begun and ended
// by store), shown to River as the pgx.Tx it inserts in. It cannot commit,
// roll back or nest: the store transaction does that.
type inTx struct{ conn *pgx.Conn }

var errInTx = errors.New("storetest: a store transaction is ended by store")

func (c inTx) Begin(context.Context) (pgx.Tx, error) { return nil, errInTx }
func (c inTx) Commit(context.Context) error          { return errInTx }
func (c inTx) Rollback(context.Context) error        { return errInTx }
func (c inTx) LargeObjects() pgx.LargeObjects        { return pgx.LargeObjects{} }
func (c inTx) Conn() *pgx.Conn                       { return c.conn }
func (c inTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return c.conn.Exec(ctx, sql, args...)
}
func (c inTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return c.conn.Query(ctx, sql, args...)
}
func (c inTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return c.conn.QueryRow(ctx, sql, args...)
}
func (c inTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return c.conn.SendBatch(ctx, b)
}
func (c inTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return c.conn.Prepare(ctx, name, sql)
}
func (c inTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	return c.conn.CopyFrom(ctx, table, cols, src)
}
