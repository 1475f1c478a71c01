package store

import (
	"context"
	"fmt"
)

// purgeChunk is how many rows one purge transaction deletes (inbox,
// outbox, audit log, registration marks), so a purge after a busy season
// never holds SQLite's one writer, or PostgreSQL's locks, for long.
const purgeChunk = 5000

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
