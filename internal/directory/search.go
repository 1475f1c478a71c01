package directory

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// Query is a people search as staff type it.
type Query struct {
	Drive   string // a drive's slug; "": every drive in scope
	Area    string // an area code: that area and everything under it
	Stage   string // the furthest stage reached (Stages)
	Channel string
	Text    string // a phone number in any common form, or the start of a name
	Cursor  string // where the previous page ended; "": the first page
	Limit   int
}

// Found is a page of a search: rows with their numbers masked, and the
// cursor of the next page ("": this is the last).
type Found struct {
	Rows []store.PersonRow
	Next string
}

// maxSearchText bounds what a search may type: a name or a number.
const maxSearchText = 100

// Search finds the people in the actor's PeopleRead scope that q picks, a
// page at a time. A participation with no area yet is found only by a
// scope covering all of its drive's root area. The search is audited with
// its filters and a keyed hash of its text, never the text.
func (d *Directory) Search(ctx context.Context, actor access.Actor, q Query) (Found, error) {
	scope := actor.Scope(access.PeopleRead)
	if len(scope) == 0 {
		return Found{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.PeopleRead)
	}
	sq := store.PeopleQuery{Scope: scope, Channel: strings.TrimSpace(q.Channel), Stage: store.Stage(q.Stage), Limit: q.Limit}
	if q.Stage != "" && !slices.Contains(Stages, q.Stage) {
		return Found{}, apperr.New(apperr.Invalid, "stage must be one of %s, not %q", strings.Join(Stages, ", "), q.Stage)
	}
	text := strings.TrimSpace(q.Text)
	if len([]rune(text)) > maxSearchText {
		return Found{}, apperr.New(apperr.Invalid, "Search for a name or a number: at most %d characters.", maxSearchText)
	}
	if p, err := phone.Normalize(text); err == nil && text != "" && !strings.ContainsFunc(text, unicode.IsLetter) {
		sq.Phone = p
	} else if text != "" {
		if sq.NameKey = names.SearchPrefix(text); sq.NameKey == "" {
			return Found{}, apperr.New(apperr.Invalid, "Search for a name or a number.")
		}
	}
	var err error
	if sq.After, err = store.ParsePeopleCursor(q.Cursor); q.Cursor != "" && err != nil {
		return Found{}, err
	}
	if sq.RootOf, err = d.coveredDrives(ctx, scope); err != nil {
		return Found{}, err
	}
	if q.Drive != "" {
		dr, err := d.db.DriveBySlug(ctx, q.Drive)
		if err != nil {
			return Found{}, err
		}
		sq.DriveID = dr.ID
	}
	var areaID int64
	if q.Area != "" {
		a, err := d.db.GetArea(ctx, q.Area)
		if err != nil {
			return Found{}, err
		}
		sq.AreaPath, areaID = a.Path, a.ID
	}
	rows, next, err := d.db.SearchPeople(ctx, sq)
	if err != nil {
		return Found{}, err
	}
	for i := range rows {
		rows[i].Phone = phone.Mask(rows[i].Phone)
	}
	out := Found{Rows: rows}
	if !next.IsZero() {
		out.Next = next.String()
	}
	detail := "drive=" + q.Drive + " area=" + q.Area + " stage=" + q.Stage + " channel=" + sq.Channel
	if text != "" {
		kind := "name"
		if sq.Phone != "" {
			kind = "phone"
		}
		detail += " " + kind + "=" + d.searchHash(text)
	}
	if q.Cursor != "" {
		detail += " page=next"
	}
	return out, d.audit(ctx, actor, store.AuditEntry{Action: "search", AreaID: areaID, Rows: int64(len(rows)), Detail: detail})
}

// coveredDrives are the drives whose whole root area lies in scope: their
// leads with no area yet are visible to it.
func (d *Directory) coveredDrives(ctx context.Context, scope []store.Area) ([]int64, error) {
	drives, err := d.db.Drives(ctx)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, dr := range drives {
		roots, err := d.db.ScopeAreas(ctx, []string{dr.RootArea})
		if err != nil {
			return nil, err
		}
		if len(roots) > 0 && !slices.ContainsFunc(roots, func(a store.Area) bool { return !store.InScope(scope, a) }) {
			out = append(out, dr.ID)
		}
	}
	return out, nil
}
