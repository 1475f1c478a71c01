package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/enrol"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/server"
)

// A volunteer enrolling someone at their door (package enrol): the
// member's number (and, optionally, name and AC) → a code to the member's
// phone → the code the member gives → a member, enrolled by the
// volunteer. The number stays in the volunteer's form, not in Jodo, until
// the member agrees.

// enrolPage is one step of an enrolment: "form", "code" or "done".
type enrolPage struct {
	page
	Drive, Slug string
	Step        string
	Form        enrol.Form
	ID          int64  // the enrolment waiting for its code
	Masked      string // the member's number, masked, on the code step
	Errors      map[string]string
	ACGroups    []acGroup
}

// maxEnrolInput bounds what is kept of a typed field.
const maxEnrolInput = 200

func (h *Web) enrolRoutes(mux *server.Mux, post func(http.HandlerFunc) http.Handler) {
	mux.HandleFunc("GET /enrol/notice", h.enrolNotice)
	if h.enrol == nil {
		return
	}
	mux.HandleFunc("GET /me/enrol", h.enrolPage)
	mux.Handle("POST /me/enrol", post(h.enrolStart))
	mux.Handle("POST /me/enrol/confirm", post(h.enrolConfirm))
}

func parseEnrolForm(v url.Values) enrol.Form {
	get := func(k string) string {
		s := v.Get(k)
		if len(s) > maxEnrolInput {
			s = s[:maxEnrolInput]
		}
		return strings.TrimSpace(strings.ToValidUTF8(s, ""))
	}
	return enrol.Form{Phone: get("phone"), Name: get("name"), AC: get("ac")}
}

// enrolRefusals words each refusal: the field it is about ("" for the
// page), its message id and the HTTP status.
var enrolRefusals = []struct {
	err           error
	field, msg    string
	status        int
	backToTheForm bool // on the code step: start again
}{
	{enrol.ErrNotVolunteer, "", "enrol.err.notvolunteer", http.StatusForbidden, true},
	{enrol.ErrPhone, "phone", "enrol.err.phone", http.StatusUnprocessableEntity, true},
	{enrol.ErrOwnNumber, "phone", "enrol.err.own", http.StatusUnprocessableEntity, true},
	{people.ErrAlreadyMember, "phone", "enrol.err.member", http.StatusConflict, true},
	{people.ErrRefusedNumber, "phone", "enrol.err.refused", http.StatusUnprocessableEntity, true},
	{enrol.ErrName, "name", "enrol.err.name", http.StatusUnprocessableEntity, true},
	{enrol.ErrArea, "ac", "enrol.err.ac", http.StatusUnprocessableEntity, true},
	{enrol.ErrHour, "", "enrol.err.hour", http.StatusTooManyRequests, true},
	{enrol.ErrDay, "", "enrol.err.day", http.StatusTooManyRequests, true},
	{enrol.ErrNumberDay, "phone", "enrol.err.numberday", http.StatusTooManyRequests, true},
	{enrol.ErrNoSMS, "", "enrol.err.nosms", http.StatusServiceUnavailable, true},
	{enrol.ErrCodeWrong, "code", "enrol.err.code", http.StatusUnprocessableEntity, false},
	{enrol.ErrCodeTries, "", "enrol.err.tries", http.StatusTooManyRequests, true},
	{enrol.ErrCodeExpired, "", "enrol.err.expired", http.StatusUnprocessableEntity, true},
}

// enrolPage is the form: who to enrol in the drive.
func (h *Web) enrolPage(w http.ResponseWriter, r *http.Request) {
	h.enrolStep(w, r, "form", 0, enrol.Form{}, nil)
}

// enrolStart sends the member the code and asks for it.
func (h *Web) enrolStart(w http.ResponseWriter, r *http.Request) {
	form := parseEnrolForm(r.PostForm)
	h.enrolStep(w, r, "code", 0, form, func(person, drive int64, lang string) (int64, error) {
		return h.enrol.Start(r.Context(), person, drive, form, lang)
	})
}

// enrolConfirm checks the code the member gave and registers them.
func (h *Web) enrolConfirm(w http.ResponseWriter, r *http.Request) {
	form := parseEnrolForm(r.PostForm)
	id, _ := strconv.ParseInt(r.PostFormValue("enrolment"), 10, 64)
	h.enrolStep(w, r, "done", id, form, func(person, drive int64, lang string) (int64, error) {
		_, refused, err := h.enrol.Confirm(r.Context(), person, drive, id, form, r.PostFormValue("code"), lang)
		if err == nil {
			err = refused
		}
		return id, err
	})
}

// enrolStep signs the volunteer in, finds the drive, runs act (nil: only
// show the form) and shows step, or the step the refusal sends them back
// to, with what they typed.
func (h *Web) enrolStep(w http.ResponseWriter, r *http.Request, step string, id int64, form enrol.Form,
	act func(person, drive int64, lang string) (int64, error)) {
	person, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	lang := pageLang(w, r, "hi", h.secure)
	slug := r.URL.Query().Get("drive")
	if r.Method == http.MethodPost {
		slug = r.PostFormValue("drive")
	}
	d, f, _, ok := h.memberDrive(w, r, person, slug, lang)
	if !ok {
		return
	}
	status := http.StatusOK
	var errs map[string]string
	if act != nil {
		var err error
		if id, err = act(person, d.ID, lang); err != nil {
			i := refusalOf(err)
			if i < 0 {
				h.fail(w, r, err)
				return
			}
			ref := enrolRefusals[i]
			errs, status = map[string]string{cmpField(ref.field): ref.msg}, ref.status
			switch {
			case ref.backToTheForm:
				step = "form"
			case step == "done":
				step = "code"
			}
		}
	}
	acs, districts, err := h.areaChoices(r.Context(), f.RootArea)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := enrolPage{page: newPage(r, lang), Drive: f.NameIn(lang), Slug: d.Slug, Step: step, Form: form, ID: id, Errors: errs,
		ACGroups: acGroups(acs, districts, lang, "", strings.ToUpper(form.AC))}
	if num, err := phone.Normalize(form.Phone); err == nil {
		p.Masked = phone.Mask(num)
	}
	p.Title = p.T("enrol.title", "Drive", p.Drive)
	p.SwitchURL = "/me/enrol?" + url.Values{"drive": {d.Slug}, "lang": {locale.Other(lang)}}.Encode()
	h.render(w, r, status, "enrol", p)
}

// refusalOf is err's place in enrolRefusals, -1 when it is none of them.
func refusalOf(err error) int {
	for i, ref := range enrolRefusals {
		if errors.Is(err, ref.err) {
			return i
		}
	}
	return -1
}

// cmpField is a refusal's field, "page" for the page's.
func cmpField(field string) string {
	if field == "" {
		return "page"
	}
	return field
}

// enrolNotice is the notice the enrolment SMS links to, public: what
// giving the code agrees to.
func (h *Web) enrolNotice(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r, "hi", h.secure)
	p := newPage(r, lang)
	p.Title = p.T("enrol.notice.title")
	h.render(w, r, http.StatusOK, "enrol_notice", struct {
		page
		Version string
	}{p, enrol.NoticeVersion})
}
