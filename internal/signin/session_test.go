package signin

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// signIn starts a session for person and returns its cookie.
func (f *fixture) signIn(t testing.TB, person int64) *http.Cookie {
	t.Helper()
	w := httptest.NewRecorder()
	if err := f.s.Start(context.Background(), w, person, "by test"); err != nil {
		t.Fatal(err)
	}
	cs := w.Result().Cookies()
	if len(cs) != 1 {
		t.Fatalf("Start set %d cookies, want 1", len(cs))
	}
	return cs[0]
}

// with is a request carrying the cookie c.
func with(c *http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/me", nil)
	if c != nil {
		r.AddCookie(c)
	}
	return r
}

// who is the person signed in with cookie c, or 0.
func (f *fixture) who(t testing.TB, c *http.Cookie) int64 {
	t.Helper()
	id, ok, err := f.s.Person(with(c))
	if err != nil {
		t.Fatal(err)
	}
	if ok != (id != 0) {
		t.Fatalf("Person: id %d but ok %v", id, ok)
	}
	return id
}

func TestSessionIdleTimeout(t *testing.T) {
	f := newFixture(t, Config{IdleTimeout: 7 * 24 * time.Hour})
	person := f.person(t, phoneA)
	c := f.signIn(t, person)
	if got := f.who(t, c); got != person {
		t.Fatalf("signed in as %d, want %d", got, person)
	}
	for range 3 { // used every six days, it lives on
		f.clock.Advance(6 * 24 * time.Hour)
		if got := f.who(t, c); got != person {
			t.Fatal("a session used within the idle timeout ended")
		}
	}
	f.clock.Advance(7 * 24 * time.Hour)
	if got := f.who(t, c); got != 0 {
		t.Fatal("a session idle for 7 days is alive")
	}
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	f := newFixture(t, Config{})
	person := f.person(t, phoneA)
	c := f.signIn(t, person)
	if c.MaxAge != 30*24*3600 {
		t.Errorf("cookie Max-Age %d, want 30 days", c.MaxAge)
	}
	for range 29 {
		f.clock.Advance(24 * time.Hour)
		if f.who(t, c) != person {
			t.Fatal("a session ended before 30 days")
		}
	}
	f.clock.Advance(24 * time.Hour)
	if f.who(t, c) != 0 {
		t.Fatal("a session used daily outlived 30 days")
	}
}

func TestNoOrBadCookieIsNoSession(t *testing.T) {
	f := newFixture(t, Config{})
	for _, c := range []*http.Cookie{nil, {Name: CookiePlain, Value: "x"},
		{Name: CookiePlain, Value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}} {
		if got := f.who(t, c); got != 0 {
			t.Errorf("cookie %v signs in as %d", c, got)
		}
	}
}

func TestSignOut(t *testing.T) {
	f := newFixture(t, Config{})
	person := f.person(t, phoneA)
	phone, laptop := f.signIn(t, person), f.signIn(t, person)
	w := httptest.NewRecorder()
	if err := f.s.End(context.Background(), w, with(phone)); err != nil {
		t.Fatal(err)
	}
	cleared := w.Result().Cookies()
	if len(cleared) != 1 || cleared[0].Name != CookiePlain || cleared[0].MaxAge >= 0 || cleared[0].Value != "" {
		t.Fatalf("sign-out cookies: %+v", cleared)
	}
	if f.who(t, phone) != 0 {
		t.Fatal("a signed-out session is alive (the token still works)")
	}
	if f.who(t, laptop) != person {
		t.Fatal("signing out one browser signed out another")
	}
	if err := f.s.End(context.Background(), httptest.NewRecorder(), with(nil)); err != nil {
		t.Fatalf("signing out without a session: %v", err)
	}
}

func TestSignOutEverywhere(t *testing.T) {
	f := newFixture(t, Config{})
	person, other := f.person(t, phoneA), f.person(t, phoneB)
	phone, laptop, theirs := f.signIn(t, person), f.signIn(t, person), f.signIn(t, other)
	if err := f.s.EndEverywhere(context.Background(), httptest.NewRecorder(), with(laptop)); err != nil {
		t.Fatal(err)
	}
	if f.who(t, phone) != 0 || f.who(t, laptop) != 0 {
		t.Fatal("a session survived signing out everywhere")
	}
	if f.who(t, theirs) != other {
		t.Fatal("signing out everywhere ended someone else's session")
	}
	if err := f.s.EndEverywhere(context.Background(), httptest.NewRecorder(), with(laptop)); err != nil {
		t.Fatalf("signing out everywhere again: %v", err)
	}
}

func TestCookieAttributes(t *testing.T) {
	for _, secure := range []bool{false, true} {
		f := newFixture(t, Config{Secure: secure})
		person := f.person(t, phoneA)
		w := httptest.NewRecorder()
		if err := f.s.Start(context.Background(), w, person, "by test"); err != nil {
			t.Fatal(err)
		}
		c := w.Result().Cookies()[0]
		name := CookiePlain
		if secure {
			name = CookieSecure
		}
		if c.Name != name || c.Secure != secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly ||
			c.SameSite != http.SameSiteLaxMode || len(c.Value) != 43 {
			t.Errorf("secure %v: cookie %+v (header %q)", secure, c, w.Header().Get("Set-Cookie"))
		}
		if f.who(t, c) != person {
			t.Errorf("secure %v: the cookie does not sign in", secure)
		}
		wrong := *c
		wrong.Name = map[bool]string{true: CookiePlain, false: CookieSecure}[secure]
		if f.who(t, &wrong) != 0 {
			t.Errorf("secure %v: the other cookie name signs in", secure)
		}
	}
}

// A sign-in is audited in the session's transaction, under the person's
// own label (the one staff filter the log by), with how they signed in.
func TestSignInIsAudited(t *testing.T) {
	f := newFixture(t, Config{})
	person := f.person(t, phoneA)
	f.signIn(t, person)
	entries, err := f.db.AuditLog(context.Background(), person)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "signin" || entries[0].Actor != fmt.Sprintf("person:%d", person) || entries[0].Detail != "by test" {
		t.Errorf("sign-in audited as %+v", entries)
	}
}
