package store

import (
	"context"
	"fmt"
	"time"
)

// ReceiveInbox stores one item, unprocessed, in its own transaction: the
// webhook acknowledges it once this returns.
func (db *DB) ReceiveInbox(ctx context.Context, it InboxItem) (InboxResult, error) {
	if err := ValidateInboxItem(it); err != nil {
		return InboxResult{}, err
	}
	var out InboxResult
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := InsertInbox(ctx, tx, []InboxItem{it})
		if err == nil {
			out = res[0]
		}
		return err
	})
	return out, err
}

// MarkInboxProcessed marks one item processed, with a note when it was
// given up on, whoever holds it.
func (db *DB) MarkInboxProcessed(ctx context.Context, id int64, note string) error {
	return db.Update(ctx, func(tx *Tx) error { return MarkProcessed(ctx, tx, id, note) })
}

// LeaseInboxKind is LeaseInbox for items of one kind received before
// receivedBefore: a retry of items whose first processing, at receipt,
// could not finish.
func (db *DB) LeaseInboxKind(ctx context.Context, owner, kind string, receivedBefore time.Time, limit int, lease time.Duration) ([]InboxRow, error) {
	var rows []InboxRow
	err := db.Update(ctx, func(tx *Tx) error {
		pick := `SELECT id FROM inbox WHERE processed_at IS NULL AND kind = $5 AND received_at < $6
			AND (lease_until IS NULL OR lease_until < $3) ORDER BY id LIMIT $4`
		if tx.Engine() == Postgres {
			pick += " FOR UPDATE SKIP LOCKED"
		}
		r, err := tx.QueryContext(ctx, `WITH picked AS MATERIALIZED (`+pick+`)
			UPDATE inbox SET lease_owner = $1, lease_until = $2 WHERE id IN (SELECT id FROM picked)
			RETURNING id, provider, provider_key, kind, payload, note, received_at`,
			owner, ms(tx.Now.Add(lease)), ms(tx.Now), limit, kind, ms(receivedBefore))
		if err != nil {
			return fmt.Errorf("store: lease %s inbox items: %w", kind, err)
		}
		rows, err = scanInbox(r)
		return err
	})
	return rows, err
}
