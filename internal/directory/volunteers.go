package directory

import (
	"context"
	"strconv"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// VolunteerFilter is a list of volunteers as staff ask for it.
type VolunteerFilter struct {
	Drive    string // a drive's slug; "": the first drive in scope
	Area     string // an area code; "": the drive's root if the scope covers it, else the actor's first area
	Platform string // a handles.Platforms code
	Language string // a handles.Languages code
	Page     string // where the previous page ended; "": the first page
	Limit    int
}

// Volunteers is a page of a drive's volunteers at an area, handles with
// a WhatsApp number masked; Next is the next page ("": the last).
type Volunteers struct {
	Drive store.Drive
	Area  store.Area
	Rows  []store.VolunteerRow
	Next  string
	// Groups is how many live groups each volunteer runs in the drive, by
	// person (absent: none).
	Groups map[int64]int
}

// Volunteers lists the volunteers of a drive whose work area lies in the
// area f names and in the actor's PeopleRead scope. The list is audited
// with its filters.
func (d *Directory) Volunteers(ctx context.Context, actor access.Actor, f VolunteerFilter) (Volunteers, error) {
	scope := actor.Scope(access.PeopleRead)
	if len(scope) == 0 {
		return Volunteers{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.PeopleRead)
	}
	q, err := VolunteerQuery(f)
	if err != nil {
		return Volunteers{}, err
	}
	out, err := d.volunteersPlace(ctx, actor, f)
	if err != nil {
		return Volunteers{}, err
	}
	q.DriveID = out.Drive.ID
	if q.Scope, err = d.db.ScopeAreas(ctx, []string{out.Area.Code}); err != nil {
		return Volunteers{}, err
	}
	rows, next, err := d.db.ListVolunteers(ctx, q)
	if err != nil {
		return Volunteers{}, err
	}
	for i := range rows {
		maskWhatsApp(rows[i].Handles)
	}
	out.Rows = rows
	people := make([]int64, len(rows))
	for i, r := range rows {
		people[i] = r.PersonID
	}
	if out.Groups, err = d.db.LiveGroupCounts(ctx, out.Drive.ID, people); err != nil {
		return Volunteers{}, err
	}
	if next != 0 {
		out.Next = strconv.FormatInt(next, 10)
	}
	detail := "drive=" + out.Drive.Slug + " platform=" + f.Platform + " language=" + f.Language
	if f.Page != "" {
		detail += " page=next"
	}
	return out, d.audit(ctx, actor, store.AuditEntry{Action: "volunteers", AreaID: out.Area.ID, Rows: int64(len(rows)), Detail: detail})
}

// VolunteerQuery checks f's filters and page: the store query they make,
// without its drive and scope.
func VolunteerQuery(f VolunteerFilter) (store.VolunteerQuery, error) {
	q := store.VolunteerQuery{Platform: f.Platform, Language: f.Language, Limit: f.Limit}
	if _, ok := handles.Lookup(f.Platform); f.Platform != "" && !ok {
		return q, apperr.New(apperr.Invalid, "There is no platform %q.", f.Platform)
	}
	if _, ok := handles.LanguageOf(f.Language); f.Language != "" && !ok {
		return q, apperr.New(apperr.Invalid, "There is no language %q.", f.Language)
	}
	var err error
	q.After, err = pageAfter(f.Page)
	return q, err
}

// pageAfter is the id a list's page link says the previous page ended
// at; 0 for the first page.
func pageAfter(page string) (int64, error) {
	if page == "" {
		return 0, nil
	}
	after, err := strconv.ParseInt(page, 10, 64)
	if err != nil || after <= 0 {
		return 0, apperr.New(apperr.Invalid, "This page link is not valid.")
	}
	return after, nil
}

// volunteersPlace is the drive and the area f asks for, or their defaults,
// checked against the actor's PeopleRead scope.
func (d *Directory) volunteersPlace(ctx context.Context, actor access.Actor, f VolunteerFilter) (Volunteers, error) {
	dr, area, err := d.Place(ctx, actor, access.PeopleRead, f.Drive, f.Area)
	return Volunteers{Drive: dr, Area: area}, err
}

// Place is the drive slug names and its area code, or their defaults (the
// first drive in scope; the drive's root, else the actor's first area in
// the drive), checked against the actor's scope for need.
func (d *Directory) Place(ctx context.Context, actor access.Actor, need access.Permission, slug, code string) (store.Drive, store.Area, error) {
	scope := actor.Scope(need)
	if slug == "" {
		drives, err := drive.ForScope(ctx, d.db, scope)
		if err != nil {
			return store.Drive{}, store.Area{}, err
		}
		if len(drives) == 0 {
			return store.Drive{}, store.Area{}, apperr.New(apperr.NotFound, "No drive takes part in your areas.")
		}
		slug = drives[0].Slug
	}
	dr, area, err := drive.AreaIn(ctx, d.db, scope, slug, code)
	if code == "" && apperr.CodeOf(err) == apperr.Forbidden {
		// The drive's root is wider than the scope: start at the actor's
		// first area that is part of the drive instead.
		for _, root := range actor.Roots(need) {
			if dr, area, err = drive.AreaIn(ctx, d.db, scope, slug, root); err == nil || apperr.CodeOf(err) != apperr.Invalid {
				break
			}
		}
	}
	return dr, area, err
}

// maskWhatsApp masks the handles that are phone numbers: staff see a
// WhatsApp handle as they see any number.
func maskWhatsApp(hs []store.Handle) {
	for i, h := range hs {
		if h.Platform == "whatsapp" {
			hs[i].Handle = phone.Mask(h.Handle)
		}
	}
}
