package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/api"
	"github.com/jodo-org/jodo/internal/bench/benchtest"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// BenchmarkProgress times the progress API as a dashboard calls it (token,
// area lookup, scope check, counters, targets, JSON, through the server's
// middleware) on the reference drive at the end of its 30 days, with
// counters at every booth of Jharkhand: over 2 million counter rows.
// baseline_json is a bare handler encoding a report of the same size, so
// the machine's speed on the day shows as a ratio.
func BenchmarkProgress(b *testing.B) {
	f := newProgressFixture(b, drivetest.JharkhandBooths)
	b.Logf("fixture on %s: %d counters rows, %d counter_totals rows, built in %s", f.db.Engine(), f.own, f.totals, f.built.Round(100*time.Millisecond))
	if f.own < 2_000_000 {
		b.Fatalf("%d counters rows, want at least 2,000,000", f.own)
	}
	f.checkRollups(b)
	for _, c := range []struct{ name, query string }{
		{"state", "area=JH"},
		{"state_children", "area=JH&children=1"},
		{"range_7_days", "area=JH&from=2026-02-20&to=2026-02-26"},
		{"pc", "area=JH-PC-08"},
		{"ac_children", "area=JH-AC-063&children=1"},
		{"district_children", "area=JH-D-RANCHI&children=1"},
	} {
		b.Run(c.name, func(b *testing.B) { benchtest.Handler(b, f.handler, f.request(c.query)) })
	}
	var report drive.Report
	f.get(b, "area=JH&children=1", &report)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(report)
	})
	b.Run("baseline_json", func(b *testing.B) { benchtest.Handler(b, bare, f.request("area=JH&children=1")) })
}

// The fixture's counters are checked against the progress API on a small
// Jharkhand (three booths an AC), before and after the real write path
// adds to them, so the benchmark's numbers are of correct answers.
func TestProgressFixtureRollups(t *testing.T) {
	f := newProgressFixture(t, 3*81)
	f.checkRollups(t)
	ids := storetest.AreaIDs(t, f.db, "JH", "JH-AC-063", "JH-AC-063-B-0002")
	err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		return store.AddCounters(context.Background(), tx, []store.CounterDelta{
			{DriveID: f.drive.ID, AreaID: ids["JH-AC-063-B-0002"], Metric: "members", Day: "2026-02-21", Channel: "whatsapp", Value: 5},
			{DriveID: f.drive.ID, AreaID: ids["JH-AC-063-B-0002"], Metric: "groups", Day: "2026-02-22", Channel: "web", Value: -1},
			{DriveID: f.drive.ID, AreaID: ids["JH-AC-063"], Metric: "members", Day: "2026-03-13", Channel: "sms", Value: 2},
			{DriveID: f.drive.ID, AreaID: ids["JH"], Metric: "leads", Day: "2026-02-20", Channel: "missed_call", Value: 7},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	f.checkRollups(t)
}

type progressFixture struct {
	db          *store.DB
	drive       store.Drive
	handler     http.Handler
	token       string
	own, totals int64
	built       time.Duration
}

// newProgressFixture is drivetest.Counted with the server's handler and
// an admin token for JH.
func newProgressFixture(tb testing.TB, booths int) *progressFixture {
	tb.Helper()
	start := time.Now()
	// Noon of the last day: every day of the window has counters.
	db := storetest.Open(tb, storetest.NewClock(time.Date(2026, 3, 13, 6, 30, 0, 0, time.UTC)))
	f := &progressFixture{db: db, handler: progressHandler(tb, db)}
	f.drive, f.own, f.totals = drivetest.Counted(tb, db, booths)
	f.token = adminToken(tb, db, "bench-admin", "JH")
	f.built = time.Since(start)
	return f
}

// progressHandler is the server's whole handler with the API's routes.
func progressHandler(tb testing.TB, db *store.DB) http.Handler {
	log := slog.New(slog.DiscardHandler)
	return server.New(db, log, server.Deps{}, api.New(db, newDirectory(tb, db), log)).Handler()
}

func adminToken(tb testing.TB, db *store.DB, name, area string) string {
	tb.Helper()
	token, err := access.CreateToken(context.Background(), db, name, "admin", []string{area}, false)
	if err != nil {
		tb.Fatal(err)
	}
	return token
}

// request returns a maker of GET requests for the progress of query,
// with the admin token.
func (f *progressFixture) request(query string) func() *http.Request {
	return func() *http.Request {
		req := httptest.NewRequest("GET", "/api/v1/drives/"+f.drive.Slug+"/progress?"+query, nil)
		req.Header.Set("Authorization", "Bearer "+f.token)
		return req
	}
}

func (f *progressFixture) get(tb testing.TB, query string, v any) {
	tb.Helper()
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, f.request(query)())
	if rec.Code != http.StatusOK {
		tb.Fatalf("progress?%s: %d %s", query, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		tb.Fatalf("progress?%s: %v", query, err)
	}
}

// checkRollups compares the API's figures with own rows summed directly:
// the state over the whole drive and over a week, an AC (with its booths)
// and its last booth over the week, a district (its ACs and their booths)
// over the week.
func (f *progressFixture) checkRollups(tb testing.TB) {
	tb.Helper()
	const from, to = "2026-02-20", "2026-02-26"
	week := "&from=" + from + "&to=" + to
	var state, stateWeek, ac, district drive.Report
	f.get(tb, "area=JH", &state)
	f.check(tb, "JH", state.Metrics, f.ownSums(tb, storetest.Under("/IN/JH/"), "", ""))
	f.get(tb, "area=JH"+week, &stateWeek)
	f.check(tb, "JH week", stateWeek.Metrics, f.ownSums(tb, storetest.Under("/IN/JH/"), from, to))
	f.get(tb, "area=JH-AC-063&children=1"+week, &ac)
	f.check(tb, "JH-AC-063 week", ac.Metrics, f.ownSums(tb, storetest.AreaAndChildren("JH-AC-063"), from, to))
	if len(ac.Children) == 0 {
		tb.Fatal("JH-AC-063 has no children")
	}
	booth := ac.Children[len(ac.Children)-1]
	f.check(tb, booth.Area+" week", booth.Metrics, f.ownSums(tb, storetest.Area(booth.Area), from, to))
	f.get(tb, "area=JH-D-RANCHI"+week, &district)
	f.check(tb, "JH-D-RANCHI week", district.Metrics, f.ownSums(tb, storetest.District("JH-D-RANCHI"), from, to))
}

// ownSums sums the own counter rows of areas, by metric and channel, over
// from..to ("" for the whole drive).
func (f *progressFixture) ownSums(tb testing.TB, areas storetest.Areas, from, to string) map[string]map[string]int64 {
	tb.Helper()
	return storetest.OwnSums(tb, f.db, f.drive.ID, areas, from, to)
}

func (f *progressFixture) check(tb testing.TB, what string, got []drive.MetricProgress, want map[string]map[string]int64) {
	tb.Helper()
	if len(want) == 0 {
		tb.Fatalf("%s: no own rows to compare with", what)
	}
	for _, m := range got {
		var sum int64
		for _, v := range want[m.Metric] {
			sum += v
		}
		byChannel := maps.Clone(want[m.Metric])
		if byChannel == nil {
			byChannel = map[string]int64{}
		}
		maps.DeleteFunc(m.ByChannel, func(_ string, v int64) bool { return v == 0 })
		maps.DeleteFunc(byChannel, func(_ string, v int64) bool { return v == 0 })
		if m.Actual != sum || !maps.Equal(m.ByChannel, byChannel) {
			tb.Errorf("%s %s: API says %d %v, own rows sum to %d %v", what, m.Metric, m.Actual, m.ByChannel, sum, byChannel)
		}
	}
	if len(got) != len(drive.Metrics) || !slices.EqualFunc(got, drive.Metrics, func(m drive.MetricProgress, name string) bool { return m.Metric == name }) {
		tb.Errorf("%s: metrics %v", what, got)
	}
}
