package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/web"
)

// linkServer is the pages with real sign-in on a database whose clock the
// test moves, codes going out as outbox messages.
type linkServer struct {
	srv   *httptest.Server
	db    *store.DB
	clock *storetest.Clock
}

func newLinkServer(t *testing.T) *linkServer {
	t.Helper()
	clock := storetest.NewClock(time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	key := []byte(strings.Repeat("k", 32))
	in, err := signin.New(db, signin.Config{SecretKey: key, SMS: func(ctx context.Context, tx *store.Tx, phone, code, lang string) error {
		_, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: store.ChannelSMS, Provider: "exotel",
			Class: store.ClassRequested, Template: "1107170000000000002", Body: "Your Jodo code is " + code, To: phone}})
		return err
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := server.NewMux()
	web.New(web.Deps{DB: db, Links: links.New(key), SecretKey: key, BaseURL: "http://jodo.test", Log: slog.New(slog.DiscardHandler),
		Sessions: in}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &linkServer{srv: srv, db: db, clock: clock}
}

// person makes someone with phone, holding role when role is not "", and
// returns them with a fresh sign-in link's token (made as staff.Link does;
// a member's is made directly, as no use-case makes one).
func (s *linkServer) person(t *testing.T, phone, role string) (int64, string) {
	t.Helper()
	var id int64
	var token string
	err := s.db.Update(context.Background(), func(tx *store.Tx) error {
		ctx := context.Background()
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: "Asha Kumari", Language: "hi"}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
			return err
		}
		if role != "" {
			if _, err := store.GrantRole(ctx, tx, id, role, []string{"JH"}, "cli:test"); err != nil {
				return err
			}
		}
		token, err = signin.NewLink(ctx, tx, id, "cli:test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, token
}

// visit sends method to path with the client's cookies, not following
// redirects.
func visit(t *testing.T, c *http.Client, method, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func jarClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signedIn reports whether the client's session opens /me.
func (s *linkServer) signedIn(t *testing.T, c *http.Client) bool {
	t.Helper()
	code, _, h := visit(t, c, http.MethodGet, s.srv.URL+"/me?lang=en", nil)
	return code == http.StatusOK && h.Get("Location") == ""
}

// Opening a sign-in link shows a button and uses nothing (a chat app's
// preview may fetch it any number of times); pressing it signs a staff
// member in and lands them in /console, a member on /me; it works once,
// and the dead link's page says so with a 404.
func TestSigninLinkOverHTTP(t *testing.T) {
	s := newLinkServer(t)
	for _, c := range []struct {
		role, phone, land string
	}{{"admin", "+919876500001", "/console?lang=en"}, {"", "+919876500002", "/me?lang=en"}} {
		_, token := s.person(t, c.phone, c.role)
		path := s.srv.URL + "/signin/link/" + token
		browser := jarClient()
		for range 3 {
			code, body, _ := visit(t, browser, http.MethodGet, path+"?lang=en", nil)
			if code != http.StatusOK || !strings.Contains(body, `id="use-link"`) || !strings.Contains(body, `action="/signin/link/`+token+`"`) {
				t.Fatalf("GET a live link: %d, no button to press:\n%s", code, body)
			}
		}
		if s.signedIn(t, browser) {
			t.Fatal("opening the link signed in")
		}
		code, _, h := visit(t, browser, http.MethodPost, path, url.Values{"lang": {"en"}})
		if code != http.StatusSeeOther || h.Get("Location") != c.land {
			t.Errorf("%q pressing the button: %d to %q, want 303 to %s", c.role, code, h.Get("Location"), c.land)
		}
		if !s.signedIn(t, browser) {
			t.Errorf("%q: pressing the button did not sign in", c.role)
		}
		other := jarClient()
		code, body, _ := visit(t, other, http.MethodPost, path, url.Values{"lang": {"en"}})
		if code != http.StatusNotFound || !strings.Contains(body, `id="link-error"`) || s.signedIn(t, other) {
			t.Errorf("%q: the link used twice: %d, signed in %v", c.role, code, s.signedIn(t, other))
		}
		if code, body, _ := visit(t, other, http.MethodGet, path, nil); code != http.StatusNotFound || strings.Contains(body, `id="use-link"`) {
			t.Errorf("%q: a used link's page: %d, button shown %v", c.role, code, strings.Contains(body, `id="use-link"`))
		}
	}
	entries, err := s.db.AuditEntries(context.Background(), store.AuditFilter{Action: "signin"})
	if err != nil || len(entries) != 2 || entries[0].Detail != "by link" {
		t.Errorf("sign-ins audited: %+v %v", entries, err)
	}
}

// A link works for 15 minutes: a minute before, it signs in; at 15 it is
// dead on GET and POST.
func TestSigninLinkExpires(t *testing.T) {
	s := newLinkServer(t)
	_, fresh := s.person(t, "+919876500001", "coordinator")
	_, stale := s.person(t, "+919876500002", "coordinator")
	s.clock.Advance(signin.LinkTTL - time.Minute)
	if code, _, _ := visit(t, jarClient(), http.MethodPost, s.srv.URL+"/signin/link/"+fresh, url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("a link 14 minutes old: %d", code)
	}
	s.clock.Advance(time.Minute)
	c := jarClient()
	if code, _, _ := visit(t, c, http.MethodGet, s.srv.URL+"/signin/link/"+stale, nil); code != http.StatusNotFound {
		t.Errorf("GET a link 15 minutes old: %d", code)
	}
	if code, _, _ := visit(t, c, http.MethodPost, s.srv.URL+"/signin/link/"+stale, url.Values{}); code != http.StatusNotFound || s.signedIn(t, c) {
		t.Errorf("POST a link 15 minutes old: %d", code)
	}
	for _, bad := range []string{"x", strings.Repeat("A", 43), "../me"} {
		if code, _, _ := visit(t, c, http.MethodPost, s.srv.URL+"/signin/link/"+url.PathEscape(bad), url.Values{}); code != http.StatusNotFound {
			t.Errorf("POST the link %q: %d", bad, code)
		}
	}
}

// Signing in with a code goes to next= when it is a path on this site and
// to the person's landing otherwise: a link to /signin?next=… cannot send
// someone elsewhere once signed in.
func TestSigninCodeNextIsLocalOnly(t *testing.T) {
	s := newLinkServer(t)
	const phone = "+919876500001"
	s.person(t, phone, "coordinator")
	for next, land := range map[string]string{
		"/console/people?q=x":  "/console/people?q=x",
		"https://evil.example": "/console?lang=en",
		"//evil.example":       "/console?lang=en",
		"/\\evil.example":      "/console?lang=en",
		"":                     "/console?lang=en",
	} {
		s.clock.Advance(time.Hour) // past the per-phone limit's window
		c := jarClient()
		if code, body, _ := visit(t, c, http.MethodPost, s.srv.URL+"/signin", url.Values{"lang": {"en"}, "phone": {phone}, "next": {next}}); code != http.StatusOK {
			t.Fatalf("ask for a code: %d\n%s", code, body)
		}
		body := storetest.LastBody(t, s.db, phone)
		code, _, h := visit(t, c, http.MethodPost, s.srv.URL+"/signin/code", url.Values{"lang": {"en"}, "phone": {phone},
			"code": {body[strings.LastIndex(body, " ")+1:]}, "next": {next}})
		if code != http.StatusSeeOther || h.Get("Location") != land {
			t.Errorf("next=%q: %d to %q, want %s", next, code, h.Get("Location"), land)
		}
	}
}
