package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/respond"
)

// SearchQuery is a people search as the form sends it.
type SearchQuery struct {
	Text    string // a phone in any common Indian form, or the first letters of a name (either script)
	Drive   string // a drive's slug
	Area    string // an area's code: it and everything under it
	Stage   string // directory.Stages
	Channel string
	Cursor  string // where the previous page ended
}

// SearchRow is one person in one drive, as the results list them.
type SearchRow struct {
	PersonID                    int64
	Name, MembershipNo          string
	Drive, Area, Stage, Channel string
	Phone                       string // masked
	FirstSeen                   time.Time
}

// SearchPage is a page of results; Next is the cursor of the next page
// ("" on the last).
type SearchPage struct {
	Rows []SearchRow
	Next string
}

// Channels are the channels a participation can come by.
var Channels = []string{"missed_call", "whatsapp", "web"}

type peoplePage struct {
	shell
	Q               SearchQuery
	Drives          []option
	Stages          []option
	Channels        []option
	Rows            []SearchRow
	NextURL         string
	Searched, Error bool
}

// people is the search: a form and its results, a keyset page at a time.
// An htmx request gets only the results; without JavaScript the form is a
// plain GET and the whole page comes back.
func (c *Console) people(w http.ResponseWriter, r *http.Request, a asker) {
	ctx := r.Context()
	q := r.URL.Query()
	sq := SearchQuery{Text: strings.TrimSpace(q.Get("q")), Drive: q.Get("drive"), Area: strings.ToUpper(strings.TrimSpace(q.Get("area"))),
		Stage: q.Get("stage"), Channel: q.Get("channel"), Cursor: q.Get("cursor")}
	p := peoplePage{shell: c.newShell(r, a, "/console/people", "people.title"), Q: sq}
	drives, err := drive.ForScope(ctx, c.db, a.actor.Scope(access.PeopleRead))
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	for _, d := range drives {
		p.Drives = append(p.Drives, option{Value: d.Slug, Label: locale.Name(a.lang, d.Name, d.NameLocal), Selected: d.Slug == sq.Drive})
	}
	for _, s := range directory.Stages {
		p.Stages = append(p.Stages, option{Value: s, Label: p.T("stage." + s), Selected: s == sq.Stage})
	}
	for _, ch := range Channels {
		p.Channels = append(p.Channels, option{Value: ch, Label: p.T("channel." + ch), Selected: ch == sq.Channel})
	}
	status := http.StatusOK
	if p.Searched = sq.asked(); p.Searched {
		status = c.runSearch(r, a, &p)
	}
	block := ""
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		block = "results"
	}
	c.render(w, r, status, "people", block, p)
}

// asked reports whether the form was sent with anything to look for.
func (q SearchQuery) asked() bool {
	return q.Text != "" || q.Drive != "" || q.Area != "" || q.Stage != "" || q.Channel != ""
}

// runSearch fills in the results, or says why there are none; it returns
// the page's status.
func (c *Console) runSearch(r *http.Request, a asker, p *peoplePage) int {
	sq := p.Q
	if utf8.RuneCountInString(sq.Text) > 100 || (sq.Stage != "" && !slices.Contains(directory.Stages, sq.Stage)) ||
		(sq.Channel != "" && !slices.Contains(Channels, sq.Channel)) {
		p.Error = true
		return http.StatusUnprocessableEntity
	}
	if c.search == nil {
		p.Error = true
		return http.StatusServiceUnavailable
	}
	res, err := c.search(r.Context(), a.actor, sq)
	if err != nil {
		c.log.WarnContext(r.Context(), "console: search", "err", err)
		p.Error = true
		return respond.Status(err)
	}
	p.Rows = res.Rows
	if res.Next != "" {
		next := url.Values{"q": {sq.Text}, "drive": {sq.Drive}, "area": {sq.Area}, "stage": {sq.Stage}, "channel": {sq.Channel}, "cursor": {res.Next}}
		p.NextURL = "/console/people?" + next.Encode()
	}
	return http.StatusOK
}
