package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// A volunteer's groups on /me: how many of the drive's ask are live, each
// group with its invite (theirs to see), a "still active" button and a
// remove button; and the page registering a new one.

// groupRow is one of the volunteer's groups on /me.
type groupRow struct {
	ID                                                       int64
	Name, Kind, Area, Language, Size, State, Confirmed, Link string
}

// groupsCard is a volunteer's groups in one drive.
type groupsCard struct {
	Live, Asked int
	Groups      []groupRow
}

// groupForm is what /me/groups posts.
type groupForm struct {
	Drive, Link, AC, Booth, Language, Size, Name string
}

type groupPage struct {
	page
	Drive, Slug string
	Errors      map[string]string
	Form        groupForm
	ACGroups    []acGroup
	Languages   []option
	Sizes       []option
}

// maxGroupInput bounds what is kept of a typed field, so a re-rendered
// page stays small (groups.ParseInvite refuses longer links anyway).
const maxGroupInput = 500

func (h *Web) groupRoutes(mux *server.Mux, post func(http.HandlerFunc) http.Handler) {
	mux.HandleFunc("GET /me/groups", h.groupsPage)
	mux.Handle("POST /me/groups", post(h.groupSubmit))
	mux.Handle("POST /me/groups/confirm", post(h.groupChange))
	mux.Handle("POST /me/groups/remove", post(h.groupChange))
}

// groupsCardOf is the person's groups in the drive (removed and ended ones
// left out), their invites opened for them.
func (h *Web) groupsCardOf(ctx context.Context, tx *store.Tx, person int64, pt store.PersonParticipation, f drive.File, lang string) (*groupsCard, error) {
	all, err := store.GroupsOf(ctx, tx, person)
	if err != nil {
		return nil, err
	}
	c := &groupsCard{Asked: f.GroupsAsked()}
	for _, g := range all {
		if g.DriveID != pt.DriveID || g.State == store.GroupRemoved || g.State == store.GroupEnded {
			continue
		}
		if g.State == store.GroupLive {
			c.Live++
		}
		link, err := h.groups.Link(ctx, tx, g)
		if err != nil {
			return nil, err
		}
		a, err := store.AreaByID(ctx, tx, g.AreaID)
		if err != nil {
			return nil, err
		}
		row := groupRow{ID: g.ID, Name: g.Name, Kind: g.Kind, Area: areaLabel(a, lang), Size: g.Size, State: g.State,
			Confirmed: day(g.ConfirmedAt), Link: link}
		if l, ok := handles.LanguageOf(g.Language); ok {
			row.Language = languageLabel(l, lang)
		}
		c.Groups = append(c.Groups, row)
	}
	return c, nil
}

func parseGroupForm(v url.Values) groupForm {
	get := func(k string) string {
		s := v.Get(k)
		if len(s) > maxGroupInput {
			s = s[:maxGroupInput]
		}
		return strings.TrimSpace(strings.ToValidUTF8(s, ""))
	}
	return groupForm{Drive: get("drive"), Link: get("link"), AC: get("ac"), Booth: get("booth"), Language: get("language"),
		Size: get("size"), Name: get("name")}
}

// groupsPage is the form registering a group, at the volunteer's work
// area.
func (h *Web) groupsPage(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	d, f, part, ok := h.memberDrive(w, r, person, r.URL.Query().Get("drive"), lang)
	if !ok {
		return
	}
	form := groupForm{Drive: d.Slug}
	err := h.db.View(r.Context(), func(tx *store.Tx) error {
		v, err := store.VolunteerOf(r.Context(), tx, part.ID)
		if err != nil || !v.EndedAt.IsZero() {
			return err
		}
		a, err := store.AreaByID(r.Context(), tx, v.AreaID)
		if err != nil {
			return err
		}
		if form.AC = a.Code; a.Kind == "booth" {
			form.AC, form.Booth = a.Parent, a.Number
		}
		if len(v.Languages) > 0 {
			form.Language = v.Languages[0]
		}
		return nil
	})
	if apperr.CodeOf(err) == apperr.NotFound {
		err = nil
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderGroup(w, r, lang, d, f, form, nil, http.StatusOK)
}

// groupSubmit registers the group; what is wrong is shown beside each
// field with what was typed kept.
func (h *Web) groupSubmit(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	form := parseGroupForm(r.PostForm)
	d, f, _, ok := h.memberDrive(w, r, person, form.Drive, lang)
	if !ok {
		return
	}
	errs, err := h.saveAtArea(r, form.AC, form.Booth, func(tx *store.Tx, area string) error {
		_, err := h.groups.Register(r.Context(), tx, groups.Registration{PersonID: person, DriveID: d.ID, Link: form.Link, Area: area,
			Language: form.Language, Size: form.Size, Name: form.Name, Channel: "web"})
		return err
	}, func(err error) map[string]string {
		var probs groups.Problems
		if errors.As(err, &probs) {
			return groupErrors(probs)
		}
		return nil
	})
	switch {
	case err != nil:
		h.fail(w, r, err)
	case errs != nil:
		h.renderGroup(w, r, lang, d, f, form, errs, http.StatusUnprocessableEntity)
	default:
		http.Redirect(w, r, "/me?done=group&lang="+lang+"#groups-"+d.Slug, http.StatusSeeOther)
	}
}

// groupErrors words Problems as message ids, by the form's fields.
func groupErrors(probs groups.Problems) map[string]string {
	errs := map[string]string{}
	for field, reason := range probs {
		if field == "area" {
			field = "ac"
		}
		errs[field] = "grp.err." + field
		if field == "link" {
			errs[field] = "grp.err.link." + reason
		}
	}
	return errs
}

// groupChange is "still active" (/me/groups/confirm) or, after a
// confirmation, "remove" (/me/groups/remove) for one of the person's own
// groups; anyone else's is not found.
func (h *Web) groupChange(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	id, err := strconv.ParseInt(r.PostFormValue("group"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, apperr.New(apperr.Invalid, "no group"))
		return
	}
	remove := strings.HasSuffix(r.URL.Path, "/remove")
	if remove && r.PostFormValue("confirm") != "yes" {
		h.renderMe(w, r, person, lang, "", map[string]string{"group-" + strconv.FormatInt(id, 10): "err.group.confirm"}, nil, http.StatusUnprocessableEntity)
		return
	}
	err = h.db.Update(r.Context(), func(tx *store.Tx) error {
		var err error
		if remove {
			_, err = h.groups.Remove(r.Context(), tx, person, id)
		} else {
			_, err = h.groups.Confirm(r.Context(), tx, person, id)
		}
		return err
	})
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		h.message(w, r, lang, http.StatusNotFound, "unknown")
	case err != nil:
		h.fail(w, r, err)
	case remove:
		http.Redirect(w, r, "/me?done=group_removed&lang="+lang, http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/me?done=group_confirmed&lang="+lang, http.StatusSeeOther)
	}
}

func (h *Web) renderGroup(w http.ResponseWriter, r *http.Request, lang string, d store.Drive, f drive.File, form groupForm,
	errs map[string]string, status int) {
	acs, districts, err := h.areaChoices(r.Context(), f.RootArea)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	gp := groupPage{page: newPage(r, lang), Drive: f.NameIn(lang), Slug: d.Slug, Errors: errs, Form: form,
		ACGroups: acGroups(acs, districts, lang, "", form.AC)}
	gp.Title = gp.T("grp.title", "Drive", gp.Drive)
	gp.SwitchURL = "/me/groups?" + url.Values{"drive": {d.Slug}, "lang": {locale.Other(lang)}}.Encode()
	for _, l := range handles.Languages {
		gp.Languages = append(gp.Languages, option{Code: l.Code, Label: languageLabel(l, lang), Selected: l.Code == form.Language})
	}
	for _, s := range groups.Sizes {
		gp.Sizes = append(gp.Sizes, option{Code: s, Label: s, Selected: s == form.Size})
	}
	h.render(w, r, status, "group", gp)
}

// driveExtra is, for one of the person's drives on /me, their groups there
// (when they volunteer) and the wa.me link sharing their referral code.
type driveExtra struct {
	groups   *groupsCard
	whatsApp string
}

// driveExtras are the person's drive extras by participation.
func (h *Web) driveExtras(ctx context.Context, tx *store.Tx, d people.Data, cards map[int64]*volunteerCard, refCode, lang string) (map[int64]driveExtra, error) {
	out := map[int64]driveExtra{}
	for _, pt := range d.Participations {
		dr, err := store.DriveIn(ctx, tx, pt.DriveID)
		if err != nil {
			return nil, err
		}
		f, err := drive.Open(dr.File)
		if err != nil {
			return nil, err
		}
		var x driveExtra
		if cards[pt.ID] != nil {
			if x.groups, err = h.groupsCardOf(ctx, tx, d.Person.ID, pt, f, lang); err != nil {
				return nil, err
			}
		}
		if refCode != "" && !pt.RegisteredAt.IsZero() {
			for _, ch := range f.Channels {
				if ch.Kind == "whatsapp" && !ch.Off && x.whatsApp == "" {
					x.whatsApp = waJoin(ch.Number, refCode)
				}
			}
		}
		out[pt.ID] = x
	}
	return out, nil
}
