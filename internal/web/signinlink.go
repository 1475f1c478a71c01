package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/store"
)

// A one-time sign-in link (jodo staff link) opens a page with a button;
// only pressing it (a POST) uses the link, so a chat app's link preview
// fetching the page cannot burn it.

type linkPage struct {
	page
	Token string
	Live  bool
}

func (h *Web) signinLink(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r, "hi", h.secure)
	token := r.PathValue("token")
	live, err := signin.LinkLive(r.Context(), h.db, token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lp := linkPage{page: newPage(r, lang), Token: token, Live: live}
	lp.Title = lp.T("signinlink.title")
	status := http.StatusOK
	if !live {
		status = http.StatusNotFound
	}
	h.render(w, r, status, "signinlink", lp)
}

// useSigninLink uses the link once, starts a session and lands its person
// in the console (staff) or on their page.
func (h *Web) useSigninLink(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r, "hi", h.secure)
	ctx := r.Context()
	var person int64
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		person, err = signin.UseLink(ctx, tx, r.PathValue("token"))
		return err
	})
	if apperr.CodeOf(err) == apperr.NotFound {
		lp := linkPage{page: newPage(r, lang)}
		lp.Title = lp.T("signinlink.title")
		h.render(w, r, http.StatusNotFound, "signinlink", lp)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.sessions.Start(ctx, w, person, "by link"); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, h.landing(r, person, "", lang), http.StatusSeeOther)
}

// landing is where a person goes once signed in: next when it is a path
// on this site, else the console for staff and their own page for others.
func (h *Web) landing(r *http.Request, person int64, next, lang string) string {
	if safeNext(next) {
		return next
	}
	roles, err := h.db.LiveRoles(r.Context(), person)
	if err != nil {
		h.log.ErrorContext(r.Context(), "roles at sign-in", "err", err)
	}
	if len(roles) > 0 {
		return "/console?lang=" + lang
	}
	return "/me?lang=" + lang
}

// safeNext accepts only a path on this site: no scheme, no host, no
// "//elsewhere" or "/\elsewhere" that a browser would take for one.
func safeNext(next string) bool {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\\\r\n\t") || len(next) > 512 {
		return false
	}
	u, err := url.Parse(next)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}
