package storetest

import (
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// Tally is one metric on one channel of a drive as each counter table
// holds it, over every day: Own in counters (each event at its own area),
// Totals and DriveTotals in the drive root's subtree totals by day
// (counter_totals) and for the whole drive (counter_drive_totals). One
// event adds one to each, so the three agree whatever layout (shards,
// deltas) the rows take.
type Tally struct{ Own, Totals, DriveTotals int64 }

// TallyOf sums metric on channel in each counter table of the drive.
func TallyOf(t testing.TB, db *store.DB, driveID int64, metric, channel string) Tally {
	t.Helper()
	atRoot := func(table string) int64 {
		return scalar[int64](t, db, `SELECT COALESCE(SUM(c.value), 0) FROM `+table+` c
			JOIN drives d ON d.id = c.drive_id AND d.root_area_id = c.area_id
			WHERE c.drive_id = $1 AND c.metric = $2 AND c.channel = $3`, driveID, metric, channel)
	}
	return Tally{
		Own: scalar[int64](t, db, `SELECT COALESCE(SUM(value), 0) FROM counters WHERE drive_id = $1 AND metric = $2 AND channel = $3`,
			driveID, metric, channel),
		Totals:      atRoot("counter_totals"),
		DriveTotals: atRoot("counter_drive_totals"),
	}
}
