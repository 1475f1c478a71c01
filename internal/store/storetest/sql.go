package storetest

import (
	"database/sql"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

// sqlOf is what tx runs its statements on (a *sql.Tx on SQLite, its
// connection on PostgreSQL), for the helpers here to look at (or set
// up) rows no store function reads or writes. It stays unexported so that
// tests elsewhere say what they look at in the domain's words, and hold
// no SQL of their own.
func sqlOf(tx *store.Tx) rawsql.Querier { return rawsql.Tx(tx) }

// writeDB is db's writer pool, for River's test client and bulk fixtures
// outside any store transaction.
func writeDB(db *store.DB) *sql.DB { return rawsql.DB(db) }
