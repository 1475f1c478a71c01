package directory

import (
	"context"
	"strconv"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// ErrNoInvite is a group whose invite is no longer kept (it ended, or was
// sealed under another JODO_SECRET_KEY).
var ErrNoInvite = apperr.New(apperr.NotFound, "This group's invite link is no longer kept.")

// ShowInvite opens one group's invite link for an actor holding
// access.GroupsInvite over the group's area (admins), for a reason checked
// as a reveal's is. It is audited with the group and the reason in the
// transaction that opens it; the link itself goes nowhere but the answer.
// A group outside the scope, or none, is not found.
func (d *Directory) ShowInvite(ctx context.Context, actor access.Actor, groupID int64, reason string) (string, error) {
	scope := actor.Scope(access.GroupsInvite)
	if len(scope) == 0 {
		return "", apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.GroupsInvite)
	}
	reason, err := CheckReason(reason)
	if err != nil {
		return "", err
	}
	var link string
	err = d.db.Update(ctx, func(tx *store.Tx) error {
		grp, err := store.GetGroup(ctx, tx, groupID)
		if err != nil {
			return err
		}
		area, err := store.AreaByID(ctx, tx, grp.AreaID)
		if err != nil {
			return err
		}
		if !store.InScope(scope, area) {
			return apperr.New(apperr.NotFound, "group %d not found", groupID)
		}
		if link, err = d.groups.Link(ctx, tx, grp); err != nil {
			return err
		}
		if link == "" {
			return ErrNoInvite
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: actor.Label, Scope: actor.ScopeLabel(), Action: "group_invite_shown",
			PersonID: grp.PersonID, AreaID: grp.AreaID, Reason: reason, Detail: "group " + strconv.FormatInt(groupID, 10)})
	})
	if err != nil {
		return "", err
	}
	return link, nil
}
