package store

import (
	"fmt"
	"strings"
)

// valuesList writes "($n,$n+1,…),(…)" for rows × cols placeholders
// starting at $first, for multi-row INSERTs: one statement per batch.
func valuesList(rows, cols, first int) string { return valuesWith(rows, cols, first) }

// valuesWith is valuesList with constant expressions (such as "$1",
// bound once for all rows) appended to every row.
func valuesWith(rows, cols, first int, tail ...string) string {
	var b strings.Builder
	n := first
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "$%d", n)
			n++
		}
		for _, t := range tail {
			b.WriteByte(',')
			b.WriteString(t)
		}
		b.WriteByte(')')
	}
	return b.String()
}

// placeholders writes "$first,…" for an IN list of n values.
func placeholders(n, first int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", first+i)
	}
	return b.String()
}

// boolInt stores a flag as the 0/1 INTEGER both engines' schemas use.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// contactsIn gives a query of the rows (value, person_id) of the contact
// points of one kind whose value is among values, numbering its
// placeholders from $first, and its arguments.
//
// On PostgreSQL each value is its own probe of the (kind, value) index,
// a subquery over unnest of one array. The plain `kind = $1 AND value IN
// ($2, …)` is planned once per connection and kept (pgx prepares it):
// planned while the table is a few hundred rows and has no statistics
// yet, as on a new drive's first minute, the plan scans every contact
// point of the kind and keeps doing so as the table grows until the next
// ANALYZE (measured on a fresh database during a missed-call storm: 4–8 ms
// a lookup at 1,500 phones, more than the batch's own writes). Probing
// one value at a time has no cheaper plan to fall into. (OFFSET 0 keeps
// the subquery whole: pulled up, its probe ran twice, for the column and
// for the filter.)
func contactsIn(engine Engine, kind string, values []string, first int) (string, []any) {
	if engine == Postgres {
		return fmt.Sprintf(`SELECT v, p FROM (SELECT u.v, (SELECT c.person_id FROM contact_points c WHERE c.kind = $%d AND c.value = u.v) AS p
			FROM unnest($%d::text[]) AS u(v) OFFSET 0) x WHERE p IS NOT NULL`, first, first+1), []any{kind, values}
	}
	args := make([]any, 0, len(values)+1)
	args = append(args, kind)
	for _, v := range values {
		args = append(args, v)
	}
	return fmt.Sprintf("SELECT value, person_id FROM contact_points WHERE kind = $%d AND value IN (%s)",
		first, placeholders(len(values), first+1)), args
}
