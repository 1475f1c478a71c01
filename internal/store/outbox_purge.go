package store

import (
	"context"
	"fmt"
	"time"
)

// purgeChunk is how many messages one purge transaction deletes, so a
// purge after a busy season never holds SQLite's one writer for long.
const purgeChunk = 5000

// PurgeOutbox deletes messages made before cutoff that are no longer
// queued or sending (those are still to be sent, or being sent), and
// reports how many it deleted. It deletes purgeChunk at a time, each in
// its own transaction.
func (db *DB) PurgeOutbox(ctx context.Context, cutoff time.Time) (int64, error) {
	return db.purgeInChunks(ctx, "outbox", `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
		WHERE created_at < $1 AND state NOT IN ('queued', 'sending') LIMIT $2)`, ms(cutoff))
}

// purgeInChunks runs del, a DELETE of at most as many rows as its last
// parameter says, with args and purgeChunk, each time in a transaction of
// its own, until it deletes fewer; it reports how many it deleted in all.
func (db *DB) purgeInChunks(ctx context.Context, what, del string, args ...any) (int64, error) {
	args = append(args, purgeChunk)
	var total int64
	for {
		var n int64
		err := db.Update(ctx, func(tx *Tx) error {
			res, err := tx.exec(ctx, del, args...)
			if err != nil {
				return fmt.Errorf("store: purge %s: %w", what, err)
			}
			n, err = res.RowsAffected()
			return err
		})
		total += n
		if err != nil || n < purgeChunk {
			return total, err
		}
	}
}
