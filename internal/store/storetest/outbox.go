package storetest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// Message reads outbox message id back, for a test to check what became of
// it; Jodo itself never reads a message by id. ok is false when there is
// no such message.
func Message(t testing.TB, db *store.DB, id int64) (m store.OutboxMessage, ok bool) {
	t.Helper()
	ms := messages(t, db, "WHERE id = $1", id)
	if len(ms) == 0 {
		return store.OutboxMessage{}, false
	}
	return ms[0], true
}

// Messages reads every outbox message back, in the order they were queued.
func Messages(t testing.TB, db *store.DB) []store.OutboxMessage {
	t.Helper()
	return messages(t, db, "")
}

func messages(t testing.TB, db *store.DB, where string, args ...any) []store.OutboxMessage {
	t.Helper()
	ctx := context.Background()
	var out []store.OutboxMessage
	err := db.View(ctx, func(tx *store.Tx) error {
		rows, err := sqlOf(tx).QueryContext(ctx, `SELECT id, person_id, channel, provider, class, template, body, to_address, state,
			provider_id, error, attempts, next_attempt_at, created_at, sent_at, updated_at, from_address, drive_id
			FROM outbox `+where+` ORDER BY id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m store.OutboxMessage
			var person, sent, drive sql.NullInt64
			var pid sql.NullString
			var next, created, updated int64
			if err := rows.Scan(&m.ID, &person, &m.Channel, &m.Provider, &m.Class, &m.Template, &m.Body, &m.To, &m.State,
				&pid, &m.Error, &m.Attempts, &next, &created, &sent, &updated, &m.From, &drive); err != nil {
				return err
			}
			m.PersonID, m.ProviderID, m.DriveID = person.Int64, pid.String, drive.Int64
			m.NextAttemptAt, m.CreatedAt, m.UpdatedAt = fromMS(next), fromMS(created), fromMS(updated)
			if sent.Valid {
				m.SentAt = fromMS(sent.Int64)
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	return out
}

// fromMS is how the store keeps times: UTC milliseconds.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }
