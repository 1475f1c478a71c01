package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Conversation is a person's thread with one business number on a channel.
type Conversation struct {
	PersonID       int64
	Channel        string // "whatsapp"
	Business       string // the business number's id (WhatsApp phone_number_id)
	BusinessNumber string // its number, E.164, when known
	DriveID        int64  // the drive that owned the number at the last inbound message; 0: none
	LastInboundAt  time.Time
	WindowClosedAt time.Time // zero: the provider never said the window was closed
}

// WindowKey names a conversation for a window lookup.
type WindowKey struct {
	PersonID int64
	Business string
}

// NoteInbound records, in tx, that the person wrote to the business number
// at: the conversation is made if new, and its last inbound time only ever
// moves forward (webhooks arrive out of order).
func NoteInbound(ctx context.Context, tx *Tx, c Conversation) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO conversations (person_id, channel, business, business_number, drive_id,
			last_inbound_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (person_id, channel, business) DO UPDATE SET
			last_inbound_at = CASE WHEN excluded.last_inbound_at > conversations.last_inbound_at
				THEN excluded.last_inbound_at ELSE conversations.last_inbound_at END,
			business_number = CASE WHEN excluded.business_number <> '' THEN excluded.business_number ELSE conversations.business_number END,
			drive_id = COALESCE(excluded.drive_id, conversations.drive_id),
			updated_at = excluded.updated_at`,
		c.PersonID, c.Channel, c.Business, c.BusinessNumber, optionalID(c.DriveID), ms(c.LastInboundAt), ms(tx.Now))
	if err != nil {
		return fmt.Errorf("store: note inbound of person %d: %w", c.PersonID, err)
	}
	return nil
}

// CloseWindow records that the provider refused a free-form message to
// the person because the window was closed (a WhatsApp 131047): until
// they write again, nothing free-form is tried.
func (db *DB) CloseWindow(ctx context.Context, channel string, k WindowKey) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE conversations SET window_closed_at = $1, updated_at = $1
			WHERE person_id = $2 AND channel = $3 AND business = $4`, ms(tx.Now), k.PersonID, channel, k.Business)
		if err != nil {
			return fmt.Errorf("store: close the window of person %d: %w", k.PersonID, err)
		}
		return nil
	})
}

// WindowsOpen says, from the read pool, which of keys' conversations on
// channel are inside their customer-service window at now: a message came
// in less than window ago, and not before the provider last said the
// window was closed. A key with no conversation is not open.
func (db *DB) WindowsOpen(ctx context.Context, channel string, keys []WindowKey, window time.Duration, now time.Time) (map[WindowKey]bool, error) {
	out := make(map[WindowKey]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	var where []string
	args := []any{channel, ms(now.Add(-window))}
	for _, k := range keys {
		where = append(where, fmt.Sprintf("(person_id = $%d AND business = $%d)", len(args)+1, len(args)+2))
		args = append(args, k.PersonID, k.Business)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT person_id, business FROM conversations
		WHERE channel = $1 AND last_inbound_at > $2 AND (window_closed_at IS NULL OR window_closed_at < last_inbound_at)
			AND (`+strings.Join(where, " OR ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: conversation windows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k WindowKey
		if err := rows.Scan(&k.PersonID, &k.Business); err != nil {
			return nil, fmt.Errorf("store: conversation windows: %w", err)
		}
		out[k] = true
	}
	return out, rows.Err()
}

// GetConversation returns a conversation, for tests and pages; found is
// false when the person never wrote to the business number.
func (db *DB) GetConversation(ctx context.Context, personID int64, channel, business string) (c Conversation, found bool, err error) {
	var drive sql.NullInt64
	var last int64
	var closed sql.NullInt64
	err = db.read.QueryRowContext(ctx, `SELECT person_id, channel, business, business_number, drive_id, last_inbound_at, window_closed_at
		FROM conversations WHERE person_id = $1 AND channel = $2 AND business = $3`, personID, channel, business).
		Scan(&c.PersonID, &c.Channel, &c.Business, &c.BusinessNumber, &drive, &last, &closed)
	switch {
	case err == sql.ErrNoRows:
		return Conversation{}, false, nil
	case err != nil:
		return Conversation{}, false, fmt.Errorf("store: conversation of person %d: %w", personID, err)
	}
	c.DriveID, c.LastInboundAt, c.WindowClosedAt = drive.Int64, fromMS(last), fromNullMS(closed)
	return c, true, nil
}

// ChannelsOff returns which of drives have their kind channel switched off.
func (db *DB) ChannelsOff(ctx context.Context, kind string, drives []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(drives) == 0 {
		return out, nil
	}
	args := []any{kind}
	for _, d := range drives {
		args = append(args, d)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT drive_id FROM drive_channels
		WHERE kind = $1 AND off = 1 AND drive_id IN (`+placeholders(len(drives), 2)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: switched-off channels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: switched-off channels: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}
