package signin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/store"
)

// Cookie names. __Host- makes the browser refuse the cookie unless it is
// Secure, for Path=/ and from this very host (no Domain): a sibling
// subdomain cannot plant or overwrite it. Plain HTTP (local use) cannot
// have it.
const (
	CookieSecure = "__Host-jodo_session"
	CookiePlain  = "jodo_session"
)

// tokenBytes of crypto/rand make a session token.
const tokenBytes = 32

// Start begins a session for a signed-in person and sets its cookie; the
// sign-in is audited, by how ("by code", "by link"), in the session's
// transaction.
func (s *Signin) Start(ctx context.Context, w http.ResponseWriter, personID int64, how string) error {
	b := make([]byte, tokenBytes)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := store.CreateSession(ctx, tx, personID, s.tokenHash(token), tx.Now.Add(s.cfg.AbsoluteTimeout)); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: access.PersonLabel(personID), Action: "signin", PersonID: personID, Detail: how})
	})
	if err != nil {
		return err
	}
	c := s.cookie(token)
	c.MaxAge = int(s.cfg.AbsoluteTimeout.Seconds())
	http.SetCookie(w, c)
	return nil
}

// Person is the person signed in on r: ok is false without a live
// session (none, signed out, idle or too old), which is no error.
func (s *Signin) Person(r *http.Request) (personID int64, ok bool, err error) {
	sess, err := s.session(r)
	if errors.Is(err, store.ErrNoSession) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return sess.PersonID, true, nil
}

// End signs r's browser out: its session ends and its cookie is cleared.
func (s *Signin) End(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	s.clear(w)
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return nil
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.RevokeSession(ctx, tx, s.tokenHash(c.Value))
		return err
	})
}

// EndEverywhere signs r's person out on every device (a lost phone) and
// clears this browser's cookie.
func (s *Signin) EndEverywhere(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	s.clear(w)
	sess, err := s.session(r)
	if errors.Is(err, store.ErrNoSession) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.RevokeSessions(ctx, tx, sess.PersonID)
		return err
	})
}

// session is r's live session, or store.ErrNoSession.
func (s *Signin) session(r *http.Request) (store.Session, error) {
	c, err := r.Cookie(s.cookieName())
	if err != nil || base64.RawURLEncoding.DecodedLen(len(c.Value)) != tokenBytes {
		return store.Session{}, store.ErrNoSession
	}
	return s.db.LiveSession(r.Context(), s.tokenHash(c.Value), func(person int64) (store.SessionLimits, error) {
		return s.limits(r.Context(), person)
	}, r.Header.Get(Background) == "")
}

// Background is the header a page sends on the requests it makes by
// itself (the dashboard refreshing its figures): they are not use, so a
// page left open does not keep a session from its idle timeout, and the
// person away from it is signed out as if the page were closed.
const Background = "Jodo-Background"

// Staff sessions are shorter than members': anyone holding a role is held
// to these on every request, whenever the role was given, so a member made
// staff does not carry a 30-day session into the console.
const (
	StaffIdle     = 2 * time.Hour
	StaffAbsolute = 12 * time.Hour
)

// limits are the timeouts a person's session is held to now: staff's
// while they hold a role (read per request), else members'.
func (s *Signin) limits(ctx context.Context, person int64) (store.SessionLimits, error) {
	roles, err := s.db.LiveRoles(ctx, person)
	if err != nil {
		return store.SessionLimits{}, err
	}
	l := store.SessionLimits{Idle: s.cfg.IdleTimeout, Absolute: s.cfg.AbsoluteTimeout}
	if len(roles) > 0 {
		l.Idle, l.Absolute = min(l.Idle, StaffIdle), min(l.Absolute, StaffAbsolute)
	}
	return l, nil
}

func (s *Signin) cookieName() string {
	if s.cfg.Secure {
		return CookieSecure
	}
	return CookiePlain
}

// cookie is the session cookie holding token: HttpOnly (no script reads
// it), SameSite=Lax (other sites' forms do not carry it; links to us do),
// Secure on https.
func (s *Signin) cookie(token string) *http.Cookie {
	return &http.Cookie{Name: s.cookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode}
}

func (s *Signin) clear(w http.ResponseWriter) {
	c := s.cookie("")
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// tokenHash is what is stored of a session token.
func (s *Signin) tokenHash(token string) string {
	return s.hash("jodo session token", token)
}
