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
