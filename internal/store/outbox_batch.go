package store

import (
	"context"
	"fmt"
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
