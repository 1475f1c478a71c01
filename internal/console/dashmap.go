package console

import (
	"context"
	"html/template"
	"slices"

	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
)

// mapView is the map of the children coloured by percent of target for
// one metric, with the links choosing the metric and the legend.
type mapView struct {
	Metric   string // its name
	Choices  []treeLink
	SVG      template.HTML
	NoShapes bool // some child has no shape: the table alone
	Legend   []legendEntry
}

type legendEntry struct{ Class, Label string }

// mapClasses are the bands of percent of target, lowest first, and the
// class of a child without a target.
var mapClasses = []struct {
	class string
	below float64 // percent; the last band has none
}{{"b0", 25}, {"b1", 50}, {"b2", 75}, {"b3", 100}, {"b4", 0}}

// band is the class of a metric's figures: by percent of target, but
// "reached" only when the count is (99,999 of 1,00,000 rounds to 100.0).
func band(m drive.MetricProgress) string {
	b := bandOf(m.Percent)
	if b == "b4" && m.Target != nil && m.Actual < *m.Target {
		return "b3"
	}
	return b
}

// bandOf is the class of a percent of target (nil: no target).
func bandOf(p *float64) string {
	if p == nil {
		return "none"
	}
	for _, b := range mapClasses[:len(mapClasses)-1] {
		if *p < b.below {
			return b.class
		}
	}
	return mapClasses[len(mapClasses)-1].class
}

func (c *Console) mapView(ctx context.Context, t tr, b dashboard.Board, q dashQuery) (mapView, error) {
	metric := q.Metric
	if metric == "" {
		metric = mapMetric
	}
	i := slices.Index(drive.Metrics, metric)
	v := mapView{Metric: t.T("metric." + metric)}
	if len(b.Children) == 0 || i < 0 {
		return mapView{}, nil
	}
	for _, m := range drive.Metrics {
		choice := q
		choice.Tree, choice.Metric = b.Tree, m
		v.Choices = append(v.Choices, treeLink{Label: t.T("metric." + m), Current: m == metric, Href: choice.at(b.Page)})
	}
	for _, e := range []string{"b0", "b1", "b2", "b3", "b4", "none"} {
		v.Legend = append(v.Legend, legendEntry{Class: e, Label: t.T("dash.band." + e)})
	}
	q.Metric, q.Tree = metric, b.Tree
	areas := make([]mapArea, 0, len(b.Children))
	for _, ch := range b.Children {
		m := ch.Metrics[i]
		areas = append(areas, mapArea{Area: ch.Area, Href: q.drill(ch.Area.Code), Class: band(m),
			Title: areaLabel(ch.Area, t.Lang) + ": " + percentText(m.Percent)})
	}
	svg, ok, err := c.drawMap(ctx, areas, t.T("dash.map.label", "Metric", v.Metric))
	if err != nil {
		return mapView{}, err
	}
	v.SVG, v.NoShapes = svg, !ok
	return v, nil
}
