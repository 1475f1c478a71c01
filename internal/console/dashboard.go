package console

import (
	"context"
	"net/http"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// dashboardPage is the landing page: the drive dashboard of an area of
// the scope, or one card per area of a scope of several.
type dashboardPage struct {
	shell
	Drives, Areas []option
	NoDrive       bool
	Outside       bool // the area asked for is not part of the drive
	Heading       string
	DriveName     string
	When          string // "day 11 of 30 · 20 days left"
	Cards         []placeCard
	Board         *boardView
	Poll          int    // seconds between refreshes of the live part
	Self          string // this page's address, polled
}

type option struct {
	Value, Label string
	Selected     bool
}

// dashboard shows the chosen drive (?drive=, else the first the scope
// takes part in) at the chosen area (?area=, else the first of
// dashboard.Places; a scope of several areas not covering the drive's
// root gets a card per area). Asked by htmx (polling), it answers the
// live part only.
func (c *Console) dashboard(w http.ResponseWriter, r *http.Request, a asker) {
	p := dashboardPage{shell: c.newShell(r, a, "/console", "progress.title"), Poll: int(c.poll / time.Second)}
	q := readDashQuery(r.URL.Query())
	err := c.fillDashboard(r.Context(), &p, a, q)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	block := ""
	if r.Header.Get("HX-Request") == "true" {
		block = "live"
	}
	c.render(w, r, http.StatusOK, "dashboard", block, p)
}

// fillDashboard puts on p what q asks for, in a's scope.
func (c *Console) fillDashboard(ctx context.Context, p *dashboardPage, a asker, q dashQuery) error {
	pk, ok, err := c.pick(ctx, a, access.ProgressRead, q.Drive, q.Area)
	if err != nil || !ok {
		p.NoDrive = err == nil
		return err
	}
	d, places := pk.drive, pk.places
	q.Drive = d.Slug
	p.Drives, p.DriveName = pk.drives, pk.name
	if q.Area == "" && severalPlaces(places, d) {
		p.Areas = areaOptions(places, "", a.lang)
		p.Self = q.href("/console")
		return c.fillCards(ctx, p, d, places, q)
	}
	if q.Area == "" && len(places) > 0 {
		q.Area = places[0].Code
	}
	p.Areas = areaOptions(places, q.Area, a.lang)
	p.Self = q.href("/console")
	b, err := dashboard.Open(ctx, c.db, a.actor.Scope(access.ProgressRead), q.request(d.Slug))
	if apperr.CodeOf(err) == apperr.Invalid {
		p.Outside = true // an area of the scope that the drive does not cover
		return nil
	}
	if err != nil {
		return err
	}
	p.Areas = drilledTo(p.Areas, b.Area, p.Lang)
	p.Heading = areaLabel(b.Area, p.Lang)
	p.Title = p.T("progress.heading", "Area", p.Heading)
	p.When = p.when(d, b.Report)
	p.Board, err = c.boardView(ctx, p.tr, b, q)
	return err
}

// severalPlaces reports whether a scope gets cards: it is offered more
// than one area and does not cover the drive's root (Places puts the
// root first when it does), so no common parent is invented.
func severalPlaces(places []store.Area, d store.Drive) bool {
	return len(places) > 1 && places[0].Code != d.RootArea
}

func areaOptions(places []store.Area, selected, lang string) []option {
	out := make([]option, 0, len(places))
	for _, x := range places {
		out = append(out, option{Value: x.Code, Label: areaLabel(x, lang), Selected: x.Code == selected})
	}
	return out
}

// drilledTo adds the area shown to the picker's options when it is
// below them (reached through the map or the table), so the picker
// names it rather than falling back to its first option.
func drilledTo(options []option, area store.Area, lang string) []option {
	for _, o := range options {
		if o.Selected {
			return options
		}
	}
	return append(options, option{Value: area.Code, Label: areaLabel(area, lang), Selected: true})
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

// when is where the drive stands at the report's time: not begun, ended,
// or its day.
func (t tr) when(d store.Drive, r drive.Report) string {
	switch r.Phase {
	case drive.NotStarted:
		return t.T("dash.when.before", "Start", t.date(d.StartsOn), "Total", indian(int64(r.DaysTotal)))
	case drive.Ended:
		return t.T("dash.when.after", "End", t.date(d.EndsOn))
	}
	return t.T("dash.when.day", "Day", indian(int64(r.DaysTotal-r.DaysLeft+1)), "Total", indian(int64(r.DaysTotal)),
		"Left", indian(int64(r.DaysLeft)))
}

// areaLabel is an area's name in the page's language with its code.
func areaLabel(a store.Area, lang string) string {
	name := locale.Name(lang, a.NameEN, a.NameLocal)
	if name == "" {
		return a.Code
	}
	return name + " (" + a.Code + ")"
}
