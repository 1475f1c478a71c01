package drivetest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// NationalDrive is a drive over all of India on the reference drive's 30
// days: members shared by the PCs, leads fixed for every state, cadres
// fixed for every PC; the country's figures are their sums.
const NationalDrive = `{
  "version": 1, "slug": "in-warriors", "name": "Social media warriors — India",
  "starts_on": "2026-02-12", "ends_on": "2026-03-13", "timezone": "Asia/Kolkata", "root_area": "IN",
  "channels": [{"kind": "missed_call", "number": "1800 000 0001"}, {"kind": "whatsapp", "number": "+91 70000 00001"}],
  "targets": ["country IN: 20000000 members", "each pc: share members equally", "each state: 500000 leads",
    "each pc: 1000 volunteers", "each pc: 100 office_bearers", "groups: 10 per volunteer target"]
}`

// nationScale puts a row on about one booth-day in ten
// (storetest.BoothDensities).
const nationScale = 44

// Nation returns the national shape on PostgreSQL with NationalDrive
// counted for its whole 30 days: India, 36 states, 543 PCs, 4,123 ACs,
// 10.5 lakh booths, counters at booth grain on about one booth-day in ten
// (all metrics and channels), at every AC and at the root, and the totals
// built from them. Building takes minutes, so it is kept between runs in a
// schema of its own (storetest.Cached) and must only be read. It runs only
// when asked: tb is skipped unless JODO_BENCH_NATIONAL=1 and
// JODO_TEST_DATABASE_URL are set.
func Nation(tb testing.TB, clock store.Clock) (*store.DB, store.Drive) {
	tb.Helper()
	if os.Getenv("JODO_BENCH_NATIONAL") != "1" {
		tb.Skip("the national fixture is big: set JODO_BENCH_NATIONAL=1 (and JODO_TEST_DATABASE_URL) to run it")
	}
	storetest.RequirePostgres(tb)
	db := storetest.Cached(tb, "nation_1", clock, func(db *store.DB) { buildNation(tb, db) })
	d, err := db.DriveBySlug(context.Background(), "in-warriors")
	if err != nil {
		tb.Fatal(err)
	}
	logSize(tb, db, d)
	return db, d
}

// logSize says what the fixture holds, for the record of a run.
func logSize(tb testing.TB, db *store.DB, d store.Drive) {
	tb.Helper()
	counts := map[string]int64{}
	for _, table := range []string{"areas", "targets", "counters", "counter_totals", "counter_drive_totals"} {
		counts[table] = storetest.RowCount(tb, db, table)
	}
	days := drive.Calendar(d).DaysTotal()
	tb.Logf("national fixture: %v rows; %.1f%% of booth-days have counters", counts, 100*storetest.BoothDaysCounted(tb, db, d.ID, days))
}

// buildNation applies the drive before the booths are written: its rules
// set targets at states and PCs only, so expanding them over the 4,703
// areas above the booths gives the same targets as over a million.
func buildNation(tb testing.TB, db *store.DB) {
	tb.Helper()
	ctx := context.Background()
	step := stepTimer(tb)
	storetest.FillNationAreas(tb, db)
	f, err := drive.Parse([]byte(NationalDrive))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := drive.Apply(ctx, db, f, false, access.Actor{Label: "test"}); err != nil {
		tb.Fatal(err)
	}
	step("areas above the booths, the drive and its targets")
	storetest.FillNationBooths(tb, db)
	step("booths")
	d, err := db.DriveBySlug(ctx, f.Slug)
	if err != nil {
		tb.Fatal(err)
	}
	first, err := time.Parse(time.DateOnly, f.StartsOn)
	if err != nil {
		tb.Fatal(err)
	}
	storetest.FillCounters(tb, db, d.ID, first, f.DaysTotal(), storetest.BoothDensities(nationScale))
	step("counters and totals")
}

// stepTimer logs how long each step of a build took, and the whole.
func stepTimer(tb testing.TB) func(what string) {
	start, last := time.Now(), time.Now()
	return func(what string) {
		tb.Logf("%s: %s (%s in all)", what, time.Since(last).Round(100*time.Millisecond), time.Since(start).Round(100*time.Millisecond))
		last = time.Now()
	}
}
