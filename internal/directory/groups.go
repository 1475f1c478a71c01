package directory

import (
	"context"
	"slices"
	"strconv"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/store"
)

// GroupStates are a group's states, in the order filters offer them.
var GroupStates = []string{store.GroupLive, store.GroupLapsed, store.GroupInvalid, store.GroupRemoved, store.GroupEnded}

// GroupFilter is a list of groups as staff ask for it.
type GroupFilter struct {
	Drive    string // a drive's slug; "": the first drive in scope
	Area     string // an area code; "": the drive's root if the scope covers it, else the actor's first area
	State    string // one of GroupStates; "": any
	Kind     string // one of groups.Kinds; "": any
	Language string // a handles.Languages code; "": any
	Page     string // where the previous page ended; "": the first page
	Limit    int
}

// Groups is a page of a drive's groups at an area, never their invites,
// with the area's live groups against its target.
type Groups struct {
	Drive  store.Drive
	Area   store.Area
	Rows   []store.GroupRow
	Next   string
	Live   int64  // the groups counter at the area, the whole drive so far
	Target *int64 // nil: the drive sets none here
}

// Groups lists the groups of a drive whose area lies in the area f names
// and in the actor's PeopleRead scope. The list is audited with its
// filters.
func (d *Directory) Groups(ctx context.Context, actor access.Actor, f GroupFilter) (Groups, error) {
	if len(actor.Scope(access.PeopleRead)) == 0 {
		return Groups{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.PeopleRead)
	}
	q, err := GroupQuery(f)
	if err != nil {
		return Groups{}, err
	}
	place, err := d.volunteersPlace(ctx, actor, VolunteerFilter{Drive: f.Drive, Area: f.Area})
	if err != nil {
		return Groups{}, err
	}
	out := Groups{Drive: place.Drive, Area: place.Area}
	q.DriveID = out.Drive.ID
	if q.Scope, err = d.db.ScopeAreas(ctx, []string{out.Area.Code}); err != nil {
		return Groups{}, err
	}
	rows, next, err := d.db.ListGroups(ctx, q)
	if err != nil {
		return Groups{}, err
	}
	out.Rows = rows
	if next != 0 {
		out.Next = strconv.FormatInt(next, 10)
	}
	report, err := drive.Progress(ctx, d.db, out.Drive, drive.ProgressQuery{Area: out.Area, Now: d.db.Now()})
	if err != nil {
		return Groups{}, err
	}
	for _, m := range report.Metrics {
		if m.Metric == "groups" {
			out.Live, out.Target = m.SoFar, m.Target
		}
	}
	detail := "drive=" + out.Drive.Slug + " state=" + f.State + " kind=" + f.Kind + " language=" + f.Language
	if f.Page != "" {
		detail += " page=next"
	}
	return out, d.audit(ctx, actor, store.AuditEntry{Action: "groups", AreaID: out.Area.ID, Rows: int64(len(rows)), Detail: detail})
}

// GroupQuery checks f's filters and page: the store query they make,
// without its drive and scope.
func GroupQuery(f GroupFilter) (store.GroupQuery, error) {
	q := store.GroupQuery{State: f.State, Kind: f.Kind, Language: f.Language, Limit: f.Limit}
	if f.State != "" && !slices.Contains(GroupStates, f.State) {
		return q, apperr.New(apperr.Invalid, "There is no group state %q.", f.State)
	}
	if f.Kind != "" && !slices.Contains(groups.Kinds, f.Kind) {
		return q, apperr.New(apperr.Invalid, "There is no kind of group %q.", f.Kind)
	}
	if _, ok := handles.LanguageOf(f.Language); f.Language != "" && !ok {
		return q, apperr.New(apperr.Invalid, "There is no language %q.", f.Language)
	}
	var err error
	q.After, err = pageAfter(f.Page)
	return q, err
}

// groups keeps the person's groups in the drives the actor sees them in,
// without their invites, and adds their areas to p.Areas.
func (p *Person) groups(ctx context.Context, tx *store.Tx, gs []store.Group) error {
	for _, g := range gs {
		if !slices.ContainsFunc(p.Participations, func(pp Participation) bool { return pp.DriveID == g.DriveID }) {
			continue
		}
		g.CodeHash, g.CodeSealed = "", ""
		p.Groups = append(p.Groups, g)
		if _, ok := p.Areas[g.AreaID]; ok {
			continue
		}
		area, err := store.AreaByID(ctx, tx, g.AreaID)
		if err != nil {
			return err
		}
		if p.Areas == nil {
			p.Areas = map[int64]store.Area{}
		}
		p.Areas[g.AreaID] = area
	}
	return nil
}
