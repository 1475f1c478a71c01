package store

import (
	"context"
	"database/sql"
	"errors"
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

// StoredSetting returns the value of key if it is stored; ok is false if not.
func (db *DB) StoredSetting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = db.read.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: setting %s: %w", key, err)
	}
	return value, true, nil
}
