package console

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/requests"
	"github.com/jodo-org/jodo/internal/store"
)

// requestsView is the person's page's part for staff handling the
// person's requests (people.requests): correcting their details, the
// requests recorded for them and the forms to record and confirm one.
type requestsView struct {
	CanHandle, CanIdentity bool
	Done                   string // the notice of what was just done
	Error                  string // the locale key of why a form was refused
	Form                   requestForm
	ACs                    []option
	Kinds, Channels        []option
	CorrectChannels        []option // how the correction's request came
	Checks                 []option
	Requests               []requestRow
}

// requestForm is what was typed into the forms.
type requestForm struct {
	Name, AC, CorrectChannel, Kind, Channel, Check, Note string
}

type requestRow struct {
	ID                               int64
	Kind, Channel, State, Role, When string
	Identity                         string // what was checked instead of a code
	Open                             bool   // waiting for its code
}

// requestErrors are the domain's refusals the forms say in the asker's
// language.
var requestErrors = map[error]string{
	requests.ErrKind: "requests.err.kind", requests.ErrNoPhone: "requests.err.nophone", requests.ErrNoCheck: "requests.err.check",
	requests.ErrNoSMS: "requests.err.nosms", requests.ErrHasPhone: "requests.err.hasphone", requests.ErrTooManyDay: "requests.err.toomanyday", requests.ErrCodeWrong: "requests.err.wrong", requests.ErrCodeTries: "requests.err.locked",
	requests.ErrCodeExpired: "requests.err.expired", requests.ErrName: "requests.err.name", requests.ErrArea: "requests.err.area", requests.ErrTooMany: "requests.err.toomany",
}

// requestsOf fills the person's page's requests part for the asker. The
// identity check is offered only for a person with no phone (a person
// with one gets a code), and a request whose code has run out shows as
// expired, with no form for it.
func (c *Console) requestsOf(ctx context.Context, a asker, t tr, p directory.Person, done string, form *requestForm) (requestsView, error) {
	v := requestsView{CanHandle: a.actor.Can(access.PeopleRequests), CanIdentity: a.actor.Can(access.PeopleIdentity) && len(p.Phones) == 0}
	if !v.CanHandle {
		return v, nil
	}
	if slices.Contains([]string{"corrected", "code_sent", "request_done"}, done) {
		v.Done = done
	}
	var rows []store.PersonRequest
	var home string
	var now time.Time
	err := c.db.View(ctx, func(tx *store.Tx) error {
		now = tx.Now
		var err error
		if rows, err = store.PersonRequests(ctx, tx, p.ID); err != nil {
			return err
		}
		person, err := store.GetPerson(ctx, tx, p.ID)
		if err == nil && person.AreaID != 0 {
			area, err := store.AreaByID(ctx, tx, person.AreaID)
			home = area.Code
			return err
		}
		return err
	})
	if err != nil {
		return v, err
	}
	v.Form = requestForm{Name: p.Name, AC: home}
	if form != nil {
		v.Form = *form
	}
	if v.ACs, err = c.acChoices(ctx, a, v.Form.AC); err != nil {
		return v, err
	}
	for _, k := range requests.Kinds {
		v.Kinds = append(v.Kinds, option{Value: k, Label: t.T("requests.kind." + k), Selected: k == v.Form.Kind})
	}
	for _, ch := range requests.Channels {
		v.Channels = append(v.Channels, option{Value: ch, Label: t.T("requests.channel." + ch), Selected: ch == v.Form.Channel})
		v.CorrectChannels = append(v.CorrectChannels, option{Value: ch, Label: t.T("requests.channel." + ch), Selected: ch == v.Form.CorrectChannel})
	}
	for _, ck := range requests.IdentityChecks {
		v.Checks = append(v.Checks, option{Value: ck, Label: t.T("requests.check." + ck), Selected: ck == v.Form.Check})
	}
	for _, r := range rows {
		state := r.StateAt(now)
		row := requestRow{ID: r.ID, Kind: t.T("requests.kind." + r.Kind), Channel: t.T("requests.channel." + r.Channel),
			State: t.T("requests.state." + state), Role: t.T("role." + r.ActorRole), When: when(r.CreatedAt), Open: state == store.RequestCodeSent}
		if r.IdentityCheck != "" {
			row.Identity = t.T("requests.check." + r.IdentityCheck)
		}
		v.Requests = append(v.Requests, row)
	}
	return v, nil
}

// acChoices are the live ACs in the asker's people.requests scope.
func (c *Console) acChoices(ctx context.Context, a asker, selected string) ([]option, error) {
	var out []option
	seen := map[string]bool{}
	for _, s := range a.actor.Scope(access.PeopleRequests) {
		acs := []store.Area{s}
		if s.Kind != "ac" {
			var err error
			if acs, err = c.db.Descendants(ctx, s.Code, "ac"); err != nil {
				return nil, err
			}
		}
		for _, ac := range acs {
			if !seen[ac.Code] && !ac.Retired {
				seen[ac.Code] = true
				out = append(out, option{Value: ac.Code, Label: areaLabel(ac, a.lang), Selected: ac.Code == selected})
			}
		}
	}
	return out, nil
}

// refuseRequest shows the person's page again with why a form was refused
// (422; 429 for a locked request), keeping what was typed; another error
// is the usual page.
func (c *Console) refuseRequest(w http.ResponseWriter, r *http.Request, a asker, id int64, err error, form requestForm) {
	key, ok := "", false
	for e, k := range requestErrors {
		if errors.Is(err, e) {
			key, ok = k, true
		}
	}
	if !ok {
		c.fail(w, r, a, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if apperr.CodeOf(err) == apperr.RateLimited {
		status = http.StatusTooManyRequests
	}
	c.renderPersonWith(w, r, a, status, reveal{PersonID: id}, requestState{Error: key, Form: &form})
}

// correctPerson corrects a person's name and area at their request
// (requests.Correct).
func (c *Console) correctPerson(w http.ResponseWriter, r *http.Request, a asker) {
	id, err := personID(r)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	form := requestForm{Name: r.PostFormValue("name"), AC: r.PostFormValue("ac"), CorrectChannel: r.PostFormValue("channel")}
	if err := c.requests.Correct(r.Context(), a.actor, id, form.Name, form.AC, form.CorrectChannel); err != nil {
		c.refuseRequest(w, r, a, id, err, form)
		return
	}
	http.Redirect(w, r, doneAt("", id, "corrected"), http.StatusSeeOther)
}

// recordRequest records a request the person made offline: a code goes
// to their phone, or an admin's identity check carries it out at once.
func (c *Console) recordRequest(w http.ResponseWriter, r *http.Request, a asker) {
	id, err := personID(r)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	form := requestForm{Kind: r.PostFormValue("kind"), Channel: r.PostFormValue("channel"), Check: r.PostFormValue("check"), Note: r.PostFormValue("note")}
	req := requests.Request{PersonID: id, Kind: form.Kind, Channel: form.Channel, IdentityCheck: form.Check, IdentityNote: form.Note}
	if _, err := c.requests.Record(r.Context(), a.actor, req); err != nil {
		c.refuseRequest(w, r, a, id, err, form)
		return
	}
	if form.Check == "" {
		http.Redirect(w, r, doneAt("", id, "code_sent"), http.StatusSeeOther)
		return
	}
	c.carriedOut(w, r, a, id, form.Kind)
}

// carriedOut answers a request of kind carried out: back to the person's
// page with a notice, or, after an erasure, when there is no page of the
// person left to go back to, a message saying it is done.
func (c *Console) carriedOut(w http.ResponseWriter, r *http.Request, a asker, id int64, kind string) {
	if kind == requests.KindErase {
		c.message(w, r, a, http.StatusOK, "request.erased")
		return
	}
	http.Redirect(w, r, doneAt("", id, "request_done"), http.StatusSeeOther)
}

// confirmRequest takes the code the person read back and, when it is
// right, carries their request out.
func (c *Console) confirmRequest(w http.ResponseWriter, r *http.Request, a asker) {
	id, err := personID(r)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	request, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("request")), 10, 64)
	if err != nil || request <= 0 {
		c.refuseRequest(w, r, a, id, requests.ErrCodeExpired, requestForm{})
		return
	}
	kind, err := c.requests.Confirm(r.Context(), a.actor, id, request, r.PostFormValue("code"))
	if err != nil {
		c.refuseRequest(w, r, a, id, err, requestForm{})
		return
	}
	c.carriedOut(w, r, a, id, kind)
}
