package posts

import (
	"cmp"
	"context"
	"strconv"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// Posts runs the appointments of one installation.
type Posts struct{ db *store.DB }

// New returns Posts on db.
func New(db *store.DB) *Posts { return &Posts{db: db} }

// Request is an appointment asked for, the same from the console, the API
// and the command line.
type Request struct {
	Drive    string // slug
	Post     string // the drive file's post code
	Area     string // the area code it is held at (of the post's kind)
	PersonID int64  // a volunteer of the drive
	// Replace vacates the present holder of a one-holder post first;
	// without it, a held post is a conflict.
	Replace bool
}

// Appoint appoints r.PersonID to r.Post at r.Area for actor: +1
// office_bearers there, the volunteer's participation reaches active, and
// the audit log notes it (and any holder replaced), all in one transaction.
func (p *Posts) Appoint(ctx context.Context, actor access.Actor, r Request) (store.Appointment, error) {
	d, area, post, err := p.place(ctx, actor, r.Drive, r.Post, r.Area)
	if err != nil {
		return store.Appointment{}, err
	}
	var out store.Appointment
	err = p.db.Update(ctx, func(tx *store.Tx) error {
		part, err := volunteerIn(ctx, tx, actor, r.PersonID, d.ID)
		if err != nil {
			return err
		}
		day := drive.Calendar(d).Day(tx.Now)
		if r.Replace && !post.Many {
			held, err := store.Holders(ctx, tx, d.ID, post.Code, area.ID)
			if err != nil {
				return err
			}
			for _, h := range held {
				if h.PersonID == r.PersonID {
					continue // appointing the holder again: the conflict below says so
				}
				if err := vacate(ctx, tx, actor.Label, actor.ScopeLabel(), h.ID, store.Replaced, day); err != nil {
					return err
				}
			}
		}
		out, err = store.Appoint(ctx, tx, store.Appointment{DriveID: d.ID, Post: post.Code, AreaID: area.ID, PersonID: r.PersonID,
			ParticipationID: part.ID, Many: post.Many, AppointedBy: actor.Label}, day)
		if apperr.CodeOf(err) == apperr.Conflict {
			return apperr.New(apperr.Conflict, "%s at %s is held already: vacate it first, or replace its holder.", post.Title, area.Code)
		}
		if err != nil {
			return err
		}
		if _, err := store.ReachStage(ctx, tx, part.ID, store.StageActive, 0, part.Channel, day); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: actor.Label, Action: "appoint", PersonID: r.PersonID, AreaID: area.ID,
			Scope: actor.ScopeLabel(), Detail: "post " + post.Code + " in drive " + d.Slug + ", appointment " + strconv.FormatInt(out.ID, 10)})
	})
	return out, err
}

// place checks that actor may appoint in area of drive slug and that the
// drive has the post, held at that kind of area.
func (p *Posts) place(ctx context.Context, actor access.Actor, slug, code, areaCode string) (store.Drive, store.Area, drive.Post, error) {
	if !actor.Can(access.PostsWrite) {
		return store.Drive{}, store.Area{}, drive.Post{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.PostsWrite)
	}
	if areaCode == "" {
		return store.Drive{}, store.Area{}, drive.Post{}, apperr.New(apperr.Invalid, "Name the area the post is held at.")
	}
	d, area, err := drive.AreaIn(ctx, p.db, actor.Scope(access.PostsWrite), slug, areaCode)
	if err != nil {
		return store.Drive{}, store.Area{}, drive.Post{}, err
	}
	f, err := drive.Open(d.File)
	if err != nil {
		return store.Drive{}, store.Area{}, drive.Post{}, err
	}
	post, ok := f.Post(code)
	switch {
	case !ok:
		return store.Drive{}, store.Area{}, drive.Post{}, apperr.New(apperr.Invalid, "Drive %s has no post %q.", d.Slug, code)
	case post.AreaKind != area.Kind:
		return store.Drive{}, store.Area{}, drive.Post{}, apperr.New(apperr.Invalid, "%s is held at a %s, and %s is a %s.", post.Title, post.AreaKind, area.Code, area.Kind)
	case area.Retired:
		return store.Drive{}, store.Area{}, drive.Post{}, apperr.New(apperr.Invalid, "%s is retired.", area.Code)
	}
	return d, area, post, nil
}

// volunteerIn is the person's participation in the drive, which must be a
// volunteer's whose own area lies in the actor's scope: a coordinator
// appoints the volunteers they can see. Whoever is not one, for whatever
// reason, is the same "not found": nobody learns from it who is a member or
// a volunteer elsewhere. The participation stays locked until the
// appointment commits, so a withdrawal waits for it and then vacates it.
func volunteerIn(ctx context.Context, tx *store.Tx, actor access.Actor, personID, driveID int64) (store.Participation, error) {
	var none error = apperr.New(apperr.NotFound, "Person %d is not a volunteer of this drive in your scope: only volunteers are appointed.", personID)
	part, err := store.FindParticipation(ctx, tx, personID, driveID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return store.Participation{}, none
	}
	if err != nil {
		return store.Participation{}, err
	}
	if locked, err := store.LockVolunteer(ctx, tx, part.ID); err != nil || !locked {
		return store.Participation{}, cmp.Or(err, none)
	}
	v, err := store.VolunteerOf(ctx, tx, part.ID)
	if err != nil {
		return store.Participation{}, err
	}
	home, err := store.AreaByID(ctx, tx, v.AreaID)
	if err != nil {
		return store.Participation{}, err
	}
	if !v.EndedAt.IsZero() || !store.InScope(actor.Scope(access.PostsWrite), home) {
		return store.Participation{}, none
	}
	return part, nil
}
