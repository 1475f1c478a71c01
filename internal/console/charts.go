package console

import (
	"html/template"
	"slices"

	"github.com/jodo-org/jodo/internal/chart"
	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
)

// chartView is one metric's daily chart with its numbers as a table.
type chartView struct {
	Metric, Name string
	SVG          template.HTML
	Days         []dayRow
}

type dayRow struct{ Day, Count, SoFar string }

// charts are the metrics' charts, those with a count or a target first
// (a chart of nothing against nothing says little), all of them there.
func (t tr) charts(b dashboard.Board) []chartView {
	days := b.Days
	var first, rest []chartView
	for _, m := range b.Report.Metrics {
		c := t.chart(m, days, b.Series[m.Metric], b.Projected)
		if m.Target != nil || m.Actual != 0 {
			first = append(first, c)
		} else {
			rest = append(rest, c)
		}
	}
	return slices.Concat(first, rest)
}

func (t tr) chart(m drive.MetricProgress, days []string, series []drive.DayCount, projected map[string]int64) chartView {
	name := t.T("metric." + m.Metric)
	l := chart.Line{Days: days, Target: m.Target, Label: t.T("dash.chart.label", "Metric", name), Number: indian, Date: t.date}
	if p, ok := projected[m.Metric]; ok {
		l.Projected = &p
	}
	v := chartView{Metric: m.Metric, Name: name}
	for _, d := range series {
		l.Actual = append(l.Actual, d.Cumulative)
		v.Days = append(v.Days, dayRow{Day: t.date(d.Day), Count: indian(d.Value), SoFar: indian(d.Cumulative)})
	}
	v.SVG = chart.LineSVG(l)
	return v
}
