package storetest

import (
	"database/sql"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

// SQL is the *sql.Tx under tx, for a test to look at (or set up) rows no
// store function reads or writes. Production code cannot reach it: only
// tests import storetest.
func SQL(tx *store.Tx) *sql.Tx { return rawsql.Tx(tx) }

// WriteDB is db's writer pool, for a test's own River client or bulk
// fixtures outside any store transaction.
func WriteDB(db *store.DB) *sql.DB { return rawsql.DB(db) }
