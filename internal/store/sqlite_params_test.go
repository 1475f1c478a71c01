package store

import "testing"

func TestAnonymousParams(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"INSERT INTO t VALUES ($1,$2),($3,$4)", "INSERT INTO t VALUES (?,?),(?,?)"},
		{"SELECT $1 WHERE a = '$2' AND b = $2", "SELECT ? WHERE a = '$2' AND b = ?"},
		{`SELECT "$x", $1 -- $9` + "\n, $2", `SELECT "$x", ? -- $9` + "\n, ?"},
		{"SELECT $1, $1", "SELECT $1, $1"},          // used twice: kept named
		{"SELECT $2, $1", "SELECT $2, $1"},          // out of order
		{"SELECT $1, $3", "SELECT $1, $3"},          // a gap
		{"SELECT $ FROM t", "SELECT $ FROM t"},      // no number
		{"SELECT 'it''s', $1", "SELECT 'it''s', ?"}, // a doubled quote
		{"SELECT 'open $1", "SELECT 'open $1"},      // an unclosed string
	} {
		if got := anonymousParams(c.in); got != c.want {
			t.Errorf("anonymousParams(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzAnonymousParams(f *testing.F) {
	f.Add("INSERT INTO t VALUES ($1,$2),($3,$4)")
	f.Add("SELECT $1, '$2', $2 -- $3")
	f.Fuzz(func(t *testing.T, q string) {
		out := anonymousParams(q)
		if out == q {
			return
		}
		// A rewrite only turns $n into ?, so the text is otherwise the same.
		if len(out) > len(q) {
			t.Fatalf("rewrite grew %q to %q", q, out)
		}
	})
}
