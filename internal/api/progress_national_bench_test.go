package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/bench/benchtest"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// BenchmarkNationalProgress times the progress API over the national
// shape (drivetest.Nation: 10.5 lakh booths, PostgreSQL only, run when
// JODO_BENCH_NATIONAL=1) at the end of its 30 days: the country with its
// 36 states and territories, and Uttar Pradesh (the largest, 80 PCs) with
// its PCs. Before timing, the country's figures are checked against its
// own rows summed directly.
func BenchmarkNationalProgress(b *testing.B) {
	db, d := drivetest.Nation(b, storetest.NewClock(time.Date(2026, 3, 13, 6, 30, 0, 0, time.UTC)))
	f := &progressFixture{db: db, drive: d, handler: progressHandler(b, db),
		token: adminToken(b, db, fmt.Sprintf("bench-national-%d", time.Now().UnixNano()), "IN")}
	var country drive.Report
	f.get(b, "area=IN", &country)
	f.check(b, "IN", country.Metrics, f.ownSums(b, storetest.Under("/IN/"), "", ""))
	for _, c := range []struct{ name, query string }{
		{"country", "area=IN"},
		{"country_children", "area=IN&children=1"},
		{"country_children_7_days", "area=IN&children=1&from=2026-03-06&to=2026-03-12"},
		{"state_children", "area=UP&children=1"},
	} {
		b.Run(c.name, func(b *testing.B) { benchtest.Handler(b, f.handler, f.request(c.query)) })
	}
}
