package store

import (
	"context"
	"fmt"
	"strings"
)

// SetNameKeys replaces the keys a person's name is searched by
// (names.SearchKeys of the name; nil: none). UpdatePersonDetails and
// ErasePerson call it; a caller that gives CreatePerson a name calls it
// after, in the same transaction.
func SetNameKeys(ctx context.Context, tx *Tx, personID int64, keys []string) error {
	for _, stmt := range nameKeysStmts(personID, keys) {
		if _, err := tx.exec(ctx, stmt.query, stmt.args...); err != nil {
			return fmt.Errorf("store: name keys of person %d: %w", personID, err)
		}
	}
	return nil
}

// nameKeysStmts are SetNameKeys's statements, for a batch.
func nameKeysStmts(personID int64, keys []string) []pgStmt {
	stmts := []pgStmt{{query: "DELETE FROM person_name_keys WHERE person_id = $1", args: []any{personID}}}
	if len(keys) == 0 {
		return stmts
	}
	marks := make([]string, len(keys))
	args := []any{personID}
	for i, k := range keys {
		marks[i] = fmt.Sprintf("(CAST($%d AS TEXT))", i+2)
		args = append(args, k)
	}
	// Only a live person's name is searched by: WriteRegistration sends
	// this with the update that finds out whether the person is.
	return append(stmts, pgStmt{query: "INSERT INTO person_name_keys (key, person_id) SELECT column1, CAST($1 AS BIGINT) FROM (VALUES " +
		strings.Join(marks, ", ") + ") AS v WHERE EXISTS (SELECT 1 FROM people WHERE id = $1 AND erased_at IS NULL) ON CONFLICT DO NOTHING",
		args: args})
}

// nameKeysBackfilled is the setting that records that every name stored
// before person_name_keys existed has its keys: from then on the functions
// that set a name write them.
const nameKeysBackfilled = "name_keys_backfilled"

// BackfillNameKeys gives the live people with a name and no search keys
// their keys (keysOf is names.SearchKeys), batch people per transaction,
// once per database: when it has finished, a setting says so and later
// calls return at once. It returns how many people it gave keys.
func (db *DB) BackfillNameKeys(ctx context.Context, keysOf func(name string) []string, batch int) (int, error) {
	done, err := db.Setting(ctx, nameKeysBackfilled, "")
	if err != nil || done != "" {
		return 0, err
	}
	total := 0
	var after int64
	for {
		n, last, err := db.backfillBatch(ctx, keysOf, after, batch)
		if err != nil {
			return total, fmt.Errorf("store: backfill name keys: %w", err)
		}
		total += n
		if last == 0 {
			break
		}
		after = last
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "UPDATE settings SET value = $1 WHERE key = $2", "1", nameKeysBackfilled)
		return err
	})
	if err != nil {
		return total, fmt.Errorf("store: backfill name keys: %w", err)
	}
	return total, nil
}

// backfillBatch keys up to batch people with id > after; last is the
// highest id it looked at, 0 when there were none.
func (db *DB) backfillBatch(ctx context.Context, keysOf func(string) []string, after int64, batch int) (n int, last int64, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, name FROM people p WHERE id > $1 AND name <> '' AND erased_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM person_name_keys k WHERE k.person_id = p.id) ORDER BY id LIMIT $2`, after, batch)
		if err != nil {
			return err
		}
		type named struct {
			id   int64
			name string
		}
		var todo []named
		for rows.Next() {
			var p named
			if err := rows.Scan(&p.id, &p.name); err != nil {
				rows.Close()
				return err
			}
			todo = append(todo, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range todo {
			if err := SetNameKeys(ctx, tx, p.id, keysOf(p.name)); err != nil {
				return err
			}
			n, last = n+1, p.id
		}
		return nil
	})
	return n, last, err
}
