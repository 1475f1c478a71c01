package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/store"
)

// Sessions is sign-in by one-time code and the session it starts
// (signin.Signin).
type Sessions interface {
	SendCode(ctx context.Context, r *http.Request, phone, lang string) error
	Verify(ctx context.Context, phone, code string) (personID int64, err error)
	Start(ctx context.Context, w http.ResponseWriter, personID int64, how string) error
	Person(r *http.Request) (personID int64, ok bool, err error)
	End(ctx context.Context, w http.ResponseWriter, r *http.Request) error
	EndEverywhere(ctx context.Context, w http.ResponseWriter, r *http.Request) error
	// Codes reports whether codes can be sent (an SMS provider is set);
	// without them only sign-in links work.
	Codes() bool
}

// Code check failures Sessions.Verify reports, for their messages.
var (
	ErrCodeWrong   = signin.ErrCodeWrong
	ErrCodeExpired = signin.ErrCodeExpired
	ErrCodeTries   = signin.ErrCodeTries
)

type signinPage struct {
	page
	Phone, Masked, Typed string
	Error                string // message id
	Next                 string // where to go once signed in (a local path)
	Ref                  string // a referral code carried through a drive's join steps
	NoCodes              bool   // the server sends no codes
	// Where the phone and the code are posted, the heading and the intro's
	// message id: sign-in's, or a drive's join page's.
	Action, CodeAction, Heading, Intro string
}

func (h *Web) signinRoutes(mux *server.Mux, post func(http.HandlerFunc) http.Handler) {
	if h.sessions == nil {
		return
	}
	mux.HandleFunc("GET /signin", h.signinForm)
	mux.Handle("POST /signin", post(h.signinPhone))
	mux.Handle("POST /signin/code", post(h.signinCode))
	mux.HandleFunc("GET /signin/link/{token}", h.signinLink)
	mux.Handle("POST /signin/link/{token}", post(h.useSigninLink))
	mux.Handle("POST /signout", post(h.signout))
	mux.Handle("POST /signout/all", post(h.signout))
}

func (h *Web) renderSignin(w http.ResponseWriter, r *http.Request, lang string, sp signinPage, status int) {
	description := sp.Description
	sp.page = newPage(r, lang)
	sp.Description = description
	if sp.Action == "" {
		sp.Action, sp.CodeAction, sp.Heading, sp.Intro = "/signin", "/signin/code", sp.T("signin.title"), "signin.intro"
	}
	sp.Title = sp.Heading
	sp.NoCodes = !h.sessions.Codes()
	if next := r.FormValue("next"); safeNext(next) {
		sp.Next = next
	}
	if sp.Phone != "" {
		sp.Masked = phone.Mask(sp.Phone)
	}
	h.render(w, r, status, "signin", sp)
}

func (h *Web) signinForm(w http.ResponseWriter, r *http.Request) {
	h.renderSignin(w, r, pageLang(w, r, "hi", h.secure), signinPage{}, http.StatusOK)
}

// signinPhone sends a code to a mobile number.
func (h *Web) signinPhone(w http.ResponseWriter, r *http.Request) {
	h.sendCodeStep(w, r, pageLang(w, r, "hi", h.secure), func(sp signinPage) signinPage { return sp })
}

// sendCodeStep reads the posted mobile number and sends it a code, then
// shows the code form, or the number form again with why. Whether the
// number belongs to anyone is not told here: the code goes out either way
// (it is the phone's owner who learns the answer, after the code). place
// fills in the page's actions and heading.
func (h *Web) sendCodeStep(w http.ResponseWriter, r *http.Request, lang string, place func(signinPage) signinPage) {
	typed := r.PostFormValue("phone")
	p, err := phone.Normalize(typed)
	if err != nil || !phone.IsMobile(p) {
		h.renderSignin(w, r, lang, place(signinPage{Typed: typed, Error: "err.phone"}), http.StatusUnprocessableEntity)
		return
	}
	if err := h.sessions.SendCode(r.Context(), r, p, lang); err != nil {
		if errors.Is(err, signin.ErrCountry) {
			h.renderSignin(w, r, lang, place(signinPage{Typed: typed, Error: "err.phone.country"}), http.StatusUnprocessableEntity)
			return
		}
		if errors.Is(err, signin.ErrNoCodes) {
			h.renderSignin(w, r, lang, place(signinPage{Typed: typed, Error: "signin.nocodes"}), http.StatusServiceUnavailable)
			return
		}
		if apperr.CodeOf(err) == apperr.RateLimited {
			h.renderSignin(w, r, lang, place(signinPage{Typed: typed, Error: "err.limit"}), http.StatusTooManyRequests)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.renderSignin(w, r, lang, place(signinPage{Phone: p}), http.StatusOK)
}

// checkCodeStep reads the posted number and code and checks them. When
// they fail it has shown why (a wrong code: the code form again; an
// expired code or too many tries: the number form, for a new code) and ok
// is false. person is 0 when nobody has the number.
func (h *Web) checkCodeStep(w http.ResponseWriter, r *http.Request, lang string, place func(signinPage) signinPage) (phoneE164 string, person int64, ok bool) {
	p, err := phone.Normalize(r.PostFormValue("phone"))
	if err != nil {
		h.renderSignin(w, r, lang, place(signinPage{Error: "err.phone"}), http.StatusUnprocessableEntity)
		return "", 0, false
	}
	person, err = h.sessions.Verify(r.Context(), p, r.PostFormValue("code"))
	switch {
	case errors.Is(err, ErrCodeWrong):
		h.renderSignin(w, r, lang, place(signinPage{Phone: p, Error: "err.code.wrong"}), http.StatusUnprocessableEntity)
	case errors.Is(err, ErrCodeExpired):
		h.renderSignin(w, r, lang, place(signinPage{Typed: p, Error: "err.code.expired"}), http.StatusUnprocessableEntity)
	case errors.Is(err, ErrCodeTries):
		h.renderSignin(w, r, lang, place(signinPage{Typed: p, Error: "err.code.tries"}), http.StatusUnprocessableEntity)
	case err != nil:
		h.fail(w, r, err)
	default:
		return p, person, true
	}
	return "", 0, false
}

// signinCode checks the code and starts a session for the phone's person.
func (h *Web) signinCode(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r, "hi", h.secure)
	p, person, ok := h.checkCodeStep(w, r, lang, func(sp signinPage) signinPage { return sp })
	if !ok {
		return
	}
	if person == 0 {
		if err := h.forgetIfRefused(r.Context(), p); err != nil {
			h.fail(w, r, err)
			return
		}
		h.renderSignin(w, r, lang, signinPage{Error: "err.nobody"}, http.StatusNotFound)
		return
	}
	if err := h.sessions.Start(r.Context(), w, person, "by code"); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, h.landing(r, person, r.PostFormValue("next"), lang), http.StatusSeeOther)
}

// signout ends this session, or (at /signout/all) every session of the
// person.
func (h *Web) signout(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r, "hi", h.secure)
	person, _, _ := h.sessions.Person(r)
	var err error
	if r.URL.Path == "/signout/all" {
		err = h.sessions.EndEverywhere(r.Context(), w, r)
		h.audit(r.Context(), person, "signout_all", "")
	} else {
		err = h.sessions.End(r.Context(), w, r)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.message(w, r, lang, http.StatusOK, "signedout")
}

// forgetIfRefused forgets what signing in kept of a phone refused as under
// 18 (people.ForgetIfRefused); the page says what it says to anyone nobody
// has.
func (h *Web) forgetIfRefused(ctx context.Context, phone string) error {
	return h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := h.people.ForgetIfRefused(ctx, tx, phone)
		return err
	})
}
