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

// LeaseInboxKind claims for owner, until the lease ends, up to limit
// unprocessed items of one kind received before receivedBefore, oldest
// first: a retry of items whose first processing, at receipt, could not
// finish. A crashed worker's lease runs out and another takes the items.
func (db *DB) LeaseInboxKind(ctx context.Context, owner, kind string, receivedBefore time.Time, limit int, lease time.Duration) ([]InboxRow, error) {
	var rows []InboxRow
	err := db.Update(ctx, func(tx *Tx) error {
		pick := `SELECT id FROM inbox WHERE processed_at IS NULL AND kind = $5 AND received_at < $6
			AND (lease_until IS NULL OR lease_until < $3) ORDER BY id LIMIT $4`
		if tx.Engine() == Postgres {
			pick += " FOR UPDATE SKIP LOCKED"
		}
		// The pick runs once (materialized): see ClaimMessages.
		r, err := tx.query(ctx, `WITH picked AS MATERIALIZED (`+pick+`)
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

// MarkReportProcessed marks a delivery report processed once u, read from
// it, has been applied. The report of a message to someone who erased their
// data keeps no payload: it names the recipient.
func (db *DB) MarkReportProcessed(ctx context.Context, id int64, u StatusUpdate) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE inbox SET processed_at = $1, lease_owner = NULL, lease_until = NULL,
				payload = CASE WHEN erased.n > 0 THEN $2 ELSE payload END, note = CASE WHEN erased.n > 0 THEN $3 ELSE note END
			FROM (SELECT COUNT(*) AS n FROM outbox o JOIN people p ON p.id = o.person_id
				WHERE o.provider = $4 AND (o.provider_id = $5 OR (o.provider_id IS NULL AND o.id = $6)) AND p.erased_at IS NOT NULL) AS erased
			WHERE inbox.id = $7 AND inbox.processed_at IS NULL`, ms(tx.Now), []byte{}, Erased, u.Provider, u.ProviderID, u.Ref, id)
		if err != nil {
			return fmt.Errorf("store: mark report %d processed: %w", id, err)
		}
		return nil
	})
}
