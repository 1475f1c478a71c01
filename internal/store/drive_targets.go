package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// DriveTarget is one expanded target.
type DriveTarget struct {
	AreaCode, Metric string
	Value            int64
	Explicit         bool
}

// SubtreeArea is what target expansion needs of an area under the root.
type SubtreeArea struct {
	Code, Kind, Parent string
	Weights            map[string]float64
}

// ExpandTargets turns the areas under a drive's root into its targets.
type ExpandTargets func([]SubtreeArea) ([]DriveTarget, error)

func writeTargets(ctx context.Context, tx *Tx, d Drive, expand ExpandTargets) error {
	areas, ids, err := subtree(ctx, tx, d.RootArea)
	if err != nil {
		return err
	}
	targets, err := expand(areas)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM targets WHERE drive_id = $1", d.ID); err != nil {
		return fmt.Errorf("store: replace targets: %w", err)
	}
	stmt, err := tx.prepare(ctx, "INSERT INTO targets (drive_id, area_id, metric, value, explicit) VALUES ($1, $2, $3, $4, $5)")
	if err != nil {
		return fmt.Errorf("store: insert targets: %w", err)
	}
	defer stmt.Close()
	for _, t := range targets {
		explicit := 0
		if t.Explicit {
			explicit = 1
		}
		if _, err := stmt.ExecContext(ctx, d.ID, ids[t.AreaCode], t.Metric, t.Value, explicit); err != nil {
			return fmt.Errorf("store: insert target %s %s: %w", t.AreaCode, t.Metric, err)
		}
	}
	return nil
}

// subtree loads the live areas at and under code, with their ids.
func subtree(ctx context.Context, tx *Tx, code string) ([]SubtreeArea, map[string]int64, error) {
	var path string
	if err := tx.queryRow(ctx, "SELECT path FROM areas WHERE code = $1", code).Scan(&path); err != nil {
		return nil, nil, fmt.Errorf("store: subtree of %s: %w", code, err)
	}
	lo, hi := pathRange(path)
	rows, err := tx.query(ctx, `SELECT id, code, kind, COALESCE(parent_code, ''), weights FROM areas
		WHERE path >= $1 AND path < $2 AND retired_at IS NULL`, lo, hi)
	if err != nil {
		return nil, nil, fmt.Errorf("store: subtree of %s: %w", code, err)
	}
	defer rows.Close()
	var out []SubtreeArea
	ids := map[string]int64{}
	for rows.Next() {
		var a SubtreeArea
		var id int64
		var weights string
		if err := rows.Scan(&id, &a.Code, &a.Kind, &a.Parent, &weights); err != nil {
			return nil, nil, fmt.Errorf("store: subtree: %w", err)
		}
		if err := json.Unmarshal([]byte(weights), &a.Weights); err != nil {
			return nil, nil, fmt.Errorf("store: area %s weights: %w", a.Code, err)
		}
		if a.Code == code {
			a.Parent = "" // the root of the drive's tree
		}
		ids[a.Code] = id
		out = append(out, a)
	}
	return out, ids, rows.Err()
}

// DriveSubtree is the live areas at and under code, as target expansion
// reads them when a drive is saved (to preview a drive's targets).
func (db *DB) DriveSubtree(ctx context.Context, code string) ([]SubtreeArea, error) {
	var out []SubtreeArea
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		out, _, err = subtree(ctx, tx, code)
		return err
	})
	return out, err
}

// Targets returns a drive's targets for the given areas: area id → metric → target.
func (db *DB) Targets(ctx context.Context, driveID int64, areaIDs []int64) (map[int64]map[string]int64, error) {
	out := map[int64]map[string]int64{}
	if len(areaIDs) == 0 {
		return out, nil
	}
	args := []any{driveID}
	marks := make([]string, len(areaIDs))
	for i, id := range areaIDs {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, "SELECT area_id, metric, value FROM targets WHERE drive_id = $1 AND area_id IN ("+strings.Join(marks, ",")+")", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, v int64
			var metric string
			if err := rows.Scan(&id, &metric, &v); err != nil {
				return err
			}
			if out[id] == nil {
				out[id] = map[string]int64{}
			}
			out[id][metric] = v
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: targets: %w", err)
	}
	return out, nil
}
