package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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

// Outbox picks outbox messages to count; a zero field matches every one.
type Outbox struct {
	Channel string
	State   string
	States  []string // in any of these states
	To      string
	NotTo   string   // to anyone but this address
	ToAny   []string // to any of these addresses
	From    string
}

// OutboxCount counts the outbox messages f picks.
func OutboxCount(t testing.TB, db *store.DB, f Outbox) int {
	t.Helper()
	var w where
	for _, c := range []struct{ col, v string }{{"channel", f.Channel}, {"state", f.State}, {"to_address", f.To}, {"from_address", f.From}} {
		if c.v != "" {
			w.is(c.col, "=", c.v)
		}
	}
	if f.States != nil {
		w.in("state", f.States)
	}
	if f.NotTo != "" {
		w.is("to_address", "<>", f.NotTo)
	}
	if f.ToAny != nil {
		w.in("to_address", f.ToAny)
	}
	return scalar[int](t, db, "SELECT count(*) FROM outbox"+w.String(), w.args...)
}

// Pending are the states of a message not yet handed to its provider.
var Pending = []string{store.MsgQueued, store.MsgSending}

// SentOfAll counts the messages sent and all messages.
func SentOfAll(t testing.TB, db *store.DB) (sent, all int) {
	t.Helper()
	row(t, db, "SELECT count(*) FILTER (WHERE state = 'sent'), count(*) FROM outbox", nil, &sent, &all)
	return sent, all
}

// Recipients counts the distinct addresses messages went or go to.
func Recipients(t testing.TB, db *store.DB) int {
	t.Helper()
	return scalar[int](t, db, "SELECT COUNT(DISTINCT to_address) FROM outbox")
}

// LastBody is the body of the last message queued to address.
func LastBody(t testing.TB, db *store.DB, to string) string {
	t.Helper()
	return scalar[string](t, db, "SELECT body FROM outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1", to)
}

// MessageIDs lists every outbox message's id.
func MessageIDs(t testing.TB, db *store.DB) []int64 {
	t.Helper()
	return column[int64](t, db, "SELECT id FROM outbox")
}

// SendingByOwner counts the messages being sent by lease owner.
func SendingByOwner(t testing.TB, db *store.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	each(t, db, func(rows *sql.Rows) error {
		var owner string
		var n int
		err := rows.Scan(&owner, &n)
		out[owner] = n
		return err
	}, "SELECT lease_owner, count(*) FROM outbox WHERE state = $1 GROUP BY lease_owner", store.MsgSending)
	return out
}

// ErasedAddressesKept counts the messages to erased people, handed to
// their provider, that still hold an address (not store.Erased).
func ErasedAddressesKept(t testing.TB, db *store.DB) int {
	t.Helper()
	return scalar[int](t, db, `SELECT COUNT(*) FROM outbox o JOIN people p ON p.id = o.person_id WHERE p.erased_at IS NOT NULL
			AND o.state NOT IN ('queued', 'sending') AND o.to_address <> $1`, store.Erased)
}

// LinksOrNumberSent counts the messages whose body holds a join link or
// whose address holds digits.
func LinksOrNumberSent(t testing.TB, db *store.DB, digits string) int {
	t.Helper()
	return scalar[int](t, db, "SELECT COUNT(*) FROM outbox WHERE body LIKE '%/j/%' OR to_address LIKE $1", "%"+digits+"%")
}

// MarkWhatsAppSent marks the WhatsApp messages of tx sent under providerID,
// as if the provider had taken them, and returns the (one) message's id.
func MarkWhatsAppSent(ctx context.Context, tx *store.Tx, providerID string) (id int64, err error) {
	err = sqlOf(tx).QueryRowContext(ctx, "UPDATE outbox SET state = 'sent', provider_id = $1 WHERE channel = 'whatsapp' RETURNING id",
		providerID).Scan(&id)
	return id, err
}

// Reply is one queued WhatsApp message: its person, state, provider id and
// when it was sent (0: not yet).
type Reply struct {
	PersonID  int64
	State, ID string
	SentAt    int64
}

// WhatsAppReplies lists the WhatsApp messages by person then queue order.
func WhatsAppReplies(t testing.TB, db *store.DB) []Reply {
	t.Helper()
	return list(t, db, func(rows *sql.Rows, r *Reply) error {
		return rows.Scan(&r.PersonID, &r.State, &r.ID, &r.SentAt)
	}, `SELECT COALESCE(person_id, 0), state, COALESCE(provider_id, ''), COALESCE(sent_at, 0)
			FROM outbox WHERE channel = 'whatsapp' ORDER BY person_id, id`)
}

// OutboxRows is every outbox row, every column, as "column=value " text.
func OutboxRows(t testing.TB, db *store.DB) []string {
	t.Helper()
	var out []string
	var cols []string
	each(t, db, func(rows *sql.Rows) error {
		if cols == nil {
			var err error
			if cols, err = rows.Columns(); err != nil {
				return err
			}
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		var b strings.Builder
		for i, v := range vals {
			if s, ok := v.([]byte); ok {
				v = string(s)
			}
			fmt.Fprintf(&b, "%s=%v ", cols[i], v)
		}
		out = append(out, b.String())
		return nil
	}, "SELECT * FROM outbox")
	return out
}
