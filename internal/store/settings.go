package store

import (
	"context"
	"fmt"
)

// Setting returns the stored value of key, storing def first if the key is
// new. Concurrent first calls agree on one value.
func (db *DB) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", key, def); err != nil {
			return err
		}
		return tx.queryRow(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	})
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, nil
}
