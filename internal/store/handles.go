package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Handle is a person's handle on one platform, in the normal form
// internal/handles gives it.
type Handle struct {
	Platform  string
	Handle    string
	CreatedAt time.Time
}

// Handles returns a person's handles, by platform.
func Handles(ctx context.Context, tx *Tx, personID int64) ([]Handle, error) {
	rows, err := tx.query(ctx, `SELECT platform, handle, created_at FROM handles WHERE person_id = $1 ORDER BY platform`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: handles of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []Handle
	for rows.Next() {
		var h Handle
		var created int64
		if err := rows.Scan(&h.Platform, &h.Handle, &created); err != nil {
			return nil, fmt.Errorf("store: handles of person %d: %w", personID, err)
		}
		h.CreatedAt = fromMS(created)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: handles of person %d: %w", personID, err)
	}
	return out, nil
}

// SetHandles makes hs (one a platform) the person's handles: a handle
// kept keeps its date, one dropped is deleted. taken lists the platforms
// whose handle another person holds; then nothing is written. Two people
// setting one handle at once: the second finds it taken, or (when both
// checked before either wrote) fails with a conflict.
func SetHandles(ctx context.Context, tx *Tx, personID int64, hs []Handle) (taken []string, err error) {
	for _, h := range hs {
		owner, err := handleOwner(ctx, tx, h)
		if err != nil {
			return nil, err
		}
		if owner != 0 && owner != personID {
			taken = append(taken, h.Platform)
		}
	}
	if len(taken) > 0 {
		return taken, nil
	}
	old, err := Handles(ctx, tx, personID)
	if err != nil {
		return nil, err
	}
	for _, o := range old {
		if slices.ContainsFunc(hs, func(h Handle) bool { return h.Platform == o.Platform && h.Handle == o.Handle }) {
			continue
		}
		if _, err := tx.exec(ctx, `DELETE FROM handles WHERE person_id = $1 AND platform = $2`, personID, o.Platform); err != nil {
			return nil, fmt.Errorf("store: replace handle of person %d: %w", personID, err)
		}
	}
	for _, h := range hs {
		res, err := tx.exec(ctx, `INSERT INTO handles (person_id, platform, handle, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, personID, h.Platform, h.Handle, ms(tx.Now))
		if err != nil {
			return nil, fmt.Errorf("store: add handle of person %d: %w", personID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("store: add handle of person %d: %w", personID, err)
		}
		if n == 1 {
			continue
		}
		// Kept, or given at this moment by this person's other request
		// (PostgreSQL: the insert waited for it), or by someone else's.
		if owner, err := handleOwner(ctx, tx, h); err != nil {
			return nil, err
		} else if owner != personID {
			return nil, apperr.New(apperr.Conflict, "the %s handle was taken a moment ago", h.Platform)
		}
	}
	return nil, nil
}

// handleOwner is the person holding a handle, 0 for none.
func handleOwner(ctx context.Context, tx *Tx, h Handle) (int64, error) {
	var owner int64
	err := tx.queryRow(ctx, `SELECT person_id FROM handles WHERE platform = $1 AND handle = $2`, h.Platform, h.Handle).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: handle on %s: %w", h.Platform, err)
	}
	return owner, nil
}

// DeleteHandles removes every handle of a person.
func DeleteHandles(ctx context.Context, tx *Tx, personID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM handles WHERE person_id = $1`, personID); err != nil {
		return fmt.Errorf("store: delete handles of person %d: %w", personID, err)
	}
	return nil
}
