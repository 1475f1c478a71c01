package web

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// The web's own way in: /d/{slug}/join proves the phone with a one-time
// code, makes the person a lead of the drive (channel web), and hands
// them a registration link of their own, so the form and everything after
// it are the SMS link's.

func (h *Web) driveJoinRoutes(mux *server.Mux, post func(http.HandlerFunc) http.Handler) {
	if h.sessions == nil {
		return
	}
	mux.HandleFunc("GET /d/{slug}/join", h.driveJoin)
	mux.Handle("POST /d/{slug}/join", post(h.driveJoinPhone))
	mux.Handle("POST /d/{slug}/join/code", post(h.driveJoinCode))
}

// joinDrive loads the path's drive; an unknown one gets the "not valid"
// page and ok false.
func (h *Web) joinDrive(w http.ResponseWriter, r *http.Request) (d store.Drive, f drive.File, lang string, ok bool) {
	d, err := h.db.DriveBySlug(r.Context(), r.PathValue("slug"))
	if err == nil {
		f, err = drive.Open(d.File)
	}
	lang = pageLang(w, r, f.Lang(), h.secure)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		h.message(w, r, lang, http.StatusNotFound, "unknown")
		return d, f, lang, false
	case err != nil:
		h.fail(w, r, err)
		return d, f, lang, false
	}
	return d, f, lang, true
}

func (h *Web) driveSignin(r *http.Request, lang string, f drive.File, sp signinPage) signinPage {
	p := newPage(r, lang)
	base := "/d/" + f.Slug + "/join"
	sp.Action, sp.CodeAction, sp.Heading, sp.Intro = base, base+"/code", p.T("join.title", "Drive", f.NameIn(lang)), "signin.intro"
	sp.Ref, _ = refCode(r.FormValue("ref"))
	return sp
}

func (h *Web) driveJoin(w http.ResponseWriter, r *http.Request) {
	_, f, lang, ok := h.joinDrive(w, r)
	if !ok {
		return
	}
	sp := h.driveSignin(r, lang, f, signinPage{})
	sp.Description = newPage(r, lang).T("join.description", "Drive", f.NameIn(lang))
	h.renderSignin(w, r, lang, sp, http.StatusOK)
}

func (h *Web) driveJoinPhone(w http.ResponseWriter, r *http.Request) {
	_, f, lang, ok := h.joinDrive(w, r)
	if !ok {
		return
	}
	h.sendCodeStep(w, r, lang, func(sp signinPage) signinPage { return h.driveSignin(r, lang, f, sp) })
}

// driveJoinCode checks the code; the proven phone becomes (or stays) a
// lead of the drive and is sent on to its own registration link. A member
// of the drive already is signed in and taken to /me instead.
func (h *Web) driveJoinCode(w http.ResponseWriter, r *http.Request) {
	d, f, lang, ok := h.joinDrive(w, r)
	if !ok {
		return
	}
	p, person, ok := h.checkCodeStep(w, r, lang, func(sp signinPage) signinPage { return h.driveSignin(r, lang, f, sp) })
	if !ok {
		return
	}
	var joined people.PhoneJoined
	err := h.db.Update(r.Context(), func(tx *store.Tx) error {
		var err error
		joined, err = h.people.JoinByPhone(r.Context(), tx, people.PhoneJoin{Phone: p, PersonID: person, DriveID: d.ID,
			Language: lang, Channel: "web", Day: f.Day(tx.Now)})
		if err != nil || joined.Refused || joined.Member {
			return err
		}
		ref, _ := refCode(r.PostFormValue("ref"))
		return h.referFrom(r.Context(), tx, ref, joined.PersonID, d.ID)
	})
	switch {
	case err != nil:
		h.fail(w, r, err)
	case joined.Refused:
		h.message(w, r, lang, http.StatusForbidden, "under18")
	case joined.Member:
		if err := h.sessions.Start(r.Context(), w, joined.PersonID, "by code, joining"); err != nil {
			h.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/me?lang="+lang, http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/j/"+joined.Token+"?lang="+lang, http.StatusSeeOther)
	}
}
