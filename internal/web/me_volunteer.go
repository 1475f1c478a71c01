package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// VolunteerNoticeVersion names the volunteer notice /me/volunteer shows, in
// both languages (docs/registration.md lists the versions).
const VolunteerNoticeVersion = "web-volunteer-2026-12"

// volunteerForm is what /me/volunteer posts: the drive, the notice agreed
// to, where they will work (an AC and, optionally, a booth of it by code or
// number), their languages and one handle per platform (empty: none).
type volunteerForm struct {
	Drive     string
	Agreed    bool
	AC, Booth string
	Languages []string
	Handles   map[string]string
}

// maxHandleInput bounds what is kept of a typed handle, so a re-rendered
// page stays small; handles.Normalise refuses anything this long anyway.
const maxHandleInput = 300

// parseVolunteerForm reads the posted form; unknown platforms and
// languages are dropped here, each language once.
func parseVolunteerForm(v url.Values) volunteerForm {
	f := volunteerForm{Drive: strings.TrimSpace(v.Get("drive")), Agreed: v.Get("consent_volunteer") == "yes",
		AC: strings.TrimSpace(v.Get("ac")), Booth: strings.TrimSpace(v.Get("booth")), Handles: map[string]string{}}
	for _, l := range handles.Languages {
		if slices.Contains(v["language"], l.Code) {
			f.Languages = append(f.Languages, l.Code)
		}
	}
	for _, p := range handles.Platforms {
		h := v.Get("handle." + p.Code)
		if len(h) > maxHandleInput {
			h = h[:maxHandleInput]
		}
		if h = strings.TrimSpace(strings.ToValidUTF8(h, "")); h != "" {
			f.Handles[p.Code] = h
		}
	}
	return f
}

// languageBox is one language checkbox.
type languageBox struct {
	Code, Label string
	Checked     bool
}

// handleBox is one platform's handle input.
type handleBox struct {
	Code, Name, Value, Error string
}

type volunteerPage struct {
	page
	Drive, Slug string
	Errors      map[string]string
	Form        volunteerForm
	ACGroups    []acGroup
	Languages   []languageBox
	Handles     []handleBox
	Change      bool // a volunteer already: the page changes what they gave
}

func (h *Web) volunteerRoutes(mux *server.Mux, post func(http.HandlerFunc) http.Handler) {
	mux.HandleFunc("GET /me/volunteer", h.volunteer)
	mux.Handle("POST /me/volunteer", post(h.volunteerSubmit))
}

// memberDrive is the drive slug names, and the person's participation in
// it; a drive they are no member of gets a page saying so (ok false).
func (h *Web) memberDrive(w http.ResponseWriter, r *http.Request, person int64, slug, lang string) (store.Drive, drive.File, store.Participation, bool) {
	var f drive.File
	var part store.Participation
	d, err := h.db.DriveBySlug(r.Context(), slug)
	if err == nil {
		f, err = drive.Open(d.File)
	}
	if err == nil {
		err = h.db.View(r.Context(), func(tx *store.Tx) error {
			part, err = store.FindParticipation(r.Context(), tx, person, d.ID)
			return err
		})
	}
	switch {
	case apperr.CodeOf(err) == apperr.NotFound || (err == nil && part.RegisteredAt.IsZero()):
		h.message(w, r, lang, http.StatusForbidden, "notmember")
		return d, f, part, false
	case err != nil:
		h.fail(w, r, err)
		return d, f, part, false
	}
	return d, f, part, true
}

// volunteer shows the volunteer notice and form; a volunteer gets what
// they gave, to change it.
func (h *Web) volunteer(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	d, f, part, ok := h.memberDrive(w, r, person, r.URL.Query().Get("drive"), lang)
	if !ok {
		return
	}
	form, change, err := h.volunteerGiven(r, person, d, part)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderVolunteer(w, r, lang, d, f, form, change, nil, http.StatusOK)
}

// volunteerGiven is the form as the person filled it last (a volunteer),
// or a new one at their member AC.
func (h *Web) volunteerGiven(r *http.Request, person int64, d store.Drive, part store.Participation) (volunteerForm, bool, error) {
	ctx := r.Context()
	form := volunteerForm{Drive: d.Slug, Handles: map[string]string{}}
	var change bool
	err := h.db.View(ctx, func(tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, person)
		if err != nil {
			return err
		}
		form.AC = h.acCodeOf(ctx, tx, p.AreaID)
		v, err := store.VolunteerOf(ctx, tx, part.ID)
		if apperr.CodeOf(err) == apperr.NotFound || (err == nil && !v.EndedAt.IsZero()) {
			return nil
		} else if err != nil {
			return err
		}
		change, form.Agreed, form.Languages = true, true, v.Languages
		a, err := store.AreaByID(ctx, tx, v.AreaID)
		if err != nil {
			return err
		}
		if form.AC = a.Code; a.Kind == "booth" {
			form.AC, form.Booth = a.Parent, a.Number
		}
		hs, err := store.Handles(ctx, tx, person)
		for _, hd := range hs {
			form.Handles[hd.Platform] = hd.Handle
		}
		return err
	})
	return form, change, err
}

// volunteerSubmit makes the person a volunteer of the drive, or changes
// what they gave; what is wrong is shown beside each field, with what they
// typed kept.
func (h *Web) volunteerSubmit(w http.ResponseWriter, r *http.Request) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	form := parseVolunteerForm(r.PostForm)
	d, f, _, ok := h.memberDrive(w, r, person, form.Drive, lang)
	if !ok {
		return
	}
	errs, err := h.saveAtArea(r, form.AC, form.Booth, func(tx *store.Tx, area string) error {
		_, err := h.people.Volunteer(r.Context(), tx, people.Volunteering{PersonID: person, DriveID: d.ID, Agreed: form.Agreed,
			Area: area, Languages: form.Languages, Handles: form.Handles, NoticeVersion: VolunteerNoticeVersion, Language: lang,
			Channel: "web", Evidence: "me"})
		return err
	}, func(err error) map[string]string {
		var probs people.Problems
		if errors.As(err, &probs) {
			return volunteerErrors(probs)
		}
		return nil
	})
	switch {
	case err != nil:
		h.fail(w, r, err)
	case errs != nil:
		h.renderVolunteer(w, r, lang, d, f, form, r.PostFormValue("change") == "1", errs, http.StatusUnprocessableEntity)
	default:
		http.Redirect(w, r, "/me?done=volunteer&lang="+lang, http.StatusSeeOther)
	}
}

// saveAtArea runs save, in one transaction, with the area the form's AC
// and booth name, and returns what to show beside each field: a booth not
// in the AC, and the problems words finds in save's error, all at once (a
// wrong booth undoes what save did, the rest being checked at the AC).
func (h *Web) saveAtArea(r *http.Request, ac, booth string, save func(tx *store.Tx, area string) error,
	words func(error) map[string]string) (map[string]string, error) {
	area, errs, err := h.workArea(r, volunteerForm{AC: ac, Booth: booth})
	if err != nil {
		return nil, err
	}
	err = h.db.Update(r.Context(), func(tx *store.Tx) error {
		err := save(tx, area)
		if err == nil && errs != nil {
			return errBoothRefused // so that nothing stays
		}
		return err
	})
	if probs := words(err); probs != nil {
		return merge(errs, probs), nil
	}
	if errors.Is(err, errBoothRefused) {
		err = nil
	}
	return errs, err
}

// errBoothRefused undoes a volunteering whose booth is wrong: the rest of
// the form is checked with the AC, so that every problem shows at once.
var errBoothRefused = errors.New("web: the booth is not the AC's")

// merge is a's messages and b's.
func merge(a, b map[string]string) map[string]string {
	if a == nil {
		return b
	}
	maps.Copy(a, b)
	return a
}

// workArea is the code of the area the form names: the AC, or its booth
// given by code or number; a booth not in the AC is an error to correct
// (and the AC is the area checked meanwhile).
func (h *Web) workArea(r *http.Request, f volunteerForm) (string, map[string]string, error) {
	if f.Booth == "" || f.AC == "" {
		return f.AC, nil, nil
	}
	booths, err := h.db.Descendants(r.Context(), f.AC, "booth")
	if err != nil {
		return "", nil, err
	}
	i := slices.IndexFunc(booths, func(b store.Area) bool {
		return strings.EqualFold(b.Code, f.Booth) || strings.EqualFold(b.Number, f.Booth)
	})
	if i < 0 {
		return f.AC, map[string]string{"booth": "err.booth"}, nil
	}
	return booths[i].Code, nil, nil
}

// volunteerErrors words Problems as message ids, by the form's fields.
func volunteerErrors(probs people.Problems) map[string]string {
	errs := map[string]string{}
	for field, reason := range probs {
		switch {
		case strings.HasPrefix(field, "handle."):
			errs[field] = "vol.err.handle." + reason
		case field == "area":
			errs["ac"] = "err.ac"
		default:
			errs[field] = "vol.err." + field + "." + reason
		}
	}
	return errs
}

func (h *Web) renderVolunteer(w http.ResponseWriter, r *http.Request, lang string, d store.Drive, f drive.File, form volunteerForm, change bool,
	errs map[string]string, status int) {
	acs, districts, err := h.areaChoices(r.Context(), f.RootArea)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	vp := volunteerPage{page: newPage(r, lang), Drive: f.NameIn(lang), Slug: d.Slug, Errors: errs, Form: form, Change: change,
		ACGroups: acGroups(acs, districts, lang, "", form.AC)}
	vp.Title = vp.T("vol.title", "Drive", vp.Drive)
	vp.SwitchURL = "/me/volunteer?" + url.Values{"drive": {d.Slug}, "lang": {locale.Other(lang)}}.Encode()
	for _, l := range handles.Languages {
		vp.Languages = append(vp.Languages, languageBox{Code: l.Code, Label: languageLabel(l, lang), Checked: slices.Contains(form.Languages, l.Code)})
	}
	for _, p := range handles.Platforms {
		vp.Handles = append(vp.Handles, handleBox{Code: p.Code, Name: p.Name, Value: form.Handles[p.Code], Error: errs["handle."+p.Code]})
	}
	h.render(w, r, status, "volunteer", vp)
}

// languageLabel is a language's name in the page's language, with its own
// name beside it when that differs.
func languageLabel(l handles.Language, lang string) string {
	name := l.English
	if lang == "hi" {
		name = l.Hindi
	}
	if l.Native != name && l.Code != "other" {
		name += " (" + l.Native + ")"
	}
	return name
}
