package store

import (
	"context"
	"time"
)

// PurgeOutbox deletes messages made before cutoff that are no longer
// queued or sending (those are still to be sent, or being sent), and
// reports how many it deleted. It deletes purgeChunk at a time, each in
// its own transaction.
func (db *DB) PurgeOutbox(ctx context.Context, cutoff time.Time) (int64, error) {
	return db.purgeInChunks(ctx, "outbox", `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
		WHERE created_at < $1 AND state NOT IN ('queued', 'sending') LIMIT $2)`, ms(cutoff))
}
