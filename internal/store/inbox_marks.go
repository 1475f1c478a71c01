package store

import (
	"context"
	"fmt"
	"strings"
)

// Processed is an inbox item to mark processed, with an optional note.
type Processed struct {
	ID   int64
	Note string
}

// MarkProcessedMany marks items processed in tx, in one statement.
func MarkProcessedMany(ctx context.Context, tx *Tx, items []Processed) error {
	if len(items) == 0 {
		return nil
	}
	args := []any{ms(tx.Now)}
	var notes strings.Builder
	var ids []string
	for _, it := range items {
		args = append(args, it.ID)
		id := fmt.Sprintf("$%d", len(args))
		ids = append(ids, id)
		if it.Note != "" {
			args = append(args, it.Note)
			fmt.Fprintf(&notes, " WHEN %s THEN $%d", id, len(args))
		}
	}
	note := "note"
	if notes.Len() > 0 {
		note = "CASE id" + notes.String() + " ELSE note END"
	}
	err := tx.later(ctx, `UPDATE inbox SET processed_at = $1, note = `+note+`, lease_owner = NULL, lease_until = NULL
		WHERE id IN (`+strings.Join(ids, ", ")+`) AND processed_at IS NULL`, args...)
	if err != nil {
		return fmt.Errorf("store: mark %d inbox items processed: %w", len(items), err)
	}
	return nil
}

// MarkProcessed marks an inbox item processed in tx, with an optional note.
func MarkProcessed(ctx context.Context, tx *Tx, id int64, note string) error {
	_, err := tx.exec(ctx, `UPDATE inbox SET processed_at = $1, note = CASE WHEN $2 = '' THEN note ELSE $2 END,
			lease_owner = NULL, lease_until = NULL WHERE id = $3 AND processed_at IS NULL`, ms(tx.Now), note, id)
	if err != nil {
		return fmt.Errorf("store: mark inbox item %d processed: %w", id, err)
	}
	return nil
}
