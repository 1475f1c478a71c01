package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
)

// Channels are the channels a participation can come by.
var Channels = []string{"missed_call", "whatsapp", "web", "enrol"}

type peoplePage struct {
	shell
	Q               directory.Query
	Drives          []option
	Stages          []option
	Channels        []option
	Rows            []personRow
	Next            string // the cursor of the next page, "" on the last
	Searched, Error bool
	OutOfScope      bool // a drive or an area outside the asker's scope
	PhoneCapped     bool // the asker's searches by number for the day are used up
	Export          *exportBar
	driveNames      map[int64]string
}

// personRow is one person in one drive as the results list them; the
// phone is masked already (directory.Search).
type personRow struct {
	store.PersonRow
	Drive, Area string
}

// people is the search: a form and its results, a keyset page at a time.
// The text searched for (a phone, a name) and the cursor travel only in a
// POST's body, never in an address, a browser's history or a proxy's log:
// a GET reads only the filters that say nothing about a person (drive,
// area, stage, channel). An htmx request gets only the results; without
// JavaScript the form is a plain POST and the whole page comes back.
func (c *Console) people(w http.ResponseWriter, r *http.Request, a asker) {
	ctx := r.Context()
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	sq := directory.Query{Drive: q.Get("drive"), Area: strings.ToUpper(strings.TrimSpace(q.Get("area"))), Stage: q.Get("stage"), Channel: q.Get("channel")}
	if r.Method == http.MethodPost {
		sq.Text, sq.Cursor = strings.TrimSpace(q.Get("q")), q.Get("cursor")
	}
	p := peoplePage{shell: c.newShell(r, a, "/console/people", "people.title"), Q: sq, driveNames: map[int64]string{}}
	drives, err := drive.ForScope(ctx, c.db, a.actor.Scope(access.PeopleRead))
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	for _, d := range drives {
		p.Drives = append(p.Drives, option{Value: d.Slug, Label: locale.Name(a.lang, d.Name, d.NameLocal), Selected: d.Slug == sq.Drive})
		p.driveNames[d.ID] = locale.Name(a.lang, d.Name, d.NameLocal)
	}
	for _, s := range directory.Stages {
		p.Stages = append(p.Stages, option{Value: s, Label: p.T("stage." + s), Selected: s == sq.Stage})
	}
	for _, ch := range Channels {
		p.Channels = append(p.Channels, option{Value: ch, Label: p.T("channel." + ch), Selected: ch == sq.Channel})
	}
	p.Export = c.exportBar(a, exports.People, "drive", sq.Drive, "area", sq.Area, "stage", sq.Stage, "channel", sq.Channel)
	status := http.StatusOK
	if p.Searched = asked(sq); p.Searched {
		status = c.runSearch(r, a, &p)
	}
	block := ""
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		block = "results"
	}
	c.render(w, r, status, "people", block, p)
}

// asked reports whether the form was sent with anything to look for.
func asked(q directory.Query) bool {
	return q.Text != "" || q.Drive != "" || q.Area != "" || q.Stage != "" || q.Channel != ""
}

// runSearch fills in the results, or says why there are none; it returns
// the page's status.
func (c *Console) runSearch(r *http.Request, a asker, p *peoplePage) int {
	sq := p.Q
	if sq.Channel != "" && !slices.Contains(Channels, sq.Channel) {
		p.Error = true
		return http.StatusUnprocessableEntity
	}
	res, err := c.dir.Search(r.Context(), a.actor, sq)
	switch code := apperr.CodeOf(err); {
	case err == nil:
	case code == apperr.Invalid || code == apperr.NotFound:
		c.log.WarnContext(r.Context(), "console: search refused", "err", err)
		p.Error = true // a stage, a drive or an area that does not exist, text that is neither a name nor a number
		return http.StatusUnprocessableEntity
	case code == apperr.RateLimited:
		p.Error, p.PhoneCapped = true, true
		return http.StatusTooManyRequests
	case code == apperr.Forbidden:
		c.log.WarnContext(r.Context(), "console: search outside the scope", "err", err)
		p.Error, p.OutOfScope = true, true // a drive or an area the asker may not see
		return http.StatusUnprocessableEntity
	default:
		c.log.ErrorContext(r.Context(), "console: search", "err", err)
		p.Error = true
		return respond.Status(err)
	}
	for _, row := range res.Rows {
		pr := personRow{PersonRow: row, Drive: p.driveNames[row.DriveID]}
		if row.AreaCode != "" {
			pr.Area = areaLabel(store.Area{Code: row.AreaCode, NameEN: row.AreaName, NameLocal: row.AreaNameLocal}, a.lang)
		}
		p.Rows = append(p.Rows, pr)
	}
	p.Next = res.Next
	return http.StatusOK
}
