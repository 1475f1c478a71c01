package exports

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/sheet"
	"github.com/jodo-org/jodo/internal/store"
)

// Prepared is an export checked and counted, not yet written.
type Prepared struct {
	e      *Exports
	actor  access.Actor
	req    Request
	drive  store.Drive
	file   drive.File // the drive's posts and groups asked of each volunteer
	area   store.Area
	people store.PeopleQuery
	vols   store.VolunteerQuery
	groups store.GroupQuery
	posts  store.HoldingQuery

	Rows        int    // the rows counted; Write may find a few more or fewer
	Name        string // the file's name: "volunteers-jh-2026-jh-d-ranchi-2026-12-06.csv"
	ContentType string
}

// Prepare checks an export and counts its rows: the kind and the filters,
// the drive and the area in the actor's people.read scope (as the lists
// place them), whole numbers only for an actor holding people.reveal over
// the area and giving a reason, and no more rows than the actor's role may
// export at once. Nothing is written or audited yet.
func (e *Exports) Prepare(ctx context.Context, actor access.Actor, r Request) (*Prepared, error) {
	if len(actor.Scope(access.PeopleRead)) == 0 || e.capOf(actor) == 0 {
		return nil, ErrNoExports
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	p := &Prepared{e: e, actor: actor, req: r}
	var err error
	if p.drive, p.area, err = e.dir.Place(ctx, actor, access.PeopleRead, r.Drive, strings.ToUpper(strings.TrimSpace(r.Area))); err != nil {
		return nil, err
	}
	if p.drive.File != nil {
		if p.file, err = drive.Open(p.drive.File); err != nil {
			return nil, err
		}
	}
	if r.Reveal {
		if p.req.Reason, err = directory.CheckReason(r.Reason); err != nil {
			return nil, err
		}
		if _, _, err := drive.AreaIn(ctx, e.db, actor.Scope(access.PeopleReveal), p.drive.Slug, p.area.Code); err != nil {
			if apperr.CodeOf(err) == apperr.Forbidden {
				return nil, apperr.New(apperr.Forbidden, "Your role may not reveal numbers at %s: export without them.", p.area.Code)
			}
			return nil, err
		}
	}
	if p.Rows, err = p.count(ctx); err != nil {
		return nil, err
	}
	if most := e.capOf(actor); p.Rows > most {
		return nil, &TooMany{Rows: p.Rows, Most: most}
	}
	if r.Format == XLSX && p.Rows >= sheet.MaxXLSXRows {
		return nil, &TooMany{Rows: p.Rows, Most: sheet.MaxXLSXRows - 1, Excel: true}
	}
	p.Name = strings.ToLower(fmt.Sprintf("%s-%s-%s-%s.%s", r.Kind, p.drive.Slug, p.area.Code, e.db.Now().In(ist.Zone).Format(time.DateOnly), r.Format))
	p.ContentType = contentTypes[r.Format]
	return p, nil
}

// TooMany is an export holding more rows than the actor's role may export
// at once, or (Excel) than a sheet holds.
type TooMany struct {
	Rows, Most int
	Excel      bool
}

func (t *TooMany) Error() string {
	if t.Excel {
		return fmt.Sprintf("This export would hold %d rows; an Excel sheet holds at most %d. Export as CSV, or choose a smaller area or a filter.", t.Rows, t.Most)
	}
	return fmt.Sprintf("This export would hold %d rows; your role may export at most %d at once. Choose a smaller area or a filter.", t.Rows, t.Most)
}

// Unwrap makes it invalid: the person's to change.
func (t *TooMany) Unwrap() error { return apperr.New(apperr.Invalid, "%s", t.Error()) }

var contentTypes = map[Format]string{
	CSV:  "text/csv; charset=utf-8",
	XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// check is the request's kind, format, language and the filters its kind
// takes; a filter another kind takes is refused rather than ignored.
func (r *Request) check() error {
	if !slices.Contains(Kinds, r.Kind) {
		return apperr.New(apperr.Invalid, "Export people, volunteers, posts or groups, not %q.", r.Kind)
	}
	if r.Format == "" {
		r.Format = CSV
	}
	if r.Format != CSV && r.Format != XLSX {
		return apperr.New(apperr.Invalid, "Export as csv or xlsx, not %q.", r.Format)
	}
	if r.Lang != "hi" {
		r.Lang = "en"
	}
	takes := map[Kind][]string{People: {"stage", "channel"}, Volunteers: {"platform", "language"},
		Posts: {"post"}, Groups: {"state", "kind", "language"}}[r.Kind]
	for name, value := range map[string]string{"stage": r.Stage, "channel": r.Channel, "platform": r.Platform,
		"language": r.Language, "state": r.State, "kind": r.GroupKind, "post": r.Post} {
		if value != "" && !slices.Contains(takes, name) {
			return apperr.New(apperr.Invalid, "An export of %s takes no %s filter.", r.Kind, name)
		}
	}
	if !r.Reveal && r.Reason != "" {
		return apperr.New(apperr.Invalid, "A reason is for revealing numbers: ask for them, or leave the reason out.")
	}
	return nil
}

// count builds the kind's store query, with the list's filters, and counts
// its rows.
func (p *Prepared) count(ctx context.Context) (int, error) {
	db, r := p.e.db, p.req
	scope, err := db.ScopeAreas(ctx, []string{p.area.Code})
	if err != nil {
		return 0, err
	}
	switch r.Kind {
	case People:
		if p.people, err = directory.PeopleFilters(r.Stage, r.Channel); err != nil {
			return 0, err
		}
		p.people.Scope, p.people.DriveID = scope, p.drive.ID
		// A lead with no area yet is in an export of the drive's whole
		// root, as the search shows it only to a scope covering that root.
		if roots, err := db.ScopeAreas(ctx, []string{p.drive.RootArea}); err != nil {
			return 0, err
		} else if store.Covers(scope, roots) {
			p.people.RootOf = []int64{p.drive.ID}
		}
		return db.CountPeople(ctx, p.people)
	case Volunteers:
		if p.vols, err = directory.VolunteerQuery(directory.VolunteerFilter{Platform: r.Platform, Language: r.Language}); err != nil {
			return 0, err
		}
		p.vols.Scope, p.vols.DriveID = scope, p.drive.ID
		return db.CountVolunteers(ctx, p.vols)
	case Groups:
		if p.groups, err = directory.GroupQuery(directory.GroupFilter{State: r.State, Kind: r.GroupKind, Language: r.Language}); err != nil {
			return 0, err
		}
		p.groups.Scope, p.groups.DriveID = scope, p.drive.ID
		return db.CountGroups(ctx, p.groups)
	default:
		if _, ok := p.file.Post(r.Post); r.Post != "" && !ok {
			return 0, apperr.New(apperr.Invalid, "Drive %s has no post %q.", p.drive.Slug, r.Post)
		}
		p.posts = store.HoldingQuery{Scope: scope, DriveID: p.drive.ID, Post: r.Post}
		return db.CountHoldings(ctx, p.posts)
	}
}
