package storetest

import (
	"database/sql"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// Inbox picks inbox items to count; a zero field matches every item.
type Inbox struct {
	Provider    string
	Kind        string
	NotKind     string   // every kind but this one
	Key         string   // the provider's key
	Keys        []string // any of these keys
	PersonID    int64
	NoteLike    string // a LIKE pattern the note matches
	PayloadLike string // a LIKE pattern the payload matches
	Unprocessed bool   // only items not processed yet
}

// InboxCount counts the inbox items f picks.
func InboxCount(t testing.TB, db *store.DB, f Inbox) int {
	t.Helper()
	var w where
	for _, c := range []struct{ col, v string }{{"provider", f.Provider}, {"kind", f.Kind}, {"provider_key", f.Key}} {
		if c.v != "" {
			w.is(c.col, "=", c.v)
		}
	}
	if f.NotKind != "" {
		w.is("kind", "<>", f.NotKind)
	}
	if f.Keys != nil {
		w.in("provider_key", f.Keys)
	}
	if f.PersonID != 0 {
		w.is("person_id", "=", f.PersonID)
	}
	if f.NoteLike != "" {
		w.is("note", "LIKE", f.NoteLike)
	}
	if f.PayloadLike != "" {
		w.is("payload", "LIKE", f.PayloadLike)
	}
	if f.Unprocessed {
		w.add("processed_at IS NULL")
	}
	return scalar[int](t, db, "SELECT count(*) FROM inbox"+w.String(), w.args...)
}

// InboxNote is the note on the item the provider delivered under key
// (provider "": any provider).
func InboxNote(t testing.TB, db *store.DB, provider, key string) string {
	t.Helper()
	if provider == "" {
		return scalar[string](t, db, "SELECT note FROM inbox WHERE provider_key = $1", key)
	}
	return scalar[string](t, db, "SELECT note FROM inbox WHERE provider = $1 AND provider_key = $2", provider, key)
}

// InboxProcessed says whether the item under key was processed, and its note.
func InboxProcessed(t testing.TB, db *store.DB, key string) (processed bool, note string) {
	t.Helper()
	row(t, db, "SELECT processed_at IS NOT NULL, note FROM inbox WHERE provider_key = $1", []any{key}, &processed, &note)
	return processed, note
}

// KeyNote is an inbox item's key and note.
type KeyNote struct{ Key, Note string }

// InboxNotes lists every item's key and note (processedOnly: of the
// processed items only).
func InboxNotes(t testing.TB, db *store.DB, processedOnly bool) []KeyNote {
	t.Helper()
	q := "SELECT provider_key, note FROM inbox"
	if processedOnly {
		q += " WHERE processed_at IS NOT NULL"
	}
	return list(t, db, func(rows *sql.Rows, kn *KeyNote) error { return rows.Scan(&kn.Key, &kn.Note) }, q)
}

// InboxKeys lists every item's key in the order they came.
func InboxKeys(t testing.TB, db *store.DB) []string {
	t.Helper()
	return column[string](t, db, "SELECT provider_key FROM inbox ORDER BY id")
}

// LargestPayload is the length of the largest payload the inbox holds.
func LargestPayload(t testing.TB, db *store.DB) int {
	t.Helper()
	return scalar[int](t, db, "SELECT max(length(payload)) FROM inbox")
}

// InboxStep is one stored message of a person, when it came and when and
// how it was handled.
type InboxStep struct {
	PersonID, Received, Processed int64
	Note                          string
}

// InboxSteps lists the items of kind, by person then arrival (0 for no
// person or not processed).
func InboxSteps(t testing.TB, db *store.DB, kind string) []InboxStep {
	t.Helper()
	return list(t, db, func(rows *sql.Rows, s *InboxStep) error {
		return rows.Scan(&s.PersonID, &s.Received, &s.Processed, &s.Note)
	}, `SELECT COALESCE(person_id, 0), received_at, COALESCE(processed_at, 0), note
			FROM inbox WHERE kind = $1 ORDER BY person_id, id`, kind)
}
