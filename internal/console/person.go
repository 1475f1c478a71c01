package console

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// personPage is one person as staff see them (directory.View), with the
// form that reveals their number.
type personPage struct {
	shell
	P         directory.Person
	Parts     []partView
	Consents  []consentView
	Audit     []auditView
	CanReveal bool
	reveal
	volunteering
	Groups []groupRow
	requestsView
}

// requestState is what the requests forms were refused for and what was
// typed into them.
type requestState struct {
	Error string
	Form  *requestForm
}

// reveal is the reveal form's state: what was typed and why it was
// refused, or the numbers once revealed.
type reveal struct {
	PersonID    int64
	Reason      string
	ReasonError bool
	ReasonHasNo bool // the reason holds a number
	Capped      bool
	Revealed    *directory.Revealed
}

type partView struct{ Drive, Area, Stage, Channel, FirstSeen, Registered string }

type consentView struct{ Purpose, State, When string }

type auditView struct{ Actor, Action, When, Reason, Detail string }

// purposes are the consents a person's page lists, each granted,
// withdrawn or never given.
var purposes = []string{store.PurposeMembership, store.PurposeWhatsApp, store.PurposeSMS, store.PurposeVolunteer}

func personID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "no such person")
	}
	return id, nil
}

// person shows a person in the asker's scope; anyone else, existing or
// not, is not found.
func (c *Console) person(w http.ResponseWriter, r *http.Request, a asker) {
	id, err := personID(r)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	c.renderPerson(w, r, a, http.StatusOK, reveal{PersonID: id})
}

// renderPerson shows the person's page with the reveal form in state rv.
func (c *Console) renderPerson(w http.ResponseWriter, r *http.Request, a asker, status int, rv reveal) {
	c.renderPersonWith(w, r, a, status, rv, requestState{})
}

// renderPersonWith is renderPerson with the requests forms in state rq.
func (c *Console) renderPersonWith(w http.ResponseWriter, r *http.Request, a asker, status int, rv reveal, rq requestState) {
	person, err := c.dir.View(r.Context(), a.actor, rv.PersonID)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	p := personPage{shell: c.newShell(r, a, "/console/people", "person.title"), P: person,
		CanReveal: a.actor.Can(access.PeopleReveal), reveal: rv} // the title is neutral: a name is not for tabs, history or bookmarks
	for _, pp := range person.Participations {
		v := partView{Drive: locale.Name(a.lang, pp.DriveName, pp.DriveNameLocal), Area: "—", Stage: p.T("stage." + pp.Stage),
			Channel: p.T("channel." + pp.Channel), FirstSeen: when(pp.FirstSeenAt), Registered: when(pp.RegisteredAt)}
		if pp.Area.Code != "" {
			v.Area = areaLabel(pp.Area, a.lang)
		}
		p.Parts = append(p.Parts, v)
	}
	for _, purpose := range purposes {
		cv := consentView{Purpose: p.T("purpose." + purpose), State: p.T("consent.never"), When: "—"}
		for _, cs := range person.Consents {
			if cs.Purpose != purpose {
				continue
			}
			cv.State, cv.When = p.T("consent.granted"), when(cs.GrantedAt)
			if !cs.WithdrawnAt.IsZero() {
				cv.State, cv.When = p.T("consent.withdrawn"), when(cs.WithdrawnAt)
			}
		}
		p.Consents = append(p.Consents, cv)
	}
	if p.volunteering, err = c.volunteeringOf(r.Context(), a, p.tr, person); err != nil {
		c.fail(w, r, a, err)
		return
	}
	p.Groups = personGroups(p.tr, person)
	if p.requestsView, err = c.requestsOf(r.Context(), a, p.tr, person, r.URL.Query().Get("done"), rq.Form); err != nil {
		c.fail(w, r, a, err)
		return
	}
	p.requestsView.Error = rq.Error
	for _, e := range person.Audit {
		p.Audit = append(p.Audit, auditRow(e))
	}
	c.render(w, r, status, "person", "", p)
}

// revealNumber shows a person's full number to the asker, for the reason
// they give (audited, capped per day). A missing reason or the cap shows
// the form again saying so; htmx gets only the form's part of the page.
func (c *Console) reveal(w http.ResponseWriter, r *http.Request, a asker) {
	id, err := personID(r)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	rv := reveal{PersonID: id, Reason: r.PostFormValue("reason")}
	status := http.StatusOK
	revealed, err := c.dir.Reveal(r.Context(), a.actor, id, rv.Reason)
	switch {
	case err == nil:
		rv.Revealed, rv.Reason = &revealed, ""
	case errors.Is(err, directory.ErrReasonNumber):
		rv.ReasonHasNo, status = true, http.StatusUnprocessableEntity
	case apperr.CodeOf(err) == apperr.Invalid:
		rv.ReasonError, status = true, http.StatusUnprocessableEntity
	case apperr.CodeOf(err) == apperr.RateLimited:
		rv.Capped, status = true, http.StatusTooManyRequests
	default:
		c.fail(w, r, a, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		c.render(w, r, status, "person", "reveal", personPage{shell: shell{tr: tr{Lang: a.lang}}, CanReveal: true, reveal: rv})
		return
	}
	c.renderPerson(w, r, a, status, rv)
}

// when is a time as staff read it, in India's time; "—" for none.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(ist.Zone).Format("2006-01-02 15:04")
}

func auditRow(e store.AuditEntry) auditView {
	return auditView{Actor: e.Actor, Action: e.Action, When: when(e.At), Reason: e.Reason, Detail: e.Detail}
}
