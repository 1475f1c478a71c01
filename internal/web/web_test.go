package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/web"
)

// /j/{token} answers a valid token 200 with the form, prefilled; an expired
// one 410 and anything else 404, with a page that names no one.
func TestRegistrationLinkResolves(t *testing.T) {
	srv, link, clock, _ := linkWorld(t)
	get := func(token string) (int, string) {
		resp, err := http.Get(srv.URL + "/j/" + token)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("token page headers: %v", resp.Header)
		}
		return resp.StatusCode, string(b)
	}
	for _, c := range []struct {
		token  string
		status int
		mark   string
	}{
		{link.Token, http.StatusOK, `data-page="join"`},
		{strings.ToUpper(link.Token), http.StatusOK, `data-page="join"`}, // tapped links may change case
		{tampered(link.Token), http.StatusNotFound, `data-page="unknown"`},
		{link.Code, http.StatusNotFound, `data-page="unknown"`}, // a join code is not a token
	} {
		status, body := get(c.token)
		if status != c.status || !strings.Contains(body, c.mark) || !strings.Contains(body, "lang=\"hi\"") {
			t.Errorf("GET /j/%s: %d %s", c.token, status, body)
		}
		if len(body) > 60<<10 {
			t.Errorf("GET /j/%s is %d bytes of HTML, CSS and JS, over 60 KB before compression", c.token, len(body))
		}
		if prefilled := strings.Contains(body, `value="Sunita Devi"`); prefilled != (c.status == http.StatusOK) {
			t.Errorf("GET /j/%s (%d): form prefilled with the person's name: %v", c.token, status, prefilled)
		}
	}
	clock.Advance(links.TTL)
	if status, body := get(link.Token); status != http.StatusGone || !strings.Contains(body, `data-page="expired"`) {
		t.Errorf("an expired token: %d %s", status, body)
	}
}

// tampered changes a token's last character.
func tampered(token string) string {
	last := byte('z')
	if token[len(token)-1] == last {
		last = 'y'
	}
	return token[:len(token)-1] + string(last)
}

// Every language has every message, so no page falls back to an id.
func TestCatalogsAreComplete(t *testing.T) {
	for _, p := range locale.Problems(os.DirFS("."), "locales", web.Languages) {
		t.Error(p)
	}
}

// linkWorld is Jharkhand, a drive, a lead (Sunita Devi) with a fresh join
// link, and the pages served over HTTP with https cookies.
func linkWorld(t *testing.T) (*httptest.Server, links.Link, *storetest.Clock, *store.DB) {
	t.Helper()
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	d := drivetest.Load(t, db, nil, `{"version":1,"slug":"jh","name":"JH","starts_on":"2026-02-12","ends_on":"2026-03-12",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[],"targets":[]}`)["jh"]
	l := links.New([]byte("key"))
	link := l.Make(clock.Now())
	err := db.Update(ctx, func(tx *store.Tx) error {
		person, err := store.CreatePerson(ctx, tx, store.Person{Name: "Sunita Devi", Language: "hi"})
		if err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, person, store.ContactPhone, "+919876543210"); err != nil {
			return err
		}
		p, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person, DriveID: d.ID, Channel: "missed_call", Day: "2026-02-20"})
		if err != nil {
			return err
		}
		return store.CreateJoinLink(ctx, tx, p, link.TokenHash, link.CodeHash, link.ExpiresAt)
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := server.NewMux()
	web.New(web.Deps{DB: db, Links: l, SecretKey: []byte("key"), BaseURL: "https://jodo.example.in", Log: slog.New(slog.DiscardHandler)}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, link, clock, db
}

// post submits the form at path without a browser (no JavaScript), with
// extra headers; it does not follow redirects.
func post(t *testing.T, srv *httptest.Server, path string, form url.Values, headers map[string]string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// The form works with plain HTML posts: a district without an AC narrows
// the AC list (what the script does in a browser), and a whole form
// registers. A post a browser marks cross-site is refused and changes
// nothing.
func TestRegisterWithoutJavaScript(t *testing.T) {
	srv, link, _, db := linkWorld(t)
	path := "/j/" + link.Token
	form := url.Values{"lang": {"en"}, "consent_membership": {"yes"}, "age18": {"yes"}, "name": {"Sunita Devi"}, "district": {"JH-D-RANCHI"}}
	status, body, _ := post(t, srv, path, form, nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="err-ac"`) || !strings.Contains(body, `data-district="JH-D-RANCHI"`) ||
		strings.Contains(body, `data-district="JH-D-DHANBAD"`) || !strings.Contains(body, `value="Sunita Devi"`) {
		t.Fatalf("a district without an AC: %d\n%s", status, body)
	}
	form.Set("ac", "JH-AC-063")
	if status, _, _ := post(t, srv, path, form, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}); status != http.StatusForbidden {
		t.Fatalf("a cross-site post: %d, want 403", status)
	}
	var registered int
	count := func() int {
		registered = storetest.ParticipationCount(t, db, storetest.Participations{Registered: true})
		return registered
	}
	if count() != 0 {
		t.Fatal("the cross-site post registered someone")
	}
	status, _, h := post(t, srv, path, form, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if status != http.StatusSeeOther || h.Get("Location") != path+"?lang=en" || count() != 1 {
		t.Fatalf("the whole form: %d %v, %d registered", status, h, registered)
	}
	resp, err := http.Get(srv.URL + path + "?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `data-page="joined"`) || !strings.Contains(string(page), "Welcome, Sunita Devi!") {
		t.Errorf("after registering: %s", page)
	}
}

// stubSessions enables the sign-in routes for page tests that never sign in.
type stubSessions struct{}

func (stubSessions) SendCode(context.Context, *http.Request, string, string) error   { return nil }
func (stubSessions) Verify(context.Context, string, string) (int64, error)           { return 0, nil }
func (stubSessions) Codes() bool                                                     { return true }
func (stubSessions) Start(context.Context, http.ResponseWriter, int64, string) error { return nil }
func (stubSessions) Person(*http.Request) (int64, bool, error)                       { return 0, false, nil }
func (stubSessions) End(context.Context, http.ResponseWriter, *http.Request) error   { return nil }
func (stubSessions) EndEverywhere(context.Context, http.ResponseWriter, *http.Request) error {
	return nil
}

// An expired link's page offers the drive's join page for a new link.
func TestExpiredLinkOffersANewOne(t *testing.T) {
	_, link, clock, db := linkWorld(t)
	mux := server.NewMux()
	web.New(web.Deps{DB: db, Links: links.New([]byte("key")), SecretKey: []byte("key"),
		BaseURL: "https://jodo.example.in", Log: slog.New(slog.DiscardHandler), Sessions: stubSessions{}}).Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	clock.Advance(links.TTL)
	resp, err := http.Get(srv.URL + "/j/" + link.Token + "?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone || !strings.Contains(string(page), `href="/d/jh/join?lang=en"`) {
		t.Errorf("expired link: %d %s", resp.StatusCode, page)
	}
}

// An AC with booths listed shows them once the AC is chosen; the booth is
// optional, a booth of another AC is refused, and a chosen booth is where
// the member counts.
func TestBoothIsOfferedAndOptional(t *testing.T) {
	srv, link, _, db := linkWorld(t)
	ctx := context.Background()
	var booths []geo.Area
	for _, b := range []struct{ code, ac, no string }{{"JH-AC-063-B-0001", "JH-AC-063", "1"}, {"JH-AC-063-B-0002", "JH-AC-063", "2"}, {"JH-AC-061-B-0001", "JH-AC-061", "1"}} {
		booths = append(booths, geo.Area{Code: b.code, Kind: "booth", Number: b.no, NameEN: "Booth " + b.no, Parent: b.ac})
	}
	if _, err := db.ImportAreas(ctx, geo.Importer(booths)); err != nil {
		t.Fatal(err)
	}
	path := "/j/" + link.Token
	form := url.Values{"lang": {"en"}, "consent_membership": {"yes"}, "age18": {"yes"}, "name": {"Sunita Devi"}, "ac": {"JH-AC-063"}}
	status, body, _ := post(t, srv, path, form, nil)
	if status != http.StatusOK || !strings.Contains(body, `id="booth-prompt"`) || !strings.Contains(body, `value="JH-AC-063-B-0002"`) ||
		strings.Contains(body, `value="JH-AC-061-B-0001"`) || !strings.Contains(body, `name="booth_offered" value="1"`) {
		t.Fatalf("choosing an AC with booths: %d\n%s", status, body)
	}
	form.Set("booth_offered", "1")
	form.Set("booth", "JH-AC-061-B-0001")
	if status, body, _ := post(t, srv, path, form, nil); status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="err-booth"`) {
		t.Fatalf("another AC's booth: %d\n%s", status, body)
	}
	form.Set("booth", "JH-AC-063-B-0002")
	if status, _, _ := post(t, srv, path, form, nil); status != http.StatusSeeOther {
		t.Fatalf("a booth of the AC: %d", status)
	}
	if code := storetest.MembersCountedAt(t, db); code != "JH-AC-063-B-0002" {
		t.Errorf("the member counts at %q, want the booth", code)
	}
}
