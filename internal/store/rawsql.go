package store

import (
	"database/sql"

	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

func init() {
	rawsql.Tx = func(tx any) *sql.Tx { return tx.(*Tx).sqlTx }
	rawsql.DB = func(db any) *sql.DB { return db.(*DB).write }
}
