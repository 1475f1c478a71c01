package store_test

import (
	"context"
	"fmt"
	"github.com/jackc/pgx/v5/pgconn"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// counterWorld is Jharkhand with a few booths under two ACs of Ranchi PC,
// and a drive rooted at JH.
type counterWorld struct {
	db    *store.DB
	drive int64
	ids   map[string]int64
	codes []string // areas events land on
}

func newCounterWorld(t testing.TB) *counterWorld {
	t.Helper()
	return counterWorldOn(t, storetest.Open(t, nil))
}

// counterWorldOn gives db (migrated, empty) the counter world's areas and
// drive.
func counterWorldOn(t testing.TB, db *store.DB) *counterWorld {
	t.Helper()
	ctx := context.Background()
	areas, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{"JH", "JH-PC-08", "JH-PC-01", "JH-AC-063", "JH-AC-064", "JH-AC-001"}
	for _, ac := range []string{"JH-AC-063", "JH-AC-064"} {
		for n := 1; n <= 4; n++ {
			code := fmt.Sprintf("%s-B-%04d", ac, n)
			areas = append(areas, geo.Area{Code: code, Kind: "booth", Number: fmt.Sprint(n), NameEN: "Booth " + fmt.Sprint(n), Parent: ac})
			codes = append(codes, code)
		}
	}
	if _, err := db.ImportAreas(ctx, geo.Importer(areas)); err != nil {
		t.Fatal(err)
	}
	d := store.Drive{Slug: "counting", Name: "Counting", StartsOn: "2026-02-12", EndsOn: "2026-03-12", Timezone: "Asia/Kolkata", RootArea: "JH", Version: 1, File: []byte("{}")}
	noTargets := func([]store.SubtreeArea) ([]store.DriveTarget, error) { return nil, nil }
	if _, err := db.SaveDrive(ctx, d, noTargets, false, nil); err != nil {
		t.Fatal(err)
	}
	saved, err := db.DriveBySlug(ctx, "counting")
	if err != nil {
		t.Fatal(err)
	}
	ids := storetest.AreaIDs(t, db, codes...)
	return &counterWorld{db: db, drive: saved.ID, ids: ids, codes: codes}
}

type ownKey struct {
	area                 int64
	metric, day, channel string
}

// 64 goroutines move counters at once, with reversals (negative deltas)
// and steps added in different orders within their transactions. Every
// counter must end exact, and every area's roll-up must equal its own
// events plus its children's roll-ups.
func TestCountersExactUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	w := newCounterWorld(t)
	retriesBefore := testutil.ToFloat64(store.TxRetriesForTest)
	var mu sync.Mutex
	want := map[ownKey]int64{}
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for range 15 {
				steps := [][]store.CounterDelta{w.randomDeltas(rng), w.randomDeltas(rng)}
				if rng.IntN(2) == 0 {
					steps[0], steps[1] = steps[1], steps[0]
				}
				err := w.db.Update(ctx, func(tx *store.Tx) error {
					for _, s := range steps {
						if err := store.AddCounters(ctx, tx, s); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, s := range steps {
					for _, d := range s {
						want[ownKey{d.AreaID, d.Metric, d.Day, d.Channel}] += d.Value
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	w.checkOwn(t, want)
	w.checkRollups(t)
	w.checkDriveTotals(t)
	if r := testutil.ToFloat64(store.TxRetriesForTest) - retriesBefore; r != 0 {
		t.Errorf("%v transactions were retried after deadlocks; counter writes must lock in one order", r)
	}
	// PostgreSQL's concurrent writers each wrote a shard of their own
	// (and the sums above added them up); SQLite's one writer, shard 0.
	shards := storetest.CounterShards(t, w.db)
	if w.db.Engine() == store.Postgres && shards < 2 || w.db.Engine() == store.SQLite && shards != 1 {
		t.Errorf("%s: counters on %d shards", w.db.Engine(), shards)
	}
}

func (w *counterWorld) randomDeltas(rng *rand.Rand) []store.CounterDelta {
	metrics := []string{"leads", "members", "groups"}
	days := []string{"2026-02-12", "2026-02-13", "2026-02-20"}
	channels := []string{"missed_call", "web"}
	out := make([]store.CounterDelta, 1+rng.IntN(3))
	for i := range out {
		out[i] = store.CounterDelta{
			DriveID: w.drive, AreaID: w.ids[w.codes[rng.IntN(len(w.codes))]],
			Metric: metrics[rng.IntN(3)], Day: days[rng.IntN(3)], Channel: channels[rng.IntN(2)],
			Value: int64(rng.IntN(6)) - 2, // reversals too
		}
	}
	return out
}

func (w *counterWorld) allIDs() []int64 {
	var ids []int64
	for _, id := range w.ids {
		ids = append(ids, id)
	}
	return ids
}

func (w *counterWorld) checkOwn(t *testing.T, want map[ownKey]int64) {
	t.Helper()
	got := map[ownKey]int64{}
	for _, day := range []string{"2026-02-12", "2026-02-13", "2026-02-20"} {
		for _, s := range storetest.CountedAt(t, w.db, w.drive, w.allIDs(), store.DayRange{From: day, To: day}) {
			if s.Value != 0 {
				got[ownKey{s.AreaID, s.Metric, day, s.Channel}] = s.Value
			}
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("own counter %+v = %d, want %d", k, got[k], v)
		}
	}
	for k, v := range got {
		if want[k] != v {
			t.Errorf("unexpected own counter %+v = %d", k, v)
		}
	}
}

type sumKey struct{ metric, channel string }

func sumsByArea(sums []store.CounterSum) map[int64]map[sumKey]int64 {
	out := map[int64]map[sumKey]int64{}
	for _, s := range sums {
		if out[s.AreaID] == nil {
			out[s.AreaID] = map[sumKey]int64{}
		}
		out[s.AreaID][sumKey{s.Metric, s.Channel}] += s.Value
	}
	return out
}

// checkRollups: for every area with events, over every day range tried,
// totals = own + Σ children's totals.
func (w *counterWorld) checkRollups(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for _, days := range []store.DayRange{{}, {From: "2026-02-13", To: "2026-02-20"}, {From: "2026-02-12", To: "2026-02-12"}} {
		for _, code := range w.codes {
			children, err := w.db.ListAreas(ctx, store.AreaFilter{Parent: code})
			if err != nil {
				t.Fatal(err)
			}
			var childIDs []int64
			for _, c := range children {
				if c.Kind != "district" { // districts stand for ACs; they are not in the electoral tree
					childIDs = append(childIDs, c.ID)
				}
			}
			id := w.ids[code]
			own := storetest.CountedAt(t, w.db, w.drive, []int64{id}, days)
			total, _ := w.db.CounterTotals(ctx, w.drive, []int64{id}, days)
			kids, _ := w.db.CounterTotals(ctx, w.drive, childIDs, days)
			expect := map[sumKey]int64{}
			for _, s := range append(own, kids...) {
				expect[sumKey{s.Metric, s.Channel}] += s.Value
			}
			got := sumsByArea(total)[id]
			for k, v := range expect {
				if got[k] != v {
					t.Errorf("%s %v %+v: total %d, own + children %d", code, days, k, got[k], v)
				}
			}
		}
	}
}

// checkDriveTotals: the whole-drive totals equal the daily totals summed.
func (w *counterWorld) checkDriveTotals(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	daily, err := w.db.CounterTotals(ctx, w.drive, w.allIDs(), store.DayRange{})
	if err != nil {
		t.Fatal(err)
	}
	_, whole, err := w.db.CounterTotalsToDate(ctx, w.drive, w.allIDs(), store.DayRange{})
	if err != nil {
		t.Fatal(err)
	}
	want, got := sumsByArea(daily), sumsByArea(whole)
	for area, m := range want {
		for k, v := range m {
			if got[area][k] != v {
				t.Errorf("area %d %+v: drive total %d, daily totals sum to %d", area, k, got[area][k], v)
			}
		}
	}
	for area, m := range got {
		for k, v := range m {
			if want[area][k] != v {
				t.Errorf("area %d %+v: drive total %d, daily totals sum to %d", area, k, v, want[area][k])
			}
		}
	}
}

// leadsInFirstArea is a delta of v leads in the world's first area.
func (w *counterWorld) leadsInFirstArea(v int64) []store.CounterDelta {
	return []store.CounterDelta{{DriveID: w.drive, AreaID: w.ids[w.codes[0]], Metric: "leads", Day: "2026-02-12", Channel: "web", Value: v}}
}

// What a savepoint rolled back had counted is not counted: an isolated
// step that fails (a refused volunteering, a conversation's error) leaves
// neither its rows nor its counts, while the transaction around it commits
// what it counted itself.
func TestIsolatedFailureCountsNothing(t *testing.T) {
	w := newCounterWorld(t)
	ctx := context.Background()
	delta := w.leadsInFirstArea
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		if err := store.AddCounters(ctx, tx, delta(1)); err != nil {
			return err
		}
		err := store.Isolate(ctx, tx, func() error {
			if err := store.AddCounters(ctx, tx, delta(10)); err != nil {
				return err
			}
			return fmt.Errorf("refused")
		})
		if err == nil {
			t.Error("the isolated step's error was lost")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := storetest.CountsAt(t, w.db, w.codes[0])["leads"]; got != 1 {
		t.Fatalf("leads counted: %d, want 1 (the rolled-back 10 dropped)", got)
	}
}

// A deadlock (or another error Update retries) inside a savepoint is the
// transaction's, not the isolated step's: even when the caller sets the
// step aside and goes on, nothing more runs, nothing commits, and Update
// runs the whole transaction again, where the step succeeds.
func TestIsolatedDeadlockRetriesTheTransaction(t *testing.T) {
	w := newCounterWorld(t)
	ctx := context.Background()
	delta := w.leadsInFirstArea
	attempts := 0
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		attempts++
		if err := store.AddCounters(ctx, tx, delta(1)); err != nil {
			return err
		}
		err := store.Isolate(ctx, tx, func() error {
			if err := store.AddCounters(ctx, tx, delta(10)); err != nil {
				return err
			}
			if attempts == 1 {
				return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
			}
			return nil
		})
		if attempts > 1 {
			return err
		}
		if err == nil {
			t.Error("the deadlock was lost")
		}
		// The caller sets the step aside, as the bot's isolated pass does,
		// and goes on: the doomed transaction runs nothing more.
		if _, err := store.PendingMessagesOf(ctx, tx, []int64{1}); err == nil {
			t.Error("a statement ran in a doomed transaction")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if attempts != 2 {
		t.Fatalf("the transaction ran %d times, want 2", attempts)
	}
	if got := storetest.CountsAt(t, w.db, w.codes[0])["leads"]; got != 11 {
		t.Fatalf("leads counted: %d, want 11 (the second run's 1 and 10, the first's nothing)", got)
	}
}

// Nodes on one PostgreSQL database write their counters to disjoint
// ranges of shards, each claimed with an advisory lock at its first
// counter; a node that closes frees its range for the next one.
func TestNodesClaimDisjointShardRanges(t *testing.T) {
	storetest.RequirePostgres(t)
	ctx := context.Background()
	url := storetest.URL(t)
	open := func() *store.DB {
		db, err := store.Open(ctx, url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	first := open()
	t.Cleanup(func() { first.Close() })
	if err := first.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	w := counterWorldOn(t, first)
	// count writes a lead on day with db and returns the shard it went to.
	count := func(db *store.DB, day string) int {
		t.Helper()
		d := w.leadsInFirstArea(1)
		d[0].Day = day
		if err := db.Update(ctx, func(tx *store.Tx) error { return store.AddCounters(ctx, tx, d) }); err != nil {
			t.Fatal(err)
		}
		shards := storetest.ShardsOfDay(t, db, w.drive, day)
		if len(shards) != 1 {
			t.Fatalf("shards of %s: %v", day, shards)
		}
		return shards[0]
	}
	second, third := open(), open()
	t.Cleanup(func() { third.Close() })
	ranges := map[int]string{}
	for i, db := range []*store.DB{first, second, third} {
		day := fmt.Sprintf("2026-02-1%d", i)
		r := count(db, day) / 16
		if other, ok := ranges[r]; ok {
			t.Fatalf("the nodes of %s and %s wrote to the same range of shards, %d", other, day, r)
		}
		ranges[r] = day
	}
	freed := count(second, "2026-02-18") / 16
	second.Close()
	fourth := open()
	t.Cleanup(func() { fourth.Close() })
	if r := count(fourth, "2026-02-19") / 16; r != freed {
		t.Fatalf("a new node took range %d, want %d (the closed node's)", r, freed)
	}
}
