package directory

import (
	"context"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// Recruiters is a drive's leaderboard at an area: the top 50 recruiters
// by direct, then indirect recruits. Named is false when the actor may
// read only progress there: the rows then carry no name and no person id.
type Recruiters struct {
	Drive store.Drive
	Area  store.Area
	Rows  []store.RecruiterRow
	Named bool
}

// Recruiters is the leaderboard of the area code (a drive's root when "")
// of the drive slug ("": the first in scope) for an actor holding
// ProgressRead there. Names and ids are kept for an actor who holds
// PeopleRead over the whole area, and such a list is audited; a viewer
// sees counts alone.
func (d *Directory) Recruiters(ctx context.Context, actor access.Actor, slug, code string) (Recruiters, error) {
	if len(actor.Scope(access.ProgressRead)) == 0 {
		return Recruiters{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.ProgressRead)
	}
	dr, area, err := d.Place(ctx, actor, access.ProgressRead, slug, code)
	if err != nil {
		return Recruiters{}, err
	}
	out := Recruiters{Drive: dr, Area: area}
	within, err := d.db.ScopeAreas(ctx, []string{area.Code})
	if err != nil {
		return Recruiters{}, err
	}
	if out.Rows, err = d.db.TopRecruiters(ctx, store.RecruiterQuery{Scope: within, DriveID: dr.ID}); err != nil {
		return Recruiters{}, err
	}
	_, _, named := drive.AreaIn(ctx, d.db, actor.Scope(access.PeopleRead), dr.Slug, area.Code)
	out.Named = named == nil
	if !out.Named {
		for i := range out.Rows {
			out.Rows[i].PersonID, out.Rows[i].Name = 0, ""
		}
		return out, nil
	}
	return out, d.audit(ctx, actor, store.AuditEntry{Action: "recruiters", AreaID: area.ID, Rows: int64(len(out.Rows)),
		Detail: "drive=" + dr.Slug})
}
