package console

import (
	"slices"

	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
)

// tableView is the drill-down table: the children of one tree, a page of
// them in the order asked for, and what is counted at the area itself.
type tableView struct {
	Trees      []treeLink // the toggle, when the area has children in both trees
	Heading    string
	AreaSort   sortLink
	Heads      []sortLink
	Rows       []tableRow
	Unplaced   *tableRow
	Page       int
	Pages      int
	Prev, Next string
	CSV        string
	XLSX       string
}

type treeLink struct {
	Label, Href string
	Current     bool
}

// sortLink is a column's header: a link ordering the table by it.
type sortLink struct {
	Label, Href string
	Sort        string // aria-sort: ascending, descending or ""
}

type tableRow struct {
	Code, Name, Href string
	Cells            []tableCell
}

type tableCell struct {
	Actual, Target, Percent, Needed string
	Status, Word                    string
}

func (t tr) table(b dashboard.Board, q dashQuery) tableView {
	q.Tree, q.Sort, q.Desc, q.Page = b.Tree, b.Sort, b.Desc, b.Page
	v := tableView{Page: b.Page, Pages: b.Pages, CSV: q.href("/console/dashboard.csv"), XLSX: q.href("/console/dashboard.xlsx")}
	if len(b.Children) == 0 {
		return v
	}
	v.Heading = t.T("dash.table." + childKind(b))
	if len(b.Trees) > 1 {
		for _, tree := range b.Trees {
			v.Trees = append(v.Trees, treeLink{Label: t.T("dash.tree." + tree), Current: tree == b.Tree,
				Href: dashQuery{Drive: q.Drive, Area: q.Area, Tree: tree, Metric: q.Metric}.href("/console")})
		}
	}
	v.AreaSort = t.sortLink(q, "", t.T("progress.area"))
	for _, m := range b.Report.Metrics {
		v.Heads = append(v.Heads, t.sortLink(q, m.Metric, t.T("metric."+m.Metric)))
	}
	for _, ch := range b.Children {
		row := tableRow{Code: ch.Area.Code, Name: areaLabel(ch.Area, t.Lang), Href: q.drill(ch.Area.Code)}
		row.Cells = t.cells(ch.Metrics)
		v.Rows = append(v.Rows, row)
	}
	if b.Unplaced != nil {
		v.Unplaced = &tableRow{Name: t.T("dash.unplaced"), Cells: t.cells(b.Unplaced)}
	}
	if b.Page > 1 {
		v.Prev = q.at(b.Page - 1)
	}
	if b.Page < b.Pages {
		v.Next = q.at(b.Page + 1)
	}
	return v
}

// childKind names the children shown: a tree's kind of area.
func childKind(b dashboard.Board) string {
	if k := b.Children[0].Area.Kind; slices.Contains(tableKinds, k) {
		return k
	}
	return "other"
}

// tableKinds are the kinds of children the table has a heading for.
var tableKinds = []string{"state", "pc", "ac", "booth", "district"}

// sortLink orders by metric ("" by area code): first click the least done
// first (who is behind), a second click the other way.
func (t tr) sortLink(q dashQuery, metric, label string) sortLink {
	l := sortLink{Label: label}
	next := dashQuery{Drive: q.Drive, Area: q.Area, Tree: q.Tree, Metric: q.Metric, Sort: metric}
	if q.Sort == metric {
		l.Sort = "ascending"
		if q.Desc {
			l.Sort = "descending"
		}
		next.Desc = !q.Desc && metric != "" // by code is one way only
	}
	l.Href = next.href("/console")
	return l
}

func (t tr) cells(ms []drive.MetricProgress) []tableCell {
	out := make([]tableCell, len(ms))
	for i, m := range ms {
		out[i] = tableCell{Actual: indian(m.Actual), Target: targetText(m.Target), Percent: percentText(m.Percent),
			Needed: t.T("progress.pace.short", "Pace", neededText(m.RequiredDailyPace)), Status: m.Status, Word: t.statusWord(m)}
	}
	return out
}
