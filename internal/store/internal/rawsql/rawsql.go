// Package rawsql is the one opening in the wall round SQL: it hands the
// *sql.Tx inside a store.Tx, and the writer pool inside a store.DB, to
// store's own tests and to internal/store/storetest, whose helpers look at
// and arrange rows for tests elsewhere (which hold no SQL themselves) and
// let River's test inserts join a store transaction. Go's internal rule
// lets only packages under internal/store import it, so no test elsewhere
// can reach a *sql.Tx; store fills it in at init.
package rawsql

import "database/sql"

// Tx returns the *sql.Tx a *store.Tx runs on.
var Tx func(tx any) *sql.Tx

// DB returns the writer pool of a *store.DB.
var DB func(db any) *sql.DB
