package store

import (
	"context"
	"fmt"
	"time"
)

// EnqueueMessages queues many messages in one statement, in the caller's
// transaction (see EnqueueMessage).
func EnqueueMessages(ctx context.Context, tx *Tx, msgs []OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	const cols = 11
	args := make([]any, 0, cols*len(msgs))
	for _, m := range msgs {
		if err := validateMessage(m); err != nil {
			return err
		}
		next := m.NextAttemptAt
		if next.IsZero() {
			next = tx.Now
		}
		args = append(args, optionalID(m.PersonID), m.Channel, m.Provider, m.Class, m.Template, m.Body, m.To,
			MsgQueued, ms(next), ms(tx.Now), ms(tx.Now))
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (person_id, channel, provider, class, template, body, to_address,
			state, next_attempt_at, created_at, updated_at) VALUES `+valuesList(len(msgs), cols, 1), args...)
	if err != nil {
		return fmt.Errorf("store: enqueue %d messages: %w", len(msgs), err)
	}
	return nil
}

// OutboxWork says, from the read pool and without taking the writer,
// whether any message is due to be claimed and whether any claim's lease
// has run out: a sender woken after every commit asks this first, so a
// commit that queued nothing costs it no write transaction.
func (db *DB) OutboxWork(ctx context.Context, now time.Time) (due, expired bool, err error) {
	var d, e int
	err = db.read.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE state = 'queued' AND next_attempt_at <= $1 LIMIT 1) AS q),
			(SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE state = 'sending' AND lease_until < $1 LIMIT 1) AS s)`,
		ms(now)).Scan(&d, &e)
	if err != nil {
		return false, false, fmt.Errorf("store: look for outbox work: %w", err)
	}
	return d > 0, e > 0, nil
}
