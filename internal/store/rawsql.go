package store

import (
	"context"
	"database/sql"

	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

func init() {
	rawsql.Tx = func(tx any) rawsql.Querier {
		t := tx.(*Tx)
		t.begin(context.Background()) // a failure shows in the statements run next
		return t.q()
	}
	rawsql.Conn = func(tx any) *sql.Conn {
		t := tx.(*Tx)
		if t.pg == nil {
			return nil
		}
		t.begin(context.Background())
		return t.pg.conn
	}
	rawsql.DB = func(db any) *sql.DB { return db.(*DB).write }
}
