package console

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// progressPage is the landing page: a drive's progress at an area of the
// scope, with the area's children to drill down into.
type progressPage struct {
	shell
	Drives, Areas []option
	Area          string // the area's name
	Report        drive.Report
	Metrics       []metricRow
	MetricNames   []string
	Children      []childGroup
	NoDrive       bool
	Outside       bool // the area asked for is not part of the drive
}

type option struct {
	Value, Label string
	Selected     bool
}

type metricRow struct{ Name, Actual, Target, Percent, Pace string }

// childGroup is the children of one kind: a state holds its PCs and,
// across, its districts; they are shown apart, never as one list whose
// sums would count every person twice.
type childGroup struct {
	Heading string
	Rows    []childRow
}

// kindOrder puts the electoral tree first, then the other trees.
var kindOrder = []string{"pc", "ac", "booth", "district"}

type childRow struct {
	Name, Href string
	Metrics    []metricRow
}

// progress shows the chosen drive (?drive=, else the first the scope takes
// part in) at the chosen area (?area=, else the drive's root when the
// scope covers it, else the scope's first area inside the drive).
func (c *Console) progress(w http.ResponseWriter, r *http.Request, a asker) {
	ctx := r.Context()
	scope := a.actor.Scope(access.ProgressRead)
	p := progressPage{shell: c.newShell(r, a, "/console", "progress.title")}
	drives, err := drive.ForScope(ctx, c.db, scope)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	if len(drives) == 0 {
		p.NoDrive = true
		c.render(w, r, http.StatusOK, "progress", "", p)
		return
	}
	code := strings.TrimSpace(r.URL.Query().Get("area"))
	d, err := c.chooseDrive(ctx, drives, r.URL.Query().Get("drive"), code)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	areas, err := c.areaChoices(ctx, scope, d)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	if code == "" && len(areas) > 0 {
		code = areas[0].Code
	}
	report, err := drive.ProgressIn(ctx, c.db, scope, drive.ProgressRequest{Slug: d.Slug, Area: code, Children: true})
	if apperr.CodeOf(err) == apperr.Invalid {
		p.Outside, report = true, drive.Report{Area: code} // an area of the scope that the drive does not cover
	} else if err != nil {
		c.fail(w, r, a, err)
		return
	}
	for _, x := range drives {
		p.Drives = append(p.Drives, option{Value: x.Slug, Label: locale.Name(a.lang, x.Name, x.NameLocal), Selected: x.Slug == d.Slug})
	}
	for _, x := range areas {
		p.Areas = append(p.Areas, option{Value: x.Code, Label: areaLabel(x, a.lang), Selected: x.Code == report.Area})
	}
	if p.Outside {
		p.Title = p.T("progress.title")
		c.render(w, r, http.StatusOK, "progress", "", p)
		return
	}
	if err := c.fillReport(ctx, &p, d.Slug, report); err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.render(w, r, http.StatusOK, "progress", "", p)
}

// chooseDrive is the drive with slug, else the first whose root holds
// the area asked for, else the first.
func (c *Console) chooseDrive(ctx context.Context, drives []store.Drive, slug, area string) (store.Drive, error) {
	for _, d := range drives {
		if d.Slug == slug {
			return d, nil
		}
	}
	if area != "" {
		at, err := c.db.GetArea(ctx, area)
		if err != nil {
			return store.Drive{}, err
		}
		for _, d := range drives {
			if in, err := drive.Holds(ctx, c.db, d, at); err != nil {
				return store.Drive{}, err
			} else if in {
				return d, nil
			}
		}
	}
	return drives[0], nil
}

// areaChoices are the areas of d the picker offers: the root when the
// scope covers it, then the scope's areas inside the drive, or else the
// drive's areas inside the scope.
func (c *Console) areaChoices(ctx context.Context, scope []store.Area, d store.Drive) ([]store.Area, error) {
	root, err := c.db.GetArea(ctx, d.RootArea)
	if err != nil {
		return nil, err
	}
	var out []store.Area
	if ok, err := access.CanSee(ctx, c.db, scope, root); err != nil {
		return nil, err
	} else if ok {
		out = append(out, root)
	}
	for _, s := range scope {
		if s.Code == root.Code {
			continue
		}
		if in, err := drive.Holds(ctx, c.db, d, s); err != nil {
			return nil, err
		} else if in {
			out = append(out, s)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	// A scope wider than part of the drive (a PC holding some of a
	// district's ACs) is offered the drive's areas inside it.
	covered, err := c.db.ScopeAreas(ctx, []string{d.RootArea})
	if err != nil {
		return nil, err
	}
	for _, a := range covered {
		if store.InScope(scope, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// fillReport puts the report's figures on the page, grouped the Indian
// way, with the children's names in the page's language.
func (c *Console) fillReport(ctx context.Context, p *progressPage, slug string, report drive.Report) error {
	p.Report = report
	area, err := c.db.GetArea(ctx, report.Area)
	if err != nil {
		return err
	}
	p.Area = areaLabel(area, p.Lang)
	p.Title = p.T("progress.heading", "Area", p.Area)
	for _, m := range report.Metrics {
		p.Metrics = append(p.Metrics, p.metricRow(m))
		p.MetricNames = append(p.MetricNames, p.T("metric."+m.Metric))
	}
	if len(report.Children) == 0 {
		return nil
	}
	children, err := c.db.ListAreas(ctx, store.AreaFilter{Parent: report.Area})
	if err != nil {
		return err
	}
	byCode := map[string]store.Area{}
	for _, ch := range children {
		byCode[ch.Code] = ch
	}
	groups := map[string]*childGroup{}
	var kinds []string
	for _, ch := range report.Children {
		g := groups[ch.Kind]
		if g == nil {
			g = &childGroup{Heading: p.T("progress.children")}
			if slices.Contains(kindOrder, ch.Kind) {
				g.Heading = p.T("progress.children." + ch.Kind)
			}
			groups[ch.Kind], kinds = g, append(kinds, ch.Kind)
		}
		row := childRow{Name: areaLabel(byCode[ch.Area], p.Lang),
			Href: "/console?" + url.Values{"drive": {slug}, "area": {ch.Area}}.Encode()}
		for _, m := range ch.Metrics {
			row.Metrics = append(row.Metrics, p.metricRow(m))
		}
		g.Rows = append(g.Rows, row)
	}
	slices.SortStableFunc(kinds, func(a, b string) int { return rank(a) - rank(b) })
	for _, k := range kinds {
		p.Children = append(p.Children, *groups[k])
	}
	return nil
}

// rank is a kind's place in kindOrder; other kinds come last.
func rank(kind string) int {
	if i := slices.Index(kindOrder, kind); i >= 0 {
		return i
	}
	return len(kindOrder)
}

func (p progressPage) metricRow(m drive.MetricProgress) metricRow {
	row := metricRow{Name: p.T("metric." + m.Metric), Actual: indian(m.Actual), Target: "—", Percent: "—", Pace: "—"}
	if m.Target != nil {
		row.Target = indian(*m.Target)
	}
	if m.Percent != nil {
		row.Percent = strconv.FormatFloat(*m.Percent, 'f', 1, 64) + "%"
	}
	if m.RequiredDailyPace != nil {
		row.Pace = indian(int64(math.Ceil(*m.RequiredDailyPace)))
	}
	return row
}

// areaLabel is an area's name in the page's language with its code.
func areaLabel(a store.Area, lang string) string {
	name := locale.Name(lang, a.NameEN, a.NameLocal)
	if name == "" {
		return a.Code
	}
	return name + " (" + a.Code + ")"
}
