package console

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/ist"
)

type volunteersPage struct {
	shell
	F         directory.VolunteerFilter
	Area      string // the area listed, as a label
	Drives    []option
	Platforms []option
	Languages []option
	Rows      []volunteerRow
	Next      string
	Error     bool // a filter that does not exist
	Export    *exportBar
}

// volunteerRow is one volunteer as the list shows them.
type volunteerRow struct {
	PersonID                     int64
	Name, Area, Languages, Since string
	Handles                      []handleView
	Posts                        []string
	Active                       bool
	Groups                       string // "live groups of those asked"
}

// volunteers lists a drive's volunteers at an area of the asker's scope,
// 50 at a time, by platform and language if asked. Nothing in its
// address says anything about a person.
func (c *Console) volunteers(w http.ResponseWriter, r *http.Request, a asker) {
	ctx := r.Context()
	q := r.URL.Query()
	f := directory.VolunteerFilter{Drive: q.Get("drive"), Area: strings.ToUpper(strings.TrimSpace(q.Get("area"))),
		Platform: q.Get("platform"), Language: q.Get("language"), Page: q.Get("page")}
	p := volunteersPage{shell: c.newShell(r, a, "/console/volunteers", "volunteers.title"), F: f}
	list, err := c.dir.Volunteers(ctx, a.actor, f)
	status := http.StatusOK
	switch {
	case err == nil:
		p.F.Drive, p.F.Area = list.Drive.Slug, list.Area.Code
		p.Area, p.Next = areaLabel(list.Area, a.lang), list.Next
		p.Export = c.exportBar(a, exports.Volunteers, "drive", p.F.Drive, "area", p.F.Area, "platform", f.Platform, "language", f.Language)
	case apperr.CodeOf(err) == apperr.Invalid:
		p.Error, status = true, http.StatusUnprocessableEntity
	default:
		c.fail(w, r, a, err)
		return
	}
	if p.Drives, err = c.driveOptions(r, a, access.PeopleRead, p.F.Drive); err != nil {
		c.fail(w, r, a, err)
		return
	}
	for _, pl := range handles.Platforms {
		p.Platforms = append(p.Platforms, option{Value: pl.Code, Label: pl.Name, Selected: pl.Code == f.Platform})
	}
	for _, l := range handles.Languages {
		p.Languages = append(p.Languages, option{Value: l.Code, Label: languageNames([]string{l.Code}, a.lang), Selected: l.Code == f.Language})
	}
	var file drive.File
	if list.Drive.File != nil {
		if file, err = drive.Open(list.Drive.File); err != nil {
			c.fail(w, r, a, err)
			return
		}
	}
	for _, v := range list.Rows {
		row := volunteerRow{PersonID: v.PersonID, Name: v.Name, Area: areaLabel(v.Area, a.lang), Languages: languageNames(v.Languages, a.lang),
			Since: v.StartedAt.In(ist.Zone).Format(time.DateOnly), Active: v.Active,
			Groups: p.T("groups.of", "N", strconv.Itoa(list.Groups[v.PersonID]), "Asked", strconv.Itoa(file.GroupsAsked()))}
		for _, h := range v.Handles {
			pl, _ := handles.Lookup(h.Platform)
			row.Handles = append(row.Handles, handleView{Platform: pl.Name, Handle: h.Handle})
		}
		for _, held := range v.Posts {
			title := held.Post
			if post, ok := file.Post(held.Post); ok {
				title = post.TitleIn(a.lang)
			}
			row.Posts = append(row.Posts, title)
		}
		p.Rows = append(p.Rows, row)
	}
	c.render(w, r, status, "volunteers", "", p)
}
