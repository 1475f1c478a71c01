package store

import (
	"context"
	"fmt"
	"time"
)

// WindowKey names a conversation for a window lookup.
type WindowKey struct {
	PersonID int64
	Business string
}

// CloseWindow records that the provider refused a free-form message to
// the person because the window was closed (a WhatsApp 131047): until
// they write again, nothing free-form is tried.
func (db *DB) CloseWindow(ctx context.Context, channel string, k WindowKey) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE conversations SET window_closed_at = $1, updated_at = $1
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
	// The people by their ids (the index's first column), the pairs sorted
	// out below: a sender's batch is mostly one business number.
	people, numbers, wanted := map[int64]bool{}, map[string]bool{}, map[WindowKey]bool{}
	for _, k := range keys {
		people[k.PersonID], numbers[k.Business], wanted[k] = true, true, true
	}
	args := []any{channel, ms(now.Add(-window))}
	for p := range people {
		args = append(args, p)
	}
	for n := range numbers {
		args = append(args, n)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT person_id, business FROM conversations
		WHERE person_id IN (`+placeholders(len(people), 3)+`) AND channel = $1 AND business IN (`+placeholders(len(numbers), 3+len(people))+`)
			AND last_inbound_at > $2 AND (window_closed_at IS NULL OR window_closed_at < last_inbound_at)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: conversation windows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k WindowKey
		if err := rows.Scan(&k.PersonID, &k.Business); err != nil {
			return nil, fmt.Errorf("store: conversation windows: %w", err)
		}
		if wanted[k] {
			out[k] = true
		}
	}
	return out, rows.Err()
}
