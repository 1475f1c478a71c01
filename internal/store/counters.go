package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// CounterDelta is one change to a counter: an event (or its reversal, a
// negative Value) at the most specific area known when it happened, on the
// drive-local Day ("2026-02-12") computed by the caller.
type CounterDelta struct {
	DriveID int64
	AreaID  int64
	Metric  string
	Day     string
	Channel string
	Value   int64
}

type counterKey struct {
	drive, area          int64
	metric, day, channel string
}

func (k counterKey) compare(o counterKey) int {
	return cmp.Or(cmp.Compare(k.drive, o.drive), cmp.Compare(k.area, o.area), cmp.Compare(k.metric, o.metric),
		cmp.Compare(k.day, o.day), cmp.Compare(k.channel, o.channel))
}

// AddCounters adds deltas to tx, the transaction of the state change that
// caused them. They are written when tx commits (flushCounters): each at
// its own area in counters, and at that area and every ancestor in
// counter_totals.
func AddCounters(ctx context.Context, tx *Tx, deltas []CounterDelta) error {
	tx.counters = append(tx.counters, deltas...)
	return nil
}

// flushCounters writes a transaction's counter deltas just before it
// commits, summed per key and in one sorted order. Every transaction thus
// locks counter rows in the same order (no deadlocks on PostgreSQL, however
// its steps interleaved) and holds the hottest rows, the root's totals, for
// milliseconds rather than the whole transaction.
func flushCounters(ctx context.Context, tx *Tx) error {
	own := map[counterKey]int64{}
	for _, d := range tx.counters {
		if d.Value != 0 {
			own[counterKey{d.DriveID, d.AreaID, d.Metric, d.Day, d.Channel}] += d.Value
		}
	}
	tx.counters = nil
	if len(own) == 0 {
		return nil
	}
	totals := map[counterKey]int64{}
	chains := map[int64][]int64{}
	for k, v := range own {
		chain, ok := chains[k.area]
		if !ok {
			var err error
			if chain, err = tx.ancestry.chain(ctx, tx, k.area); err != nil {
				return err
			}
			chains[k.area] = chain
		}
		for _, a := range chain {
			tk := k
			tk.area = a
			totals[tk] += v
		}
	}
	if err := upsertCounters(ctx, tx, "counters", own); err != nil {
		return err
	}
	return upsertCounters(ctx, tx, "counter_totals", totals)
}

// ancestry returns the ids of an area and all its ancestors, from its
// materialized path.
func ancestry(ctx context.Context, tx *Tx, areaID int64) ([]int64, error) {
	var path string
	if err := tx.QueryRowContext(ctx, "SELECT path FROM areas WHERE id = $1", areaID).Scan(&path); err != nil {
		return nil, fmt.Errorf("store: counters: area %d: %w", areaID, err)
	}
	codes := strings.Split(strings.Trim(path, "/"), "/")
	args := make([]any, len(codes))
	marks := make([]string, len(codes))
	for i, c := range codes {
		args[i], marks[i] = c, fmt.Sprintf("$%d", i+1)
	}
	rows, err := tx.QueryContext(ctx, "SELECT id FROM areas WHERE code IN ("+strings.Join(marks, ",")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("store: counters: ancestors of %d: %w", areaID, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: counters: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func upsertCounters(ctx context.Context, tx *Tx, table string, m map[counterKey]int64) error {
	keys := make([]counterKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, counterKey.compare)
	// One statement per chunk rather than per key: keys are unique after
	// summing, so no row is touched twice by one statement.
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), 256)]
		keys = keys[len(chunk):]
		args := make([]any, 0, len(chunk)*6)
		for _, k := range chunk {
			args = append(args, k.drive, k.area, k.metric, k.day, k.channel, m[k])
		}
		q := `INSERT INTO ` + table + ` (drive_id, area_id, metric, day, channel, value) VALUES ` + valuesList(len(chunk), 6, 1) + `
			ON CONFLICT (drive_id, area_id, metric, day, channel) DO UPDATE SET value = ` + table + `.value + excluded.value`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store: %s: %w", table, err)
		}
	}
	return nil
}

// CounterSum is a counter summed over a day range.
type CounterSum struct {
	AreaID  int64
	Metric  string
	Channel string
	Value   int64
}

// DayRange limits a counter query to drive-local days, inclusive; empty
// bounds are open.
type DayRange struct{ From, To string }

func (r DayRange) bounds() (string, string) {
	from, to := r.From, r.To
	if from == "" {
		from = "0000-00-00"
	}
	if to == "" {
		to = "9999-99-99"
	}
	return from, to
}

// CounterTotals sums each area's subtree totals (its own events and all
// its descendants') by metric and channel over days.
func (db *DB) CounterTotals(ctx context.Context, driveID int64, areaIDs []int64, days DayRange) ([]CounterSum, error) {
	inDays, _, err := db.sumCounters(ctx, "counter_totals", driveID, areaIDs, days, false)
	return inDays, err
}

// CounterTotalsToDate is CounterTotals over days and, from the same rows
// in the same query, over every day: what a report shows, and what its
// pace toward a target starts from. A sum is in inDays only if some row
// fell in days, as in CounterTotals.
func (db *DB) CounterTotalsToDate(ctx context.Context, driveID int64, areaIDs []int64, days DayRange) (inDays, allDays []CounterSum, err error) {
	return db.sumCounters(ctx, "counter_totals", driveID, areaIDs, days, true)
}

// CounterOwn sums only the events counted at each area itself.
func (db *DB) CounterOwn(ctx context.Context, driveID int64, areaIDs []int64, days DayRange) ([]CounterSum, error) {
	inDays, _, err := db.sumCounters(ctx, "counters", driveID, areaIDs, days, false)
	return inDays, err
}

// sumCounters sums table over days, and over every day too if allDays.
// Both come from one pass over the areas' rows: the key's day is not in
// an index seek anyway (metric comes before it), so a day range reads as
// many rows as the whole drive.
func (db *DB) sumCounters(ctx context.Context, table string, driveID int64, areaIDs []int64, days DayRange, allDays bool) (inDays, all []CounterSum, err error) {
	if len(areaIDs) == 0 {
		return nil, nil, nil
	}
	args := []any{driveID}
	inRange, where := "sum(value)", ""
	if days != (DayRange{}) {
		from, to := days.bounds()
		args = append(args, from, to)
		if allDays {
			inRange = "sum(CASE WHEN day >= $2 AND day <= $3 THEN value END)" // NULL: no row in days
		} else {
			where = " AND day >= $2 AND day <= $3"
		}
	}
	marks := make([]string, len(areaIDs))
	for i, id := range areaIDs {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT area_id, metric, channel, `+inRange+`, sum(value) FROM `+table+`
			WHERE drive_id = $1`+where+` AND area_id IN (`+strings.Join(marks, ",")+`)
			GROUP BY area_id, metric, channel`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s CounterSum
			var in sql.NullInt64
			if err := rows.Scan(&s.AreaID, &s.Metric, &s.Channel, &in, &s.Value); err != nil {
				return err
			}
			if allDays {
				all = append(all, s)
			}
			if in.Valid {
				s.Value = in.Int64
				inDays = append(inDays, s)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: sum %s: %w", table, err)
	}
	return inDays, all, nil
}
