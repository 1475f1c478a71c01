package storetest

import (
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// Analyze refreshes the planner's statistics, as after a bulk load.
func Analyze(t testing.TB, db *store.DB) {
	t.Helper()
	exec(t, db, "ANALYZE")
}

// Tables lists the tables of db's schema.
func Tables(t testing.TB, db *store.DB) []string {
	t.Helper()
	if db.Engine() == store.Postgres {
		return column[string](t, db, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
	}
	return column[string](t, db, "SELECT name FROM sqlite_master WHERE type = 'table'")
}

// RowCount counts the rows of table, one of Tables.
func RowCount(t testing.TB, db *store.DB, table string) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT count(*) FROM "`+table+`"`)
}

// TableSize is the space table takes with its indexes (PostgreSQL only).
func TableSize(t testing.TB, db *store.DB, table string) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT pg_total_relation_size($1::regclass)`, table)
}

// Migrations counts the migrations recorded and their distinct versions.
func Migrations(t testing.TB, db *store.DB) (rows, versions int) {
	t.Helper()
	row(t, db, "SELECT count(*), count(DISTINCT version) FROM schema_migrations", nil, &rows, &versions)
	return rows, versions
}
