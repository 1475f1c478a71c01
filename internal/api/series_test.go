package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

type seriesOut struct {
	Drive, Area, From, To string
	Metrics               map[string][]struct {
		Day               string
		Value, Cumulative int64
	}
}

// addMembers counts n members at each area on each day, as registrations
// would have.
func (w *progressWorld) addMembers(t *testing.T, n int64, days []string, areas ...string) {
	t.Helper()
	ids := storetest.AreaIDs(t, w.db, areas...)
	var deltas []store.CounterDelta
	for _, a := range areas {
		for _, d := range days {
			deltas = append(deltas, store.CounterDelta{DriveID: w.drive.ID, AreaID: ids[a], Metric: "members", Day: d, Channel: "web", Value: n})
		}
	}
	ctx := context.Background()
	if err := w.db.Update(ctx, func(tx *store.Tx) error { return store.AddCounters(ctx, tx, deltas) }); err != nil {
		t.Fatal(err)
	}
}

var week = []string{"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21"}

// On day 11 (22 Feb) the series runs from the first day to today, zero on
// days without counts, cumulative from the start whatever range is asked;
// the progress report's recent pace is the seven days before today.
func TestSeriesAndRecentPace(t *testing.T) {
	w := newProgressWorld(t)
	w.addMembers(t, 700, week, "JH-AC-063")
	w.addMembers(t, 5, []string{"2026-02-12", "2026-02-22"}, "JH-AC-063")
	w.addMembers(t, 1, week, "JH-AC-040")
	admin := w.token(t, "state", "JH")

	var s seriesOut
	if code := w.getSeries(t, admin, "area=JH-PC-08&metric=members", &s); code != 200 {
		t.Fatalf("series: %d", code)
	}
	days := s.Metrics["members"]
	if s.From != "2026-02-12" || s.To != "2026-02-22" || len(days) != 11 {
		t.Fatalf("series %s..%s with %d days, want 12..22 Feb, 11 days", s.From, s.To, len(days))
	}
	if days[0].Value != 5 || days[1].Value != 0 || days[3].Value != 700 || days[10].Value != 5 || days[10].Cumulative != 4910 {
		t.Errorf("days: %+v", days)
	}
	s = seriesOut{}
	w.getSeries(t, admin, "area=JH-PC-08&metric=members&from=2026-02-20&to=2026-02-21", &s)
	if d := s.Metrics["members"]; len(d) != 2 || d[0].Cumulative != 5+6*700 || d[1].Value != 700 {
		t.Errorf("20–21 Feb: %+v", d)
	}
	s = seriesOut{}
	w.getSeries(t, admin, "area=JH-D-RANCHI", &s)
	if len(s.Metrics) != 7 || s.Metrics["members"][10].Cumulative != 4910 {
		t.Errorf("every metric at the district (its ACs): %d metrics, %+v", len(s.Metrics), s.Metrics["members"])
	}
	s = seriesOut{}
	w.getSeries(t, admin, "area=JH&metric=members&from=2027-01-01", &s)
	if len(s.Metrics["members"]) != 0 || s.From != "" {
		t.Errorf("a range after the drive: %+v", s)
	}
	var bad errorOut
	if code := w.getSeries(t, admin, "metric=votes", &bad); code != 400 || bad.Error.Code != "invalid" {
		t.Errorf("unknown metric: %d %+v", code, bad)
	}
	if code := w.getSeries(t, w.token(t, "dhanbad", "JH-PC-02"), "area=JH-PC-08", &bad); code != 403 {
		t.Errorf("out of scope: %d", code)
	}

	var p progressOut
	w.get(t, admin, "area=JH-AC-063", &p)
	m := p.metric("members")
	if m.RecentDailyPace == nil || *m.RecentDailyPace != 700 || m.Status != "green" {
		t.Errorf("AC 63: recent %v status %q, want 700 a day and green", m.RecentDailyPace, m.Status)
	}
	if *m.RequiredDailyPace != float64(6173-4910)/20 {
		t.Errorf("AC 63 needed pace %v", *m.RequiredDailyPace)
	}
	w.get(t, admin, "area=JH-AC-040", &p)
	if m := p.metric("members"); m.Status != "red" {
		t.Errorf("AC 40 at a member a day: %q, want red", m.Status)
	}
	if m := p.metric("leads"); m.Status != "grey" || m.StatusReason != "no_target" {
		t.Errorf("leads without a target: %q %q", m.Status, m.StatusReason)
	}
}

func (w *progressWorld) getSeries(t *testing.T, token, query string, v any) int {
	t.Helper()
	return w.getReport(t, token, "series", query, v)
}

// Days still to come are not days when nothing happened: a range asked
// for past today ends today.
func TestSeriesStopsToday(t *testing.T) {
	w := newProgressWorld(t)
	var s seriesOut
	if code := w.getSeries(t, w.token(t, "state", "JH"), "metric=members&from=2026-02-20&to=2026-04-01", &s); code != 200 {
		t.Fatalf("series: %d", code)
	}
	if s.From != "2026-02-20" || s.To != "2026-02-22" || len(s.Metrics["members"]) != 3 {
		t.Errorf("20 Feb to 1 Apr on 22 Feb: %s..%s, %d days", s.From, s.To, len(s.Metrics["members"]))
	}
}

// On the first day nothing is judged: its first hours say little of a
// day's pace.
func TestFirstDayIsNotJudged(t *testing.T) {
	w := newProgressWorld(t)
	w.clock.Set(time.Date(2026, 2, 12, 6, 30, 0, 0, time.UTC))
	w.addMembers(t, 50, []string{"2026-02-12"}, "JH-AC-063")
	var p progressOut
	w.get(t, w.token(t, "state", "JH"), "area=JH", &p)
	if m := p.metric("members"); m.Status != "grey" || m.StatusReason != "first_day" || m.RecentDailyPace == nil || *m.RecentDailyPace != 50 {
		t.Errorf("members on the first day: %q %q, recent %v", m.Status, m.StatusReason, m.RecentDailyPace)
	}
}
