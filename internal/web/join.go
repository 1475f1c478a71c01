package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
)

// NoticeVersion names the consent notices the join form shows (the texts
// notice.* in locales/, both languages); it is stored with each consent.
// Change it whenever a notice's wording changes, not only its meaning, so
// the version names the exact text the person saw (docs/registration.md,
// "Notice versions").
const NoticeVersion = "web-2026-12-marks"

// joinForm is what the person answered, kept to re-render the form.
type joinForm struct {
	ConsentMembership, ConsentWhatsApp, ConsentSMS bool
	Age                                            string // "yes", "no" or ""
	Name                                           string
	District, AC, Booth                            string // area codes
	Lat, Lon                                       string
	Locate                                         bool // the "use my location" button posted
	BoothOffered                                   bool // the AC's booths were shown (the booth is optional)
}

func readJoinForm(r *http.Request) joinForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return joinForm{
		ConsentMembership: v("consent_membership") == "yes", ConsentWhatsApp: v("consent_whatsapp") == "yes",
		ConsentSMS: v("consent_sms") == "yes", Age: v("age18"), Name: cleanName(v("name")),
		District: v("district"), AC: v("ac"), Booth: v("booth"), Lat: v("lat"), Lon: v("lon"), Locate: v("locate") == "1",
		BoothOffered: v("booth_offered") == "1",
	}
}

// cleanName folds runs of spaces and drops control characters.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

type joinPage struct {
	page
	Drive     string
	Action    string
	Form      joinForm
	Errors    map[string]string // field → message id
	Located   string            // the AC a location resolved to
	Districts []option
	ACGroups  []acGroup
	Booths    []option // the chosen AC's booths, when it has any
}

type joinedPage struct {
	page
	Drive, Name, Number, Area, CardURL string
	MeURL                              string // the next step: the member's own page, when sign-in is on
}

// joinContext is what a registration link leads to.
type joinContext struct {
	link   store.JoinLink
	drive  store.Drive
	file   drive.File
	status int // http.StatusOK, or the error page's status
	kind   string
}

// resolve finds the link of r's token and its drive; kind says which page
// a link that cannot be used gets ("ended", "expired", "unknown").
func (h *Web) resolve(ctx context.Context, token string) (joinContext, error) {
	var jc joinContext
	l, err := h.db.ResolveToken(ctx, h.links.TokenHash(token))
	switch {
	case errors.Is(err, store.ErrLinkEnded):
		return joinContext{status: http.StatusGone, kind: "ended"}, nil
	case errors.Is(err, store.ErrLinkExpired):
		jc = joinContext{status: http.StatusGone, kind: "expired"}
		if d, err := h.db.DriveByID(ctx, l.DriveID); err == nil {
			jc.drive = d // its join page offers a new link
		}
		return jc, nil
	case apperr.CodeOf(err) == apperr.NotFound:
		return joinContext{status: http.StatusNotFound, kind: "unknown"}, nil
	case err != nil:
		return jc, err
	}
	jc.link, jc.status = l, http.StatusOK
	if jc.drive, err = h.db.DriveByID(ctx, l.DriveID); err != nil {
		return jc, err
	}
	if jc.file, err = drive.Open(jc.drive.File); err != nil {
		return jc, err
	}
	return jc, nil
}

// openLink resolves the request's token and the page language; when the
// link cannot be used it has answered with why, and ok is false.
func (h *Web) openLink(w http.ResponseWriter, r *http.Request) (jc joinContext, lang string, ok bool) {
	jc, err := h.resolve(r.Context(), r.PathValue("token"))
	if err != nil {
		h.fail(w, r, err)
		return jc, "", false
	}
	lang = pageLang(w, r, jc.file.Lang(), h.secure)
	if jc.status != http.StatusOK {
		h.messageRetry(w, r, lang, jc.status, jc.kind, jc.drive.Slug)
		return jc, lang, false
	}
	return jc, lang, true
}

// join serves the registration link: the form, or the member's page once
// they have registered through it, or why the link cannot be used.
func (h *Web) join(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	jc, lang, ok := h.openLink(w, r)
	if !ok {
		return
	}
	if !jc.link.TokenUsedAt.IsZero() {
		h.joined(w, r, lang, jc)
		return
	}
	var form joinForm
	err := h.db.View(ctx, func(tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, jc.link.PersonID)
		if err != nil {
			return err
		}
		form.Name = p.Name
		if p.AreaID != 0 {
			form.AC = h.acCodeOf(ctx, tx, p.AreaID)
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.joinForm(w, r, lang, jc, form, nil, "", http.StatusOK)
}

func (h *Web) joinForm(w http.ResponseWriter, r *http.Request, lang string, jc joinContext, form joinForm, errs map[string]string, located string, status int) {
	p := newPage(r, lang)
	label := jc.file.NameIn(lang)
	jp := joinPage{page: p, Drive: label, Action: r.URL.Path, Form: form, Errors: errs, Located: located}
	jp.Title = p.T("join.title", "Drive", label)
	acs, districts, err := h.areaChoices(r.Context(), jc.drive.RootArea)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, d := range districts {
		jp.Districts = append(jp.Districts, option{Code: d.Code, Label: areaLabel(d, lang), Selected: d.Code == form.District})
	}
	jp.ACGroups = acGroups(acs, districts, lang, form.District, form.AC)
	if form.BoothOffered && form.AC != "" {
		booths, err := h.db.Descendants(r.Context(), form.AC, "booth")
		if err != nil {
			h.fail(w, r, err)
			return
		}
		sortByNumber(booths)
		for _, b := range booths {
			jp.Booths = append(jp.Booths, option{Code: b.Code, Label: b.Number + " · " + areaLabel(b, lang), Selected: b.Code == form.Booth})
		}
	}
	h.render(w, r, status, "join", jp)
}

// validate checks the answers in the form's order and returns the
// message id of each problem by field, and the chosen AC.
func (h *Web) validate(ctx context.Context, root string, f joinForm) (map[string]string, store.Area, error) {
	errs := map[string]string{}
	if !f.ConsentMembership {
		errs["consent"] = "err.consent"
	}
	if f.Age != "yes" && f.Age != "no" {
		errs["age"] = "err.age"
	}
	if f.Age == "no" && f.ConsentMembership {
		return errs, store.Area{}, nil // under 18: nothing more is asked
	}
	if n := utf8.RuneCountInString(f.Name); n < 2 || n > names.MaxLen || !strings.ContainsFunc(f.Name, unicode.IsLetter) {
		errs["name"] = "err.name"
	} else if names.HasHidden(f.Name) {
		errs["name"] = "err.name.hidden"
	}
	acs, _, err := h.areaChoices(ctx, root)
	if err != nil {
		return nil, store.Area{}, err
	}
	i := slices.IndexFunc(acs, func(a store.Area) bool { return a.Code == f.AC })
	switch {
	case i < 0:
		errs["ac"] = "err.ac"
	case f.District != "" && acs[i].District != f.District:
		errs["ac"] = "err.ac_district"
	default:
		return errs, acs[i], nil
	}
	return errs, store.Area{}, nil
}

// submit handles the form: a location asked for re-renders it with the AC
// found; problems re-render it with the answers and messages; an under-18
// answer ends the lead; otherwise the person is registered and verified.
func (h *Web) submit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, apperr.New(apperr.Invalid, "unreadable form"))
		return
	}
	token := r.PathValue("token")
	jc, lang, ok := h.openLink(w, r)
	if !ok {
		return
	}
	form := readJoinForm(r)
	if form.Locate {
		form.Locate = false
		ac, ok := h.locate(ctx, jc.drive.RootArea, form)
		if !ok {
			h.joinForm(w, r, lang, jc, form, map[string]string{"ac": "err.location"}, "", http.StatusUnprocessableEntity)
			return
		}
		form.AC, form.District = ac.Code, ac.District
		h.joinForm(w, r, lang, jc, form, nil, areaLabel(ac, lang), http.StatusOK)
		return
	}
	errs, ac, err := h.validate(ctx, jc.drive.RootArea, form)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(errs) > 0 {
		h.joinForm(w, r, lang, jc, form, errs, "", http.StatusUnprocessableEntity)
		return
	}
	if form.Age == "no" {
		if err := h.refuseUnder18(ctx, token); err != nil {
			h.fail(w, r, err)
			return
		}
		h.message(w, r, lang, http.StatusOK, "under18")
		return
	}
	area, offer, err := h.boothStep(ctx, form, ac)
	switch {
	case err != nil:
		h.fail(w, r, err)
		return
	case offer != "":
		form.BoothOffered = true
		var errs map[string]string
		status := http.StatusOK
		if offer == "err.booth" {
			errs, status = map[string]string{"booth": offer}, http.StatusUnprocessableEntity
		}
		h.joinForm(w, r, lang, jc, form, errs, "", status)
		return
	}
	mark := store.RegistrationMark{ParticipationID: jc.link.ParticipationID, DriveID: jc.drive.ID, Network: network(h.clientIP(r)),
		Device: h.device(w, r)}
	if err := h.register(ctx, token, jc, form, area, lang, mark); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, r.URL.Path+"?lang="+lang, http.StatusSeeOther)
}

// boothStep picks the area to register at: the AC, or one of its booths.
// An AC with booths whose list has not been shown yet gets it shown first
// (offer "join.booth.prompt"; the booth stays optional), and a booth that
// is not the AC's is an error to correct (offer "err.booth").
func (h *Web) boothStep(ctx context.Context, f joinForm, ac store.Area) (area store.Area, offer string, err error) {
	if f.Booth == "" && f.BoothOffered {
		return ac, "", nil
	}
	booths, err := h.db.Descendants(ctx, ac.Code, "booth")
	if err != nil {
		return store.Area{}, "", err
	}
	if f.Booth == "" {
		if len(booths) == 0 {
			return ac, "", nil
		}
		return store.Area{}, "join.booth.prompt", nil
	}
	if i := slices.IndexFunc(booths, func(b store.Area) bool { return b.Code == f.Booth }); i >= 0 {
		return booths[i], "", nil
	}
	return store.Area{}, "err.booth", nil
}

// refuseUnder18 ends an under-18 lead (people.RefuseByLink): the link is
// used up, the person's data erased everywhere, and only a keyed hash of
// the phone kept so they are not contacted or recreated.
func (h *Web) refuseUnder18(ctx context.Context, token string) error {
	return h.db.Update(ctx, func(tx *store.Tx) error { return h.people.RefuseByLink(ctx, tx, token) })
}

// register makes the link's person a registered, verified member
// (people.RegisterByLink), and records where the registration came from
// (mark), in one transaction. A second submission of the same form finds
// the link used and changes nothing.
func (h *Web) register(ctx context.Context, token string, jc joinContext, f joinForm, ac store.Area, lang string, mark store.RegistrationMark) error {
	grants := []string{store.PurposeMembership}
	if f.ConsentWhatsApp {
		grants = append(grants, store.PurposeWhatsApp)
	}
	if f.ConsentSMS {
		grants = append(grants, store.PurposeSMS)
	}
	return h.db.Update(ctx, func(tx *store.Tx) error {
		err := h.people.RegisterByLink(ctx, tx, token, people.Registration{Name: f.Name, Language: lang, AreaID: ac.ID,
			Consents: grants, NoticeVersion: NoticeVersion, Channel: "web", Day: jc.file.Day(tx.Now)})
		if err != nil {
			return err
		}
		return store.MarkRegistration(ctx, tx, mark)
	})
}
