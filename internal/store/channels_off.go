package store

import (
	"context"
	"fmt"
)

// ChannelsOff returns which of drives have their kind channel switched off.
func (db *DB) ChannelsOff(ctx context.Context, kind string, drives []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(drives) == 0 {
		return out, nil
	}
	args := []any{kind}
	for _, d := range drives {
		args = append(args, d)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT drive_id FROM drive_channels
		WHERE kind = $1 AND off = 1 AND drive_id IN (`+placeholders(len(drives), 2)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: switched-off channels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: switched-off channels: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}
