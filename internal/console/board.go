package console

import (
	"context"

	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
)

// boardView is the live part of an area's dashboard.
type boardView struct {
	Metrics  []metricCard
	Charts   []chartView
	Map      mapView
	Table    tableView
	Funnel   []funnelStep
	Channels []channelMix
}

// metricCard is one metric's figures and mark.
type metricCard struct {
	Metric, Name            string
	Status, Word            string
	Actual, Target, Percent string
	Needed, RecentLine      string
	Bar                     *bar // nil without a target to measure against
}

// bar is a <progress> element's values: value never above max, as the
// element would clip it anyway.
type bar struct{ Value, Max int64 }

func newBar(value, most int64) *bar {
	if most <= 0 {
		return nil
	}
	return &bar{Value: min(max(value, 0), most), Max: most}
}

func (c *Console) boardView(ctx context.Context, t tr, b dashboard.Board, q dashQuery) (*boardView, error) {
	v := &boardView{}
	for _, m := range b.Report.Metrics {
		v.Metrics = append(v.Metrics, t.metricCard(m, b.Report))
	}
	v.Charts = t.charts(b)
	var err error
	if v.Map, err = c.mapView(ctx, t, b, q); err != nil {
		return nil, err
	}
	v.Table = t.table(b, q)
	v.Funnel = t.funnel(b.Funnel)
	v.Channels = t.channels(b)
	return v, nil
}

func (t tr) metricCard(m drive.MetricProgress, r drive.Report) metricCard {
	card := metricCard{Metric: m.Metric, Name: t.T("metric." + m.Metric), Status: m.Status, Word: t.statusWord(m),
		Actual: indian(m.Actual), Target: targetText(m.Target), Percent: percentText(m.Percent),
		Needed: neededText(m.RequiredDailyPace), RecentLine: t.recentLine(r, recentText(m.RecentDailyPace))}
	if m.Target != nil {
		card.Bar = newBar(m.Actual, *m.Target)
	}
	return card
}

// recentLine says the recent pace and the days it is over: the last
// seven, fewer in the drive's first week, today so far on its first day.
func (t tr) recentLine(r drive.Report, pace string) string {
	switch {
	case r.Recent == nil:
		return t.T("dash.recent", "Days", indian(7), "Pace", pace)
	case r.DaysLeft == r.DaysTotal:
		return t.T("dash.recent.today", "Pace", pace)
	case r.Recent.Days == 1:
		return t.T("dash.recent.yesterday", "Pace", pace)
	}
	return t.T("dash.recent", "Days", indian(int64(r.Recent.Days)), "Pace", pace)
}
