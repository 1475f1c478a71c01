package drivetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// JharkhandBooths is the number of polling stations in Jharkhand's 2024
// assembly election, the shape the progress benchmarks are held to.
const JharkhandBooths = 29562

// Counted loads Jharkhand with booths spread evenly over its 81 ACs and
// the reference drive, and writes the drive's counters for all its 30
// days in bulk SQL (storetest.FillCounters): own rows at the booths
// (sparse, denser for the early funnel stages), every AC and the state;
// totals built level by level from them, as the write path would have
// built them one event at a time. It returns the drive and how many own
// and total rows it wrote.
func Counted(tb testing.TB, db *store.DB, booths int) (d store.Drive, own, totals int64) {
	tb.Helper()
	d = Load(tb, db, boothsOverACs(booths), Reference)["jh-warriors"]
	file, err := drive.Parse([]byte(Reference)) // the calendar the counters span
	if err != nil {
		tb.Fatal(err)
	}
	first, err := time.Parse(time.DateOnly, file.StartsOn)
	if err != nil {
		tb.Fatal(err)
	}
	own, totals = storetest.FillCounters(tb, db, d.ID, first, file.DaysTotal(), storetest.BoothDensities(1000))
	return d, own, totals
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
