package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/posts"
)

// appointForm is what the appoint form posts (the person page's, or the
// held page's again with replace=1).
type appointForm struct {
	Drive, Post, Area string
	Person            int64
	Replace           bool
	Back              string
}

// readAppointForm reads the form; ok is false when a field is missing or
// not what it must be.
func readAppointForm(r *http.Request) (f appointForm, ok bool) {
	f = appointForm{Drive: strings.TrimSpace(r.PostFormValue("drive")), Post: strings.TrimSpace(r.PostFormValue("post")),
		Area: strings.ToUpper(strings.TrimSpace(r.PostFormValue("area"))), Back: backTo(r.PostFormValue("back"))}
	switch r.PostFormValue("replace") {
	case "1", "on", "true":
		f.Replace = true
	}
	var err error
	f.Person, err = strconv.ParseInt(strings.TrimSpace(r.PostFormValue("person")), 10, 64)
	return f, err == nil && f.Person > 0 && f.Drive != "" && f.Post != "" && f.Area != ""
}

// backTo is where a form asks to come back to: a console page, else ""
// (the person's page).
func backTo(s string) string {
	if !strings.HasPrefix(s, "/console/") || strings.ContainsAny(s, "\\\r\n") || strings.HasPrefix(s, "/console//") {
		return ""
	}
	return s
}

// appoint appoints a volunteer to a post (posts.Appoint) and goes back
// with a notice. A held post answers 409 with a page offering to replace
// its holder; a refusal in the asker's language (403 outside the scope,
// 422 what does not fit).
func (c *Console) appoint(w http.ResponseWriter, r *http.Request, a asker) {
	f, ok := readAppointForm(r)
	if !ok {
		c.postProblem(w, r, a, http.StatusUnprocessableEntity, "missing", "")
		return
	}
	req := posts.Request{Drive: f.Drive, Post: f.Post, Area: f.Area, PersonID: f.Person, Replace: f.Replace}
	_, err := c.appointments.Appoint(r.Context(), a.actor, req)
	switch {
	case err == nil:
		http.Redirect(w, r, doneAt(f.Back, f.Person, "appointed"), http.StatusSeeOther)
	case apperr.CodeOf(err) == apperr.Conflict:
		c.held(w, r, a, f)
	case apperr.CodeOf(err) == apperr.Invalid:
		c.postProblem(w, r, a, http.StatusUnprocessableEntity, "invalid", apperr.MessageOf(err))
	default:
		c.fail(w, r, a, err)
	}
}

// vacate ends a holding (posts.Vacate) and goes back with a notice.
func (c *Console) vacate(w http.ResponseWriter, r *http.Request, a asker) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("appointment")), 10, 64)
	if err != nil || id <= 0 {
		c.postProblem(w, r, a, http.StatusUnprocessableEntity, "missing", "")
		return
	}
	held, err := c.appointments.Vacate(r.Context(), a.actor, id)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, doneAt(backTo(r.PostFormValue("back")), held.PersonID, "vacated"), http.StatusSeeOther)
}

// doneAt is back (else the person's page) with the notice done.
func doneAt(back string, person int64, done string) string {
	if back == "" {
		back = "/console/people/" + strconv.FormatInt(person, 10)
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	return back + sep + url.Values{"done": {done}}.Encode()
}

// held says the post is held, by whom, and offers to replace them. A
// replacement refused again (the person holds it already) only says so.
func (c *Console) held(w http.ResponseWriter, r *http.Request, a asker, f appointForm) {
	if f.Replace {
		c.postProblem(w, r, a, http.StatusConflict, "holds", "")
		return
	}
	chart, err := posts.Chart(r.Context(), c.db, a.actor, f.Drive, f.Area)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	p := postsPage{shell: c.newShell(r, a, "/console/posts", "posts.held.title")}
	h := &heldView{Area: areaLabel(chart.Area, a.lang), Drive: f.Drive, Post: f.Post, AreaCode: chart.Area.Code,
		Person: strconv.FormatInt(f.Person, 10), Back: f.Back}
	for _, s := range chart.Seats {
		if s.Area.ID == chart.Area.ID && s.Post.Code == f.Post {
			h.Title, h.Holders = s.Post.TitleIn(a.lang), p.holders(s.Holders)
		}
	}
	p.Held = h
	c.render(w, r, http.StatusConflict, "posts", "", p)
}

// postProblem is a refused appointment or vacancy, said in the asker's
// language (kind: posts.problem.<kind>), with the domain's words as a
// detail.
func (c *Console) postProblem(w http.ResponseWriter, r *http.Request, a asker, status int, kind, detail string) {
	p := postsPage{shell: c.newShell(r, a, "/console/posts", "posts.problem.title"), Problem: kind, ProblemDetail: detail}
	c.render(w, r, status, "posts", "", p)
}
