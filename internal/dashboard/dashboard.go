// Package dashboard assembles what the drive dashboard shows of an area:
// every metric judged against its target with its daily series and the
// projection at the recent pace, the children to drill into (one tree at a
// time, sorted, paged), what is counted at the area but in none of its
// children, the funnel and the channel mix; and, for a scope of several
// areas, one card per area. It reads through drive (progress, series and
// the scope checks) and store; the console renders what it gives.
package dashboard

import (
	"context"
	"math"
	"slices"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// Trees an area's children are shown in, one at a time: the electoral
// tree (PCs, ACs, booths) and, across it, the districts.
const (
	Electoral = "electoral"
	Districts = "district"
)

// PageSize is how many children a page shows: an AC's few hundred booths
// are paged, never drawn at once.
const PageSize = 50

// Request is the board someone asks for.
type Request struct {
	Slug, Area string
	Tree       string // Electoral ("" too) or Districts
	Sort       string // "" by code, or a metric: by percent of target, else by count
	Desc       bool
	Page       int // from 1
}

// Board is the dashboard of one area of a drive.
type Board struct {
	Drive  store.Drive
	Area   store.Area
	Report drive.Report // the area's metrics; no children
	Days   []string     // the drive's days, first to last: the charts' x axis
	// Series is each metric's days from the first to today.
	Series map[string][]drive.DayCount
	// Projected is each metric's count at the last day if the recent pace
	// holds; absent when there is nothing to project from.
	Projected map[string]int64
	Funnel    []Step
	Channels  map[string][]Share // leads and members by channel

	Trees    []string // the trees the area has children in, Electoral first
	Tree     string   // the one shown
	Sort     string   // the metric the children are sorted by; "" by code
	Desc     bool
	Children []Child // this page of them
	Count    int     // children in the tree
	Page     int
	Pages    int
	// Unplaced is what is counted at the area but in none of its children
	// (missed callers who have not said where they live); nil when every
	// metric's children add up to the area.
	Unplaced []drive.MetricProgress
}

// Child is one child area with its figures.
type Child struct {
	Area    store.Area
	Metrics []drive.MetricProgress
}

// Open is the board req asks for, read for an actor holding
// progress.read over scope (drive.AreaIn's checks).
func Open(ctx context.Context, db *store.DB, scope []store.Area, req Request) (Board, error) {
	d, area, err := drive.AreaIn(ctx, db, scope, req.Slug, req.Area)
	if err != nil {
		return Board{}, err
	}
	b := Board{Drive: d, Area: area}
	b.Days = drive.Calendar(d).Days()
	all, err := db.ListAreas(ctx, store.AreaFilter{Parent: area.Code})
	if err != nil {
		return Board{}, err
	}
	var children []store.Area
	b.Trees, b.Tree, children = pickTree(all, req.Tree)
	if slices.Contains(drive.Metrics, req.Sort) {
		b.Sort, b.Desc = req.Sort, req.Desc
	}
	b.Count = len(children)
	// In code order (ListAreas'), only the page shown is read: an AC's
	// few hundred booths would cost more than the rest of the board.
	// Sorted by a metric, or by district (whose line of what is not
	// placed is the area less all its districts), every child is read.
	shown, readPage := children, b.Sort == "" && b.Tree == Electoral
	if readPage {
		shown, b.Page, b.Pages = page(children, req.Page)
	}
	report, err := drive.Progress(ctx, db, d, drive.ProgressQuery{Area: area, Children: shown, Now: db.Now()})
	if err != nil {
		return Board{}, err
	}
	b.Report = report
	b.Report.Children = nil
	kids := make([]Child, len(shown))
	for i, c := range shown {
		kids[i] = Child{Area: c, Metrics: report.Children[i].Metrics}
	}
	if b.Tree == Electoral {
		if b.Unplaced, err = own(ctx, db, d, area); err != nil {
			return Board{}, err
		}
	} else if len(kids) > 0 {
		b.Unplaced = unplaced(report.Metrics, kids)
	}
	if !readPage {
		sortChildren(kids, b.Sort, b.Desc)
		kids, b.Page, b.Pages = page(kids, req.Page)
	}
	b.Children = kids
	series, err := drive.SeriesOf(ctx, db, d, area, drive.Metrics, store.DayRange{})
	if err != nil {
		return Board{}, err
	}
	b.Series = series.Metrics
	b.Projected = project(report, series.Metrics)
	b.Funnel = funnel(report.Metrics)
	b.Channels = channels(report.Metrics, "leads", "members")
	return b, nil
}

// project is each metric's count on the last day if the recent pace holds
// from today on: the count before today, plus the pace for every day left.
// Nothing is projected once the drive is over or before its second day.
func project(r drive.Report, series map[string][]drive.DayCount) map[string]int64 {
	out := map[string]int64{}
	if r.DaysLeft == 0 || r.DaysLeft == r.DaysTotal { // ended, or on (before) its first day: a few hours say little
		return out
	}
	for _, m := range r.Metrics {
		days := series[m.Metric]
		if m.RecentDailyPace == nil || len(days) == 0 {
			continue
		}
		before := m.SoFar - days[len(days)-1].Value
		end := before + int64(math.Round(*m.RecentDailyPace*float64(r.DaysLeft)))
		out[m.Metric] = max(end, m.SoFar)
	}
	return out
}
