package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/api"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// jharkhandBooths is the number of polling stations in Jharkhand's 2024
// assembly election, the shape the progress benchmark is held to.
const jharkhandBooths = 29562

// BenchmarkProgress times the progress API as a dashboard calls it (token,
// area lookup, scope check, counters, targets, JSON, through the server's
// middleware) on the reference drive at the end of its 30 days, with
// counters at every booth of Jharkhand: over 2 million counter rows.
// baseline_json is a bare handler encoding a report of the same size, so
// the machine's speed on the day shows as a ratio.
func BenchmarkProgress(b *testing.B) {
	f := newProgressFixture(b, jharkhandBooths)
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
		b.Run(c.name, func(b *testing.B) { benchHandler(b, f.handler, f.request(c.query)) })
	}
	var report drive.Report
	f.get(b, "area=JH&children=1", &report)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(report)
	})
	b.Run("baseline_json", func(b *testing.B) { benchHandler(b, bare, f.request("area=JH&children=1")) })
}

func benchHandler(b *testing.B, h http.Handler, newReq func() *http.Request) {
	size := 0
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newReq())
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(size), "resp_bytes")
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

// newProgressFixture loads Jharkhand with booths spread evenly over its 81
// ACs, the reference drive, and counters written in bulk SQL: own rows at
// the booths (sparse, denser for the early funnel stages), every AC and
// the state; totals built level by level from them, as flushCounters
// would have built them one event at a time.
func newProgressFixture(tb testing.TB, booths int) *progressFixture {
	tb.Helper()
	start := time.Now()
	ctx := context.Background()
	// Noon of the last day: every day of the window has counters.
	db := storetest.Open(tb, storetest.NewClock(time.Date(2026, 3, 13, 6, 30, 0, 0, time.UTC)))
	f := &progressFixture{db: db, handler: server.New(db, slog.New(slog.DiscardHandler), server.Deps{}, api.New(db, newDirectory(tb, db), slog.New(slog.DiscardHandler))).Handler()}
	f.drive = drivetest.Load(tb, db, boothsOverACs(booths), referenceDrive)["jh-warriors"]
	file, err := drive.Parse([]byte(referenceDrive)) // the calendar the counters span
	if err != nil {
		tb.Fatal(err)
	}
	if f.token, err = access.CreateToken(ctx, db, "bench-admin", "admin", []string{"JH"}, false); err != nil {
		tb.Fatal(err)
	}
	f.writeCounters(tb, file)
	f.built = time.Since(start)
	return f
}

// boothsOverACs gives n booths, JH-AC-001-B-0001 on, as evenly over the
// 81 ACs as n allows.
func boothsOverACs(n int) []geo.Area {
	const acs = 81
	out := make([]geo.Area, 0, n)
	for ac := 1; ac <= acs; ac++ {
		count := n / acs
		if ac <= n%acs {
			count++
		}
		for b := 1; b <= count; b++ {
			out = append(out, geo.Area{
				Code: fmt.Sprintf("JH-AC-%03d-B-%04d", ac, b), Kind: "booth", Number: fmt.Sprint(b),
				NameEN: fmt.Sprintf("Booth %d", b), Parent: fmt.Sprintf("JH-AC-%03d", ac),
			})
		}
	}
	return out
}

// boothDensity is, per metric and channel, how many booth-days in a
// thousand have a counter row: leads are common, office bearers rare.
var boothDensity = map[string][4]int{ // missed_call, whatsapp, web, sms
	"leads":          {350, 250, 120, 60},
	"members":        {250, 180, 80, 40},
	"verified":       {200, 150, 60, 30},
	"volunteers":     {60, 50, 20, 10},
	"office_bearers": {10, 10, 5, 5},
	"groups":         {30, 30, 10, 10},
	"active":         {150, 120, 50, 30},
}

var benchChannels = [4]string{"missed_call", "whatsapp", "web", "sms"}

func (f *progressFixture) writeCounters(tb testing.TB, file *drive.File) {
	tb.Helper()
	first, err := time.Parse(time.DateOnly, file.StartsOn)
	if err != nil {
		tb.Fatal(err)
	}
	var densities []storetest.Density
	for _, metric := range drive.Metrics {
		for c, channel := range benchChannels {
			densities = append(densities, storetest.Density{Metric: metric, Channel: channel, PerMille: boothDensity[metric][c]})
		}
	}
	f.own, f.totals = storetest.FillCounters(tb, f.db, f.drive.ID, first, file.DaysTotal(), densities)
}

// request returns a maker of GET requests for the progress of query,
// with the admin token.
func (f *progressFixture) request(query string) func() *http.Request {
	return func() *http.Request {
		req := httptest.NewRequest("GET", "/api/v1/drives/jh-warriors/progress?"+query, nil)
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
