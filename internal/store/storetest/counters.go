package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// CountedAt sums, by area, metric and channel over days, only the events
// counted at each area itself (the counters table, below the subtree
// totals progress reads), for a test to check where an event was counted.
func CountedAt(t testing.TB, db *store.DB, driveID int64, areaIDs []int64, days store.DayRange) []store.CounterSum {
	t.Helper()
	if len(areaIDs) == 0 {
		return nil
	}
	from, to := days.From, days.To
	if from == "" {
		from = "0000-00-00"
	}
	if to == "" {
		to = "9999-99-99"
	}
	args := []any{driveID, from, to}
	marks := make([]string, len(areaIDs))
	for i, id := range areaIDs {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	ctx := context.Background()
	var out []store.CounterSum
	err := db.View(ctx, func(tx *store.Tx) error {
		rows, err := sqlOf(tx).QueryContext(ctx, `SELECT area_id, metric, channel, sum(value) FROM counters
			WHERE drive_id = $1 AND day >= $2 AND day <= $3 AND area_id IN (`+strings.Join(marks, ", ")+`)
			GROUP BY area_id, metric, channel`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s store.CounterSum
			if err := rows.Scan(&s.AreaID, &s.Metric, &s.Channel, &s.Value); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("read counters: %v", err)
	}
	return out
}

// CountsByChannel sums the drive's counters over all areas and days for
// one channel, by metric.
func CountsByChannel(t testing.TB, db *store.DB, channel string) map[string]int64 {
	t.Helper()
	return byMetric(t, db, "SELECT metric, SUM(value) FROM counters WHERE channel = $1 GROUP BY metric", channel)
}

// CountsAt sums the counters recorded at the area with code (not its
// subtree), by metric.
func CountsAt(t testing.TB, db *store.DB, code string) map[string]int64 {
	t.Helper()
	return byMetric(t, db, `SELECT c.metric, SUM(c.value) FROM counters c JOIN areas a ON a.id = c.area_id
		WHERE a.code = $1 GROUP BY c.metric`, code)
}

func byMetric(t testing.TB, db *store.DB, q, arg string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	each(t, db, func(rows *sql.Rows) error {
		var m string
		var v int64
		err := rows.Scan(&m, &v)
		got[m] = v
		return err
	}, q, arg)
	return got
}

// MembersCountedAt is the code of the area a member was counted at.
func MembersCountedAt(t testing.TB, db *store.DB) string {
	t.Helper()
	return scalar[string](t, db, `SELECT a.code FROM counters c JOIN areas a ON a.id = c.area_id WHERE c.metric = 'members'`)
}

// LeadsCounted sums the leads counted at every area, own rows only.
func LeadsCounted(t testing.TB, db *store.DB) int64 {
	t.Helper()
	return scalar[int64](t, db, "SELECT COALESCE(sum(value), 0) FROM counters WHERE metric = 'leads'")
}

// LeadsTotalAt sums the leads in the totals of the area with code.
func LeadsTotalAt(t testing.TB, db *store.DB, code string) int64 {
	t.Helper()
	return scalar[int64](t, db, "SELECT COALESCE(sum(c.value), 0) FROM counter_totals c JOIN areas a ON a.id = c.area_id WHERE c.metric = 'leads' AND a.code = $1", code)
}

// ShardsOfDay lists the shards of drive's counter rows of day.
func ShardsOfDay(t testing.TB, db *store.DB, driveID int64, day string) []int {
	t.Helper()
	return column[int](t, db, "SELECT DISTINCT shard FROM counters WHERE drive_id = $1 AND day = $2 ORDER BY shard", driveID, day)
}

// CounterShards is how many different shards the counter tables' rows are
// on.
func CounterShards(t testing.TB, db *store.DB) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT count(DISTINCT shard) FROM (SELECT shard FROM counters UNION ALL SELECT shard FROM counter_totals
		UNION ALL SELECT shard FROM counter_drive_totals) s`)
}
