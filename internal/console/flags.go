package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/flags"
)

// flagsPage is the velocity flags of a drive at an area (flags.Rules.Flags),
// one section for each kind: who (a recruiter or a groups' owner, linked;
// a network or a device, never named), how many within the window, when,
// and how many in all since the look-back began.
type flagsPage struct {
	shell
	Drives, Areas []option
	NoDrive       bool
	Outside       bool
	DriveName     string
	Since         string
	Sections      []flagSection
}

type flagSection struct {
	Kind, Rule string
	Off        bool
	Rows       []flagRow
}

type flagRow struct{ Who, Href, Count, From, To, Total string }

// flags shows the flags of ?drive= (else the first drive of the scope) at
// ?area= (else the first of the scope's places in it).
func (c *Console) flags(w http.ResponseWriter, r *http.Request, a asker) {
	p := flagsPage{shell: c.newShell(r, a, "/console/flags", "flags.title")}
	q := r.URL.Query()
	if err := c.fillFlags(r.Context(), &p, a, q.Get("drive"), strings.TrimSpace(q.Get("area"))); err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.render(w, r, http.StatusOK, "flags", "", p)
}

func (c *Console) fillFlags(ctx context.Context, p *flagsPage, a asker, slug, code string) error {
	pk, ok, err := c.pick(ctx, a, access.PeopleRead, slug, code)
	if err != nil || !ok {
		p.NoDrive = err == nil
		return err
	}
	p.Drives, p.DriveName = pk.drives, pk.name
	if code == "" && len(pk.places) > 0 {
		code = pk.places[0].Code
	}
	p.Areas = areaOptions(pk.places, code, a.lang)
	report, err := c.flagRules.Flags(ctx, c.db, a.actor, pk.drive.Slug, code)
	if apperr.CodeOf(err) == apperr.Invalid {
		p.Outside = true // an area of the scope that the drive does not cover
		return nil
	}
	if err != nil {
		return err
	}
	p.Areas = drilledTo(p.Areas, report.Area, a.lang)
	p.fill(report)
	return nil
}

// fill puts the report on the page, a section for every kind.
func (p *flagsPage) fill(report flags.Report) {
	p.Title = p.T("flags.heading", "Area", areaLabel(report.Area, p.Lang))
	p.Since = when(report.Since)
	for _, k := range flags.Kinds {
		rule := report.Rules.Rule(k)
		s := flagSection{Kind: p.T("flags.kind." + string(k)), Off: rule.AtLeast <= 0,
			Rule: p.T("flags.rule", "Count", indian(int64(rule.AtLeast)), "Minutes", indian(int64(rule.Within.Minutes())))}
		for _, f := range report.Flags {
			if f.Kind == k {
				s.Rows = append(s.Rows, p.flagRow(f))
			}
		}
		p.Sections = append(p.Sections, s)
	}
}

// flagRow names a person with a link to their page, and a network or a
// device only as what it is.
func (t tr) flagRow(f flags.Flag) flagRow {
	row := flagRow{Count: indian(int64(f.Count)), From: when(f.From), To: when(f.To), Total: indian(int64(f.Total))}
	switch {
	case f.PersonID == 0:
		row.Who = t.T("flags.who." + string(f.Kind))
	case f.Name == "":
		row.Who, row.Href = t.T("people.noname"), "/console/people/"+strconv.FormatInt(f.PersonID, 10)
	default:
		row.Who, row.Href = f.Name, "/console/people/"+strconv.FormatInt(f.PersonID, 10)
	}
	return row
}
