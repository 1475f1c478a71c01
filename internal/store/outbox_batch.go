package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// EnqueueMessages queues msgs in the caller's transaction, so they exist
// exactly when the change that causes them commits, and returns their ids
// in order.
func EnqueueMessages(ctx context.Context, tx *Tx, msgs []OutboxMessage) ([]int64, error) {
	return enqueue(ctx, tx, msgs)
}

// QueueMessages queues msgs in tx, as EnqueueMessages does, for a caller
// that does not need their ids: on PostgreSQL the rows are inserted with
// COMMIT, in the same round trip.
func QueueMessages(ctx context.Context, tx *Tx, msgs []OutboxMessage) error {
	for chunk := range slices.Chunk(msgs, enqueueChunk) {
		query, args, err := enqueueStatement(tx, chunk)
		if err != nil {
			return err
		}
		if err := tx.later(ctx, query, args...); err != nil {
			return fmt.Errorf("store: enqueue %d messages: %w", len(chunk), err)
		}
	}
	return nil
}

// enqueueChunk is how many messages one INSERT takes: modernc.org/sqlite
// looks bound parameters up by name one by one, so a statement's cost
// grows with the square of its parameters (14 a message).
const enqueueChunk = 64

// enqueue inserts msgs, enqueueChunk to a statement, and returns their
// ids in order.
func enqueue(ctx context.Context, tx *Tx, msgs []OutboxMessage) ([]int64, error) {
	var ids []int64
	for chunk := range slices.Chunk(msgs, enqueueChunk) {
		got, err := enqueueOnce(ctx, tx, chunk)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

// enqueueOnce inserts msgs in one statement and returns their ids in order.
func enqueueOnce(ctx context.Context, tx *Tx, msgs []OutboxMessage) ([]int64, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	query, args, err := enqueueStatement(tx, msgs)
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, query+` RETURNING id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: enqueue %d messages: %w", len(msgs), err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: enqueue %d messages: %w", len(msgs), err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// RETURNING's order is not promised; ids of one statement ascend with
	// the rows' order on both engines' sequences, so sort to pair them.
	slices.Sort(ids)
	return ids, nil
}

// enqueueStatement is the INSERT of msgs, checked first.
func enqueueStatement(tx *Tx, msgs []OutboxMessage) (string, []any, error) {
	const cols = 14
	args := make([]any, 0, cols*len(msgs))
	for _, m := range msgs {
		if err := validateMessage(m); err != nil {
			return "", nil, err
		}
		next := m.NextAttemptAt
		if next.IsZero() {
			next = tx.Now
		}
		args = append(args, optionalID(m.PersonID), m.Channel, m.Provider, m.Class, m.Template, m.Body, m.To, m.From,
			MsgQueued, ms(next), ms(tx.Now), ms(tx.Now), optionalID(m.DriveID), m.Summary)
	}
	return `INSERT INTO outbox (person_id, channel, provider, class, template, body, to_address,
			from_address, state, next_attempt_at, created_at, updated_at, drive_id, summary) VALUES ` + valuesList(len(msgs), cols, 1), args, nil
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
