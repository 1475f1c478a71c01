package store

import (
	"context"
	"fmt"
)

// ChargeBudget takes up to want sends from channel's budget of limit for day,
// shared by every node, and returns how many it granted and how many the
// day has used since.
func (db *DB) ChargeBudget(ctx context.Context, channel, day string, want, limit int) (granted int, used int64, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO outbox_budget (channel, day, used) VALUES ($1, $2, 0)
			ON CONFLICT (channel, day) DO NOTHING`, channel, day); err != nil {
			return fmt.Errorf("store: charge %s budget: %w", channel, err)
		}
		q := "SELECT used FROM outbox_budget WHERE channel = $1 AND day = $2"
		if tx.Engine() == Postgres {
			q += " FOR UPDATE"
		}
		if err := tx.queryRow(ctx, q, channel, day).Scan(&used); err != nil {
			return fmt.Errorf("store: charge %s budget: %w", channel, err)
		}
		granted = int(min(int64(want), max(int64(limit)-used, 0)))
		used += int64(granted)
		_, err := tx.exec(ctx, "UPDATE outbox_budget SET used = $1 WHERE channel = $2 AND day = $3", used, channel, day)
		if err != nil {
			return fmt.Errorf("store: charge %s budget: %w", channel, err)
		}
		return nil
	})
	return granted, used, err
}
