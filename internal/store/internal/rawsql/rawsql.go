// Package rawsql is the one opening in the wall round SQL: it hands the
// *sql.Tx inside a store.Tx, and the writer pool inside a store.DB, to
// internal/store/storetest, so tests elsewhere can look at rows and River's
// test inserts can join a store transaction. Go's internal rule lets only
// packages under internal/store import it; store fills it in at init.
package rawsql

import "database/sql"

// Tx returns the *sql.Tx a *store.Tx runs on.
var Tx func(tx any) *sql.Tx

// DB returns the writer pool of a *store.DB.
var DB func(db any) *sql.DB
