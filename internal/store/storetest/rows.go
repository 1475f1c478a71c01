package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// scalar runs a one-row, one-column query in a read transaction.
func scalar[T any](t testing.TB, db *store.DB, q string, args ...any) T {
	t.Helper()
	var v T
	row(t, db, q, args, &v)
	return v
}

// row scans the first row q returns into dest, failing t when there is none.
func row(t testing.TB, db *store.DB, q string, args []any, dest ...any) {
	t.Helper()
	ctx := context.Background()
	if err := db.View(ctx, func(tx *store.Tx) error { return sqlOf(tx).QueryRowContext(ctx, q, args...).Scan(dest...) }); err != nil {
		t.Fatalf("storetest: %s: %v", firstLine(q), err)
	}
}

// each runs q in a read transaction and hands every row to scan.
func each(t testing.TB, db *store.DB, scan func(*sql.Rows) error, q string, args ...any) {
	t.Helper()
	ctx := context.Background()
	err := db.View(ctx, func(tx *store.Tx) error {
		rows, err := sqlOf(tx).QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("storetest: %s: %v", firstLine(q), err)
	}
}

// list reads every row q returns, each by scan.
func list[T any](t testing.TB, db *store.DB, scan func(*sql.Rows, *T) error, q string, args ...any) []T {
	t.Helper()
	var out []T
	each(t, db, func(rows *sql.Rows) error {
		var v T
		err := scan(rows, &v)
		out = append(out, v)
		return err
	}, q, args...)
	return out
}

// column reads the one column q selects, every row.
func column[T any](t testing.TB, db *store.DB, q string, args ...any) []T {
	t.Helper()
	return list(t, db, func(rows *sql.Rows, v *T) error { return rows.Scan(v) }, q, args...)
}

// exec runs q in a write transaction.
func exec(t testing.TB, db *store.DB, q string, args ...any) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error { _, err := sqlOf(tx).ExecContext(ctx, q, args...); return err }); err != nil {
		t.Fatalf("storetest: %s: %v", firstLine(q), err)
	}
}

func firstLine(q string) string { return strings.TrimSpace(strings.SplitN(q, "\n", 2)[0]) }

// where builds a WHERE clause from the conditions a filter sets, numbering
// the placeholders as it goes.
type where struct {
	conds []string
	args  []any
}

// is adds "expr op $n" for one value.
func (w *where) is(expr, op string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, fmt.Sprintf("%s %s $%d", expr, op, len(w.args)))
}

// in adds "expr IN ($n, ...)".
func (w *where) in(expr string, vs []string) {
	marks := make([]string, len(vs))
	for i, v := range vs {
		w.args = append(w.args, v)
		marks[i] = fmt.Sprintf("$%d", len(w.args))
	}
	w.conds = append(w.conds, expr+" IN ("+strings.Join(marks, ", ")+")")
}

// add adds a condition with no value.
func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
