package console

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
)

// invitePage is one group's "Show invite link" form, refused with what
// was typed, or its link once shown.
type invitePage struct {
	shell
	GroupID     int64
	Reason      string
	ReasonError bool
	ReasonHasNo bool
	Gone        bool   // the group has no invite kept any more
	Link        string // shown once, on this answer alone
}

// showInvite shows an admin one group's invite link, for the reason they
// give (directory.ShowInvite: audited, never logged). The page is never
// cached (render's no-store); a refusal shows the form again with the
// reason typed.
func (c *Console) showInvite(w http.ResponseWriter, r *http.Request, a asker) {
	id, err := strconv.ParseInt(r.PathValue("group"), 10, 64)
	if err != nil || id <= 0 {
		c.fail(w, r, a, apperr.New(apperr.NotFound, "no such group"))
		return
	}
	p := invitePage{shell: c.newShell(r, a, "/console/groups", "groups.invite.title"), GroupID: id, Reason: r.PostFormValue("reason")}
	status := http.StatusOK
	link, err := c.dir.ShowInvite(r.Context(), a.actor, id, p.Reason)
	switch {
	case err == nil:
		p.Link, p.Reason = link, ""
	case errors.Is(err, directory.ErrNoInvite):
		p.Gone, status = true, http.StatusGone
	case errors.Is(err, directory.ErrReasonNumber):
		p.ReasonHasNo, status = true, http.StatusUnprocessableEntity
	case apperr.CodeOf(err) == apperr.Invalid:
		p.ReasonError, status = true, http.StatusUnprocessableEntity
	default:
		c.fail(w, r, a, err)
		return
	}
	c.render(w, r, status, "group_invite", "", p)
}
