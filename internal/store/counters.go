package store

import (
	"cmp"
	"context"
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
	drive := map[counterKey]int64{}
	for k, v := range totals {
		k.day = ""
		drive[k] += v
	}
	tx.shard, tx.shardHeld = tx.shards.take()
	if err := upsertCounters(ctx, tx, "counters", own); err != nil {
		return err
	}
	if err := upsertCounters(ctx, tx, "counter_totals", totals); err != nil {
		return err
	}
	return upsertDriveTotals(ctx, tx, drive)
}

// ancestry returns the ids of an area and all its ancestors, from its
// materialized path.
func ancestry(ctx context.Context, tx *Tx, areaID int64) ([]int64, error) {
	var path string
	if err := tx.queryRow(ctx, "SELECT path FROM areas WHERE id = $1", areaID).Scan(&path); err != nil {
		return nil, fmt.Errorf("store: counters: area %d: %w", areaID, err)
	}
	codes := strings.Split(strings.Trim(path, "/"), "/")
	args := make([]any, len(codes))
	marks := make([]string, len(codes))
	for i, c := range codes {
		args[i], marks[i] = c, fmt.Sprintf("$%d", i+1)
	}
	rows, err := tx.query(ctx, "SELECT id FROM areas WHERE code IN ("+strings.Join(marks, ",")+")", args...)
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

// upsertDriveTotals writes whole-drive totals: keys without a day.
func upsertDriveTotals(ctx context.Context, tx *Tx, m map[counterKey]int64) error {
	return upsertRows(ctx, tx, "counter_drive_totals", []string{"drive_id", "area_id", "metric", "channel", "shard"}, m,
		func(k counterKey) []any { return []any{k.drive, k.area, k.metric, k.channel, tx.shard} })
}

func upsertCounters(ctx context.Context, tx *Tx, table string, m map[counterKey]int64) error {
	return upsertRows(ctx, tx, table, []string{"drive_id", "area_id", "metric", "day", "channel", "shard"}, m,
		func(k counterKey) []any { return []any{k.drive, k.area, k.metric, k.day, k.channel, tx.shard} })
}

// upsertRows adds m's values to table's rows keyed by cols, in key order.
func upsertRows(ctx context.Context, tx *Tx, table string, cols []string, m map[counterKey]int64, key func(counterKey) []any) error {
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
		args := make([]any, 0, len(chunk)*(len(cols)+1))
		for _, k := range chunk {
			args = append(append(args, key(k)...), m[k])
		}
		keyCols := strings.Join(cols, ", ")
		q := `INSERT INTO ` + table + ` (` + keyCols + `, value) VALUES ` + valuesList(len(chunk), len(cols)+1, 1) + `
			ON CONFLICT (` + keyCols + `) DO UPDATE SET value = ` + table + `.value + excluded.value`
		if err := tx.later(ctx, q, args...); err != nil {
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

// totalsOver is the condition (and its arguments) on counter_totals
// selecting a drive's areas' rows over days.
func totalsOver(driveID int64, areaIDs []int64, days DayRange) (string, []any) {
	from, to := days.bounds()
	args := []any{driveID, from, to}
	for _, id := range areaIDs {
		args = append(args, id)
	}
	return `drive_id = $1 AND day >= $2 AND day <= $3 AND area_id IN (` + placeholders(len(areaIDs), 4) + `)`, args
}

// CounterTotals sums each area's subtree totals (its own events and all
// its descendants') by metric and channel over days.
func (db *DB) CounterTotals(ctx context.Context, driveID int64, areaIDs []int64, days DayRange) ([]CounterSum, error) {
	if len(areaIDs) == 0 {
		return nil, nil
	}
	where, args := totalsOver(driveID, areaIDs, days)
	out, err := db.querySums(ctx, `SELECT area_id, metric, channel, sum(value) FROM counter_totals
		WHERE `+where+` GROUP BY area_id, metric, channel`, args)
	if err != nil {
		return nil, fmt.Errorf("store: sum counter_totals: %w", err)
	}
	return out, nil
}

// CounterTotalsToDate returns each area's subtree totals over days and
// over the whole drive so far: what a report shows, and what its pace
// toward a target starts from. Whole-drive sums come from
// counter_drive_totals (one row per area, metric and channel); only a day
// range reads the daily rows.
func (db *DB) CounterTotalsToDate(ctx context.Context, driveID int64, areaIDs []int64, days DayRange) (inDays, allDays []CounterSum, err error) {
	if len(areaIDs) == 0 {
		return nil, nil, nil
	}
	args := []any{driveID}
	for _, id := range areaIDs {
		args = append(args, id)
	}
	allDays, err = db.querySums(ctx, `SELECT area_id, metric, channel, sum(value) FROM counter_drive_totals
		WHERE drive_id = $1 AND area_id IN (`+placeholders(len(areaIDs), 2)+`) GROUP BY area_id, metric, channel`, args)
	if err != nil {
		return nil, nil, fmt.Errorf("store: drive totals: %w", err)
	}
	if days == (DayRange{}) {
		return allDays, allDays, nil
	}
	inDays, err = db.CounterTotals(ctx, driveID, areaIDs, days)
	return inDays, allDays, err
}

// querySums runs a query yielding (area_id, metric, channel, value) rows.
func (db *DB) querySums(ctx context.Context, query string, args []any) ([]CounterSum, error) {
	var out []CounterSum
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s CounterSum
			if err := rows.Scan(&s.AreaID, &s.Metric, &s.Channel, &s.Value); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}
