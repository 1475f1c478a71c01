package store

import (
	"context"
	"fmt"
)

// DaySum is one metric's count on one day, summed over channels and areas.
type DaySum struct {
	Metric string
	Day    string
	Value  int64
}

// CounterDays sums the subtree totals of areaIDs by metric and day over
// days, ordered by metric and day: a daily series. metrics limits it
// (nil for every metric). Days with nothing are absent.
func (db *DB) CounterDays(ctx context.Context, driveID int64, areaIDs []int64, metrics []string, days DayRange) ([]DaySum, error) {
	if len(areaIDs) == 0 {
		return nil, nil
	}
	where, args := totalsOver(driveID, areaIDs, days)
	if len(metrics) > 0 {
		where += ` AND metric IN (` + placeholders(len(metrics), len(args)+1) + `)`
		for _, m := range metrics {
			args = append(args, m)
		}
	}
	var out []DaySum
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT metric, day, sum(value) FROM counter_totals WHERE `+where+`
			GROUP BY metric, day ORDER BY metric, day`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s DaySum
			if err := rows.Scan(&s.Metric, &s.Day, &s.Value); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: counter days: %w", err)
	}
	return out, nil
}

// OwnCounts sums, by metric and channel over every day, what was counted
// at the area itself and at none of its descendants: a missed caller's
// lead at a drive's root, a member who named an AC but no booth.
func (db *DB) OwnCounts(ctx context.Context, driveID, areaID int64) ([]CounterSum, error) {
	out, err := db.querySums(ctx, `SELECT area_id, metric, channel, sum(value) FROM counters
		WHERE drive_id = $1 AND area_id = $2 GROUP BY area_id, metric, channel`, []any{driveID, areaID})
	if err != nil {
		return nil, fmt.Errorf("store: own counts: %w", err)
	}
	return out, nil
}
