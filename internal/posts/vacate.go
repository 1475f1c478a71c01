package posts

import (
	"context"
	"strconv"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// Vacate ends holding id for actor, who must hold access.PostsWrite over
// its area: -1 office_bearers there, audited. Vacating what has ended is
// no change and no error (the same form posted twice).
func (p *Posts) Vacate(ctx context.Context, actor access.Actor, id int64) (store.Appointment, error) {
	if !actor.Can(access.PostsWrite) {
		return store.Appointment{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.PostsWrite)
	}
	var out store.Appointment
	err := p.db.Update(ctx, func(tx *store.Tx) error {
		a, err := store.GetAppointment(ctx, tx, id)
		if err != nil {
			return err
		}
		area, err := store.AreaByID(ctx, tx, a.AreaID)
		if err != nil {
			return err
		}
		if !store.InScope(actor.Scope(access.PostsWrite), area) {
			return apperr.New(apperr.NotFound, "appointment %d not found", id) // outside the scope is as good as absent
		}
		d, err := store.DriveIn(ctx, tx, a.DriveID)
		if err != nil {
			return err
		}
		day := drive.Calendar(d).Day(tx.Now)
		if err := vacate(ctx, tx, actor.Label, actor.ScopeLabel(), id, store.VacatedByStaff, day); err != nil {
			return err
		}
		out, err = store.GetAppointment(ctx, tx, id)
		return err
	})
	return out, err
}

// VacateAll ends every holding of a person, in tx, because why
// (store.VolunteeringEnded, MembershipEnded, VacatedErased): each with its
// -1 on the day of its drive and an audit entry by actor ("self" when it
// was their own act). One rule for whatever ends what a post hangs on.
func VacateAll(ctx context.Context, tx *store.Tx, personID int64, actor, why string) error {
	held, err := store.AppointmentsOf(ctx, tx, personID)
	if err != nil {
		return err
	}
	for _, a := range held {
		if !a.VacatedAt.IsZero() {
			continue
		}
		d, err := store.DriveIn(ctx, tx, a.DriveID)
		if err != nil {
			return err
		}
		day := drive.Calendar(d).Day(tx.Now)
		if err := vacate(ctx, tx, actor, "", a.ID, why, day); err != nil {
			return err
		}
	}
	return nil
}

// vacate ends one holding and audits it when it did end.
func vacate(ctx context.Context, tx *store.Tx, actor, scope string, id int64, why, day string) error {
	a, vacated, err := store.Vacate(ctx, tx, id, actor, why, day)
	if err != nil || !vacated {
		return err
	}
	return store.Audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "vacate", PersonID: a.PersonID, AreaID: a.AreaID, Scope: scope,
		Detail: "post " + a.Post + ", appointment " + strconv.FormatInt(a.ID, 10) + ", " + why})
}
