package console_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/bench/benchtest"
	"github.com/jodo-org/jodo/internal/console"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/staff"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// endOfDrive is noon (IST) of the reference drive's last day: every day of
// its 30 has counters, and the board's pace and projection are of a whole
// drive.
var endOfDrive = time.Date(2026, 3, 13, 6, 30, 0, 0, time.UTC)

// dashboardCase is one page timed, and a text its answer must hold, so
// that what is timed is the page asked for.
type dashboardCase struct{ name, path, want string }

// BenchmarkDashboard times the console's dashboard as a coordinator of
// Jharkhand opens it (session, roles, scope, the board, the page), through
// the server's whole handler, on the Jharkhand fixture (drivetest.Counted:
// 29,562 booths, over 2 million counter rows; kept between runs, since it
// takes a minute or two to build): the state, a PC, an AC with its first
// page of booths (in code order, and by members), and the state's table
// as CSV.
func BenchmarkDashboard(b *testing.B) {
	db := storetest.Cached(b, "jharkhand_counted_1", storetest.NewClock(endOfDrive), func(db *store.DB) {
		start := time.Now()
		_, own, totals := drivetest.Counted(b, db, drivetest.JharkhandBooths)
		b.Logf("fixture on %s: %d counters rows, %d counter_totals rows, built in %s", db.Engine(), own, totals, time.Since(start).Round(100*time.Millisecond))
	})
	c := newDashboardBench(b, db, "JH")
	c.run(b, []dashboardCase{
		{"state", "/console?drive=jh-warriors&area=JH", "JH-PC-08"},
		{"pc", "/console?drive=jh-warriors&area=JH-PC-08", "JH-AC-063"},
		{"ac_booths", "/console?drive=jh-warriors&area=JH-AC-063", "JH-AC-063-B-0001"},
		// Sorted by a metric, every booth is read to find the first page.
		{"ac_booths_by_members", "/console?drive=jh-warriors&area=JH-AC-063&sort=members&desc=1", "JH-AC-063-B-"},
		{"state_csv", "/console/dashboard.csv?drive=jh-warriors&area=JH", "JH-PC-08"},
	})
}

// BenchmarkNationalDashboard times the dashboard of a coordinator of all
// India on the national shape (drivetest.Nation: PostgreSQL only, run when
// JODO_BENCH_NATIONAL=1): the country with its 36 states and
// territories, and Uttar Pradesh (the largest: 80 PCs, 50 to a page).
func BenchmarkNationalDashboard(b *testing.B) {
	db, _ := drivetest.Nation(b, storetest.NewClock(endOfDrive))
	c := newDashboardBench(b, db, "IN")
	c.run(b, []dashboardCase{
		{"country", "/console?drive=in-warriors&area=IN", "area=UP"},
		{"state", "/console?drive=in-warriors&area=UP", "UP-PC-01"},
	})
}

// dashboardBench is the server with the console's routes, and the
// session cookie of a coordinator.
type dashboardBench struct {
	handler http.Handler
	cookie  *http.Cookie
}

const benchKey = "console bench secret key, 32 bytes at least"

// newDashboardBench makes (or, on a kept fixture, finds again) a
// coordinator of area, as `jodo staff add` would, and signs them in.
func newDashboardBench(tb testing.TB, db *store.DB, area string) *dashboardBench {
	tb.Helper()
	ctx := context.Background()
	key := []byte(benchKey)
	si, err := signin.New(db, signin.Config{SecretKey: key}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := directory.New(db, directory.Config{SecretKey: key})
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	c := &dashboardBench{handler: server.New(db, log, server.Deps{}, console.New(console.Deps{DB: db, Sessions: si, Directory: dir, Log: log})).Handler()}
	var added staff.Added
	err = db.Update(ctx, func(tx *store.Tx) error {
		added, err = staff.New(key).Add(ctx, tx, access.Actor{Label: "cli:bench"}, staff.Grant{
			Phone: "+919700000001", Name: "Bench Coordinator", Role: string(access.Coordinator), Areas: []string{area}})
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := si.Start(ctx, rec, added.PersonID, "by link"); err != nil {
		tb.Fatal(err)
	}
	c.cookie = rec.Result().Cookies()[0]
	return c
}

func (c *dashboardBench) request(path string) func() *http.Request {
	return func() *http.Request {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(c.cookie)
		return req
	}
}

// run checks each case's answer once, then times it. The first answer
// is logged apart: it draws the map the later ones find drawn.
func (c *dashboardBench) run(b *testing.B, cases []dashboardCase) {
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		start := time.Now()
		c.handler.ServeHTTP(rec, c.request(tc.path)())
		b.Logf("%s: the first answer took %s", tc.name, time.Since(start).Round(100*time.Microsecond))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), tc.want) {
			b.Fatalf("%s: %d, want 200 holding %q: %.1000s", tc.path, rec.Code, tc.want, rec.Body)
		}
		b.Run(tc.name, func(b *testing.B) { benchtest.Handler(b, c.handler, c.request(tc.path)) })
	}
}
