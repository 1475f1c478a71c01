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
	Needed, Recent          string
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
		v.Metrics = append(v.Metrics, t.metricCard(m))
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

func (t tr) metricCard(m drive.MetricProgress) metricCard {
	card := metricCard{Metric: m.Metric, Name: t.T("metric." + m.Metric), Status: statusClass(m), Word: t.statusWord(m),
		Actual: indian(m.Actual), Target: targetText(m.Target), Percent: percentText(m.Percent),
		Needed: neededText(m.RequiredDailyPace), Recent: recentText(m.RecentDailyPace)}
	if m.Target != nil {
		card.Bar = newBar(m.Actual, *m.Target)
	}
	return card
}

// statusClass is the mark's colour class; grey when unjudged.
func statusClass(m drive.MetricProgress) string {
	if m.Status == "" {
		return drive.StatusGrey
	}
	return m.Status
}
