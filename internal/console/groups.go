package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

type groupsPage struct {
	shell
	F                            directory.GroupFilter
	Area                         string
	Drives, States, Kinds, Langs []option
	Rows                         []groupRow
	Live, Target                 string
	Next, Here, Done             string
	Error, CanMark, CanInvite    bool
	Export                       *exportBar
}

// groupRow is a group as staff see it: never its invite.
type groupRow struct {
	ID, PersonID                            int64
	Owner, Name, Kind, Language, Size, Area string
	Confirmed, State, Reason                string
	Markable, Invitable                     bool
}

// groupList lists a drive's groups at an area of the asker's scope, with
// the area's live groups against its target, 50 at a time, and a "Mark
// invalid" form for those holding groups.manage.
func (c *Console) groupList(w http.ResponseWriter, r *http.Request, a asker) {
	ctx := r.Context()
	q := r.URL.Query()
	f := directory.GroupFilter{Drive: q.Get("drive"), Area: strings.ToUpper(strings.TrimSpace(q.Get("area"))), State: q.Get("state"),
		Kind: q.Get("kind"), Language: q.Get("language"), Page: q.Get("page")}
	p := groupsPage{shell: c.newShell(r, a, "/console/groups", "groups.title"), F: f, Here: backTo(r.URL.RequestURI()),
		Done: q.Get("done"), CanMark: a.actor.Can(access.GroupsManage), CanInvite: a.actor.Can(access.GroupsInvite), Target: "—"}
	list, err := c.dir.Groups(ctx, a.actor, f)
	status := http.StatusOK
	switch {
	case err == nil:
		p.F.Drive, p.F.Area = list.Drive.Slug, list.Area.Code
		p.Area, p.Next, p.Live = areaLabel(list.Area, a.lang), list.Next, indian(list.Live)
		p.Export = c.exportBar(a, exports.Groups, "drive", p.F.Drive, "area", p.F.Area, "state", f.State, "kind", f.Kind, "language", f.Language)
		if list.Target != nil {
			p.Target = indian(*list.Target)
		}
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
	for _, s := range directory.GroupStates {
		p.States = append(p.States, option{Value: s, Label: p.T("groups.state." + s), Selected: s == f.State})
	}
	for _, k := range groups.Kinds {
		p.Kinds = append(p.Kinds, option{Value: k, Label: p.T("groups.kind." + k), Selected: k == f.Kind})
	}
	for _, l := range handles.Languages {
		p.Langs = append(p.Langs, option{Value: l.Code, Label: languageNames([]string{l.Code}, a.lang), Selected: l.Code == f.Language})
	}
	for _, g := range list.Rows {
		p.Rows = append(p.Rows, groupRow{ID: g.ID, PersonID: g.PersonID, Owner: g.Owner, Name: g.Name, Kind: p.T("groups.kind." + g.Kind),
			Language: languageNames([]string{g.Language}, a.lang), Size: g.Size, Area: areaLabel(g.Area, a.lang),
			Confirmed: when(g.ConfirmedAt), State: p.T("groups.state." + g.State), Reason: g.StateReason,
			Markable: p.CanMark && (g.State == store.GroupLive || g.State == store.GroupLapsed), Invitable: p.CanInvite && g.State != store.GroupEnded})
	}
	c.render(w, r, status, "groups", "", p)
}

// driveOptions are the drives of a's scope for need, selected marking
// the one shown.
func (c *Console) driveOptions(r *http.Request, a asker, need access.Permission, selected string) ([]option, error) {
	drives, err := drive.ForScope(r.Context(), c.db, a.actor.Scope(need))
	var out []option
	for _, d := range drives {
		out = append(out, option{Value: d.Slug, Label: locale.Name(a.lang, d.Name, d.NameLocal), Selected: d.Slug == selected})
	}
	return out, err
}

// markInvalid marks a group invalid with a reason (groups.MarkInvalid:
// audited, -1 groups if it was live) and goes back to the list.
func (c *Console) markInvalid(w http.ResponseWriter, r *http.Request, a asker) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("group")), 10, 64)
	if err != nil || id <= 0 {
		c.message(w, r, a, http.StatusUnprocessableEntity, "groups.invalid")
		return
	}
	reason := r.PostFormValue("reason")
	err = c.db.Update(r.Context(), func(tx *store.Tx) error {
		_, err := c.groups.MarkInvalid(r.Context(), tx, a.actor, id, reason)
		return err
	})
	switch {
	case err == nil:
		back := backTo(r.PostFormValue("back"))
		if back == "" {
			back = "/console/groups?" + url.Values{"lang": {a.lang}}.Encode()
		}
		http.Redirect(w, r, doneAt(back, 0, "invalid"), http.StatusSeeOther)
	case apperr.CodeOf(err) == apperr.Invalid:
		c.message(w, r, a, http.StatusUnprocessableEntity, "groups.invalid")
	default:
		c.fail(w, r, a, err)
	}
}
