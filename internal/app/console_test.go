package app_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/staff"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// consoleWorld is a served Jodo with the state drive jh-sms, members in
// Ranchi (JH-AC-063) and Dhanbad (JH-AC-040), and staff signed in by link.
type consoleWorld struct {
	t       *testing.T
	db      *store.DB
	base    string
	gw      *smstest.FakeGateway
	dbURL   string
	driveID int64
	ranchi  int64 // सुनीता देवी, +91 98765 11111, JH-AC-063
	dhanbad int64 // Ramesh Kumar, +91 98765 22222, JH-AC-040
}

const (
	ranchiPhone  = "+919876511111"
	dhanbadPhone = "+919876522222"
)

func newConsoleWorld(t *testing.T, revealCap int, env ...string) *consoleWorld {
	t.Helper()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "en")
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	w := &consoleWorld{t: t, gw: gw, base: smsServe(t, dbURL, gw, append([]string{"JODO_REVEAL_DAILY_CAP", fmt.Sprint(revealCap)}, env...)...)}
	w.db, w.dbURL = storetest.Attach(t, dbURL), dbURL
	d, err := w.db.DriveBySlug(context.Background(), "jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	w.driveID = d.ID
	w.ranchi = w.member("सुनीता देवी", ranchiPhone, "JH-AC-063")
	w.dhanbad = w.member("Ramesh Kumar", dhanbadPhone, "JH-AC-040")
	return w
}

// member registers a person in the drive at an AC, as the join form does.
func (w *consoleWorld) member(name, phone, ac string) int64 {
	w.t.Helper()
	id, _ := w.joinAt(name, phone, ac, 0)
	return id
}

// joinAt registers a person in the drive at an AC, as the join form does,
// referred by referrer (0: nobody); it returns them and their
// participation.
func (w *consoleWorld) joinAt(name, phone, ac string, referrer int64) (id, part int64) {
	w.t.Helper()
	ctx := context.Background()
	area, err := w.db.GetArea(ctx, ac)
	if err != nil {
		w.t.Fatal(err)
	}
	p := people.New([]byte(processSecretKey))
	day := time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateOnly)
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		j, err := p.JoinByPhone(ctx, tx, people.PhoneJoin{Phone: phone, DriveID: w.driveID, Language: "hi", Channel: "web", Day: day})
		if err != nil {
			return err
		}
		id = j.PersonID
		pa, err := store.FindParticipation(ctx, tx, id, w.driveID)
		if err != nil {
			return err
		}
		part = pa.ID
		if referrer != 0 {
			if set, err := store.SetReferrer(ctx, tx, part, referrer); err != nil || !set {
				return fmt.Errorf("referring %s: set %v, %v", name, set, err)
			}
		}
		_, err = p.Register(ctx, tx, people.Registration{PersonID: id, DriveID: w.driveID, Name: name, Language: "hi", AreaID: area.ID,
			Consents: []string{store.PurposeMembership, store.PurposeSMS}, NoticeVersion: "test", Channel: "web", Day: day, Proof: people.ByLink})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id, part
}

// staffLink gives the person with phone a role over areas and returns a
// one-time sign-in link's token for them.
func (w *consoleWorld) staffLink(phone, name string, role access.Role, areas ...string) string {
	w.t.Helper()
	ctx := context.Background()
	s := staff.New([]byte(processSecretKey))
	cli := access.CLI("test", nil)
	var token string
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := s.Add(ctx, tx, cli, staff.Grant{Phone: phone, Name: name, Role: string(role), Areas: areas}); err != nil {
			return err
		}
		var err error
		token, err = s.Link(ctx, tx, cli, phone)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return token
}

// staffClient signs a new staff member in with a one-time link (GET shows
// the button, POST uses it) and returns their browser: cookies kept,
// redirects not followed.
func (w *consoleWorld) staffClient(phone, name string, role access.Role, areas ...string) *http.Client {
	w.t.Helper()
	token := w.staffLink(phone, name, role, areas...)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if status, _ := w.get(c, "/signin/link/"+token+"?lang=en"); status != http.StatusOK {
		w.t.Fatalf("the sign-in link's page: HTTP %d", status)
	}
	resp := w.post(c, "/signin/link/"+token, url.Values{"lang": {"en"}}, nil)
	if resp.status != http.StatusSeeOther || !strings.HasPrefix(resp.location, "/console") {
		w.t.Fatalf("using the sign-in link: HTTP %d to %q", resp.status, resp.location)
	}
	return c
}

func (w *consoleWorld) get(c *http.Client, path string) (int, string) {
	w.t.Helper()
	r := w.do(c, http.MethodGet, path, nil, nil)
	return r.status, r.body
}

type answer struct {
	status         int
	body, location string
	header         http.Header
}

func (w *consoleWorld) post(c *http.Client, path string, form url.Values, header http.Header) answer {
	w.t.Helper()
	return w.do(c, http.MethodPost, path, strings.NewReader(form.Encode()), header)
}

func (w *consoleWorld) do(c *http.Client, method, path string, body io.Reader, header http.Header) answer {
	w.t.Helper()
	req, err := http.NewRequest(method, w.base+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location"), header: resp.Header}
}

// search posts the people search's form and checks the answer.
func (w *consoleWorld) search(c *http.Client, form url.Values, header http.Header, status int, has ...string) answer {
	w.t.Helper()
	r := w.post(c, "/console/people", form, header)
	if r.status != status {
		w.t.Errorf("searching %v: HTTP %d, want %d: %.400s", form, r.status, status, r.body)
	}
	for _, s := range has {
		if !strings.Contains(r.body, s) {
			w.t.Errorf("searching %v does not show %q: %.2000s", form, s, r.body)
		}
	}
	return r
}

func (w *consoleWorld) want(c *http.Client, path string, status int, has ...string) string {
	w.t.Helper()
	got, body := w.get(c, path)
	if got != status {
		w.t.Errorf("GET %s: HTTP %d, want %d: %.400s", path, got, status, body)
	}
	for _, s := range has {
		if !strings.Contains(body, s) {
			w.t.Errorf("GET %s does not show %q: %.2000s", path, s, body)
		}
	}
	return body
}

func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Without a session every console page sends the browser to sign in and
// back; a member with no role is refused in their language.
func TestConsoleNeedsAStaffSession(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	for _, path := range []string{"/console", "/console/people?area=JH-AC-063", fmt.Sprintf("/console/people/%d", w.ranchi), "/console/audit"} {
		r := w.do(noRedirects(), http.MethodGet, path, nil, nil)
		want := "/signin?" + url.Values{"lang": {"hi"}, "next": {path}}.Encode()
		if r.status != http.StatusSeeOther || r.location != want {
			t.Errorf("GET %s without a session: HTTP %d to %q, want 303 to %q", path, r.status, r.location, want)
		}
	}
	// A search's text never rides along to sign-in, asked for by GET
	// (an old address) or by POST.
	for path, next := range map[string]string{"/console/people?q=sunita&area=JH-AC-063&cursor=abc": "/console/people?area=JH-AC-063", "/console/people?q=9876511111": "/console/people"} {
		r := w.do(noRedirects(), http.MethodGet, path, nil, nil)
		if want := "/signin?" + (url.Values{"lang": {"hi"}, "next": {next}}).Encode(); r.status != http.StatusSeeOther || r.location != want {
			t.Errorf("GET %s without a session: HTTP %d to %q, want 303 to %q", path, r.status, r.location, want)
		}
	}
	r := w.post(noRedirects(), "/console/people", url.Values{"q": {"sunita"}, "cursor": {"abc"}}, nil)
	if want := "/signin?" + (url.Values{"lang": {"hi"}, "next": {"/console/people"}}).Encode(); r.status != http.StatusSeeOther || r.location != want {
		t.Errorf("a search without a session: HTTP %d to %q, want 303 to %q", r.status, r.location, want)
	}
	r = w.post(noRedirects(), fmt.Sprintf("/console/people/%d/reveal", w.ranchi), url.Values{"reason": {"called back"}}, nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin?") {
		t.Errorf("a reveal without a session: HTTP %d to %q", r.status, r.location)
	}

	bw := &botWorld{t: t, db: w.db, gw: w.gw, base: w.base}
	member := bw.signInOnMe(dhanbadPhone)
	member.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	w.want(member, "/console?lang=hi", http.StatusForbidden, "यह आयोजकों का कंसोल है")
	w.want(member, "/console/people?lang=en", http.StatusForbidden, "you hold no role")
	if body := w.want(member, "/console", http.StatusForbidden); strings.Contains(body, `href="/console/people"`) {
		t.Error("a member's 403 page links to the people search")
	}
}

// A viewer sees progress, counts only: the people pages are refused and
// not in their navigation. Numbers are grouped the Indian way in both
// languages, and every console page carries its policy and headers.
func TestConsoleViewerSeesProgressOnly(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	viewer := w.staffClient("+919876500003", "Viewer One", access.Viewer, "JH")
	body := w.want(viewer, "/console?lang=en", http.StatusOK, "Progress: Jharkhand (JH)", "5,00,000", "Viewer One", "viewer: JH",
		`href="/console?area=JH-PC-08&amp;drive=jh-sms&amp;tree=electoral"`, "by district")
	if strings.Contains(body, `href="/console/people"`) || strings.Contains(body, `href="/console/audit"`) {
		t.Error("a viewer's navigation links to pages their role does not allow")
	}
	// The state's PCs or, apart, its districts: one list would count everyone twice.
	if strings.Contains(body, "area=JH-D-RANCHI&") {
		t.Error("the state's table mixes districts into its PCs")
	}
	body = w.want(viewer, "/console?tree=district&lang=en", http.StatusOK, "<h2 id=\"h-table\">Districts", "area=JH-D-RANCHI&")
	if strings.Contains(body, `<tr data-code="JH-PC-08">`) {
		t.Error("the state's districts are mixed with its PCs")
	}
	w.want(viewer, "/console?lang=hi", http.StatusOK, `<html lang="hi">`, "प्रगति: झारखंड (JH)", "5,00,000", "लक्ष्य", "दर्शक")
	w.want(viewer, "/console?drive=jh-sms&area=JH-AC-063&lang=en", http.StatusOK, "Progress: Ranchi (JH-AC-063)")
	w.want(viewer, "/console?area=IN", http.StatusForbidden)
	w.want(viewer, "/console/people", http.StatusForbidden)
	w.want(viewer, fmt.Sprintf("/console/people/%d", w.ranchi), http.StatusForbidden)
	w.want(viewer, "/console/audit", http.StatusForbidden)

	r := w.do(viewer, http.MethodGet, "/console", nil, nil)
	for k, v := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
		"Cache-Control":           "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex",
	} {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	for _, bad := range []string{"<script>", "style=", "<style"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("the landing page holds %q, which its policy blocks", bad)
		}
	}
}

// A coordinator of JH-AC-063 sees Ranchi's people and not Dhanbad's,
// whatever the URL says; their landing opens on their own AC.
func TestConsoleCoordinatorSeesOnlyTheirArea(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	w.want(coord, "/console?lang=en", http.StatusOK, "Progress: Ranchi (JH-AC-063)", `href="/console/people"`)
	w.want(coord, "/console?drive=jh-sms&area=JH&lang=en", http.StatusForbidden)
	w.want(coord, "/console?drive=jh-sms&area=JH-AC-040&lang=en", http.StatusForbidden)
	body := w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), http.StatusOK,
		"<title>Person · Jodo console</title>", `<h1 id="name">सुनीता देवी</h1>`, "91 98xxxxxx11", "Ranchi (JH-AC-063)", "Membership", "never given")
	if strings.Contains(body, "9876511111") {
		t.Error("the person page shows the full number before a reveal")
	}
	w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), http.StatusOK, "person_view", "person:")
	body = w.want(coord, fmt.Sprintf("/console/people/%d?lang=hi", w.ranchi), http.StatusOK, `<html lang="hi">`, "सहमति", "नहीं दी गई", "पूरा नंबर दिखाएँ",
		"निजी जानकारी", "<title>व्यक्ति · जोड़ो कंसोल</title>")
	if title := body[strings.Index(body, "<title>"):strings.Index(body, "</title>")]; strings.Contains(title, "सुनीता") {
		t.Errorf("the person page's title names her: %s", title)
	}
	w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.dhanbad), http.StatusNotFound)
	w.want(coord, "/console/people/999999?lang=en", http.StatusNotFound)
	w.want(coord, "/console/people/abc?lang=en", http.StatusNotFound)
	w.want(coord, "/console/audit", http.StatusForbidden)
}

// A posted console form that is not UTF-8 or holds a NUL is a 400 page in
// the person's language, before it reaches a search or a reveal.
func TestConsoleRefusesUnreadablePosts(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	reveal := fmt.Sprintf("/console/people/%d/reveal", w.ranchi)
	for _, c := range []struct {
		path, lang, has string
		form            url.Values
	}{
		{"/console/people", "en", "characters that cannot be read", url.Values{"q": {"sun\xff"}}},
		{"/console/people", "hi", "पढ़े नहीं जा सकते", url.Values{"q": {"sun\x00"}}},
		{"/console/people", "en", "characters that cannot be read", url.Values{"area\xfe": {"JH-AC-063"}}},
		{reveal, "en", "characters that cannot be read", url.Values{"reason": {"called back\x00 about the booth"}}},
		{reveal, "hi", "पढ़े नहीं जा सकते", url.Values{"reason": {"called back \xc3\x28 about it"}}},
	} {
		c.form.Set("lang", c.lang)
		r := w.post(coord, c.path, c.form, nil)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, c.has) || !strings.Contains(r.body, `<html lang="`+c.lang+`">`) {
			t.Errorf("POST %s %q: HTTP %d, want 400 in %s saying %q: %.300s", c.path, c.form.Encode(), r.status, c.lang, c.has, r.body)
		}
	}
	if r := w.post(coord, reveal, url.Values{"reason": {"called back about the booth"}, "lang": {"en"}}, nil); r.status != http.StatusOK {
		t.Errorf("a readable reveal after the refused ones: HTTP %d", r.status)
	}
}

// Revealing a number needs a reason, is audited with it, and stops at the
// daily cap; a cross-origin POST is refused.
func TestConsoleReveal(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 2)
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	path := fmt.Sprintf("/console/people/%d/reveal", w.ranchi)

	r := w.post(coord, path, url.Values{"reason": {"abc"}, "lang": {"en"}}, nil)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="abc"`) || !strings.Contains(r.body, "Say why") {
		t.Errorf("a reveal with too short a reason: HTTP %d, want 422 with the typed reason kept: %.600s", r.status, r.body)
	}
	if strings.Contains(r.body, "9876511111") {
		t.Error("a refused reveal shows the number")
	}
	r = w.post(coord, path, url.Values{"reason": {"she asked to be called on 98765 43210"}, "lang": {"en"}}, nil)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "without a phone number") {
		t.Errorf("a reason holding a number: HTTP %d, want 422 saying why: %.600s", r.status, r.body)
	}

	for _, h := range []http.Header{{"Sec-Fetch-Site": {"cross-site"}}, {"Origin": {"https://evil.example"}}} {
		if r := w.post(coord, path, url.Values{"reason": {"called back about the booth"}}, h); r.status != http.StatusForbidden {
			t.Errorf("a cross-origin reveal (%v): HTTP %d, want 403", h, r.status)
		}
	}

	r = w.post(coord, path, url.Values{"reason": {"called back about the booth"}, "lang": {"en"}}, nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, ranchiPhone[1:]) {
		t.Fatalf("a reveal with a reason: HTTP %d, want 200 with the number: %.600s", r.status, r.body)
	}
	r = w.post(coord, path, url.Values{"reason": {"second call about the booth"}}, http.Header{"Hx-Request": {"true"}})
	if r.status != http.StatusOK || !strings.Contains(r.body, ranchiPhone[1:]) || strings.Contains(r.body, "<html") {
		t.Errorf("an htmx reveal: HTTP %d, want 200 with only the revealed part: %.600s", r.status, r.body)
	}
	r = w.post(coord, path, url.Values{"reason": {"third call about the booth"}, "lang": {"en"}}, nil)
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "as many full numbers") || strings.Contains(r.body, ranchiPhone[1:]) {
		t.Errorf("a reveal over the cap: HTTP %d, want 429 saying so: %.600s", r.status, r.body)
	}
	// Searches by number are capped at ten times the reveal cap (2): the
	// 21st is refused, saying so; a name search still runs.
	for i := range 20 {
		w.search(coord, url.Values{"q": {fmt.Sprintf("98765%05d", i)}, "lang": {"en"}}, nil, http.StatusOK)
	}
	w.search(coord, url.Values{"q": {"9876599999"}, "lang": {"en"}}, nil, http.StatusTooManyRequests, "searched by phone number as often")
	w.search(coord, url.Values{"q": {"sunita"}, "lang": {"en"}}, nil, http.StatusOK)
	if r := w.post(coord, fmt.Sprintf("/console/people/%d/reveal", w.dhanbad), url.Values{"reason": {"called back about the booth"}}, nil); r.status != http.StatusNotFound {
		t.Errorf("revealing a Dhanbad number as Ranchi's coordinator: HTTP %d, want 404", r.status)
	}

	// The coordinator sees the reveal with its reason on the person's page;
	// an admin finds it in the whole log.
	w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), http.StatusOK, "reveal", "called back about the booth")
	admin := w.staffClient("+919876500009", "Admin One", access.Admin, "JH")
	body := w.want(admin, "/console/audit?action=reveal&lang=en", http.StatusOK, "called back about the booth", "second call about the booth")
	if strings.Contains(body, "third call") {
		t.Error("the refused reveal is in the audit log as a reveal")
	}
	w.want(admin, "/console/audit?area=JH-AC-063&action=reveal", http.StatusOK, "called back about the booth")
	// A district is its ACs, which lie under the PCs, not under its path.
	w.want(admin, "/console/audit?area=JH-D-RANCHI&action=reveal", http.StatusOK, "called back about the booth")
	w.want(admin, "/console/audit?area=JH-X-NOWHERE", http.StatusUnprocessableEntity)
	if body := w.want(admin, "/console/audit?area=JH-AC-040&action=reveal", http.StatusOK); strings.Contains(body, "called back") {
		t.Error("the audit filtered by Dhanbad's AC shows a reveal about a Ranchi person")
	}
	today := time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateOnly)
	w.want(admin, "/console/audit?action=reveal&from="+today+"&to="+today, http.StatusOK, "called back about the booth")
	if body := w.want(admin, "/console/audit?action=reveal&to=2020-01-01", http.StatusOK); strings.Contains(body, "called back") {
		t.Error("the audit filtered to 2020 shows today's reveal")
	}
	w.want(admin, "/console/audit?from=yesterday", http.StatusUnprocessableEntity)
	w.want(admin, "/console/audit?lang=hi", http.StatusOK, "ऑडिट लॉग", "किसने")
}

// A coordinator finds Ranchi's people by name (either script) and by
// phone in any common form, never Dhanbad's; htmx gets the results alone;
// numbers are masked; pages follow one another by a "next page" form. The
// search is a POST: what was searched for is in no address.
func TestConsoleSearch(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	w.member("Sunil Oraon", "+919876533333", "JH-AC-063")
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	for _, q := range []string{"सुनी", "suni", "Sunita", "098765 11111", "+91 98765-11111"} {
		body := w.search(coord, url.Values{"lang": {"en"}, "q": {q}}, nil, http.StatusOK, "सुनीता देवी", "98xxxxxx11").body
		if strings.Contains(body, "9876511111") {
			t.Errorf("searching %q shows the whole number", q)
		}
	}
	if body := w.search(coord, url.Values{"q": {"Ramesh"}}, nil, http.StatusOK, `id="noresults"`).body; strings.Contains(body, "Ramesh Kumar") {
		t.Error("Ranchi's coordinator found a Dhanbad person by name")
	}
	if body := w.search(coord, url.Values{"q": {dhanbadPhone}}, nil, http.StatusOK).body; strings.Contains(body, "Ramesh Kumar") {
		t.Error("Ranchi's coordinator found a Dhanbad person by phone")
	}
	w.search(coord, url.Values{"q": {"sun"}, "stage": {"verified"}, "channel": {"web"}, "drive": {"jh-sms"}, "area": {"JH-AC-063"}}, nil, http.StatusOK, "सुनीता देवी", "Sunil Oraon")
	w.search(coord, url.Values{"stage": {"champion"}}, nil, http.StatusUnprocessableEntity, `id="search-error"`)
	if body := w.search(coord, url.Values{"q": {"sun"}, "lang": {"hi"}}, nil, http.StatusOK, "लोग खोजें", "सदस्य बने", "<td>रांची (JH-AC-063)</td>").body; strings.Contains(body, "Ranchi") {
		t.Error("a Hindi search names the area in English")
	}
	w.search(coord, url.Values{"q": {"sun"}, "lang": {"en"}}, nil, http.StatusOK, "<td>Ranchi (JH-AC-063)</td>")
	// A GET runs the filters that say nothing about a person; it ignores
	// a text in the address rather than search by it.
	w.want(coord, "/console/people?stage=verified&area=JH-AC-063&lang=en", http.StatusOK, "सुनीता देवी", "Sunil Oraon")
	if body := w.want(coord, "/console/people?q=sun&lang=en", http.StatusOK); strings.Contains(body, `id="people"`) || strings.Contains(body, `value="sun"`) {
		t.Error("a GET searched by the text in its address")
	}
	// An area or a drive outside the scope is the form again, saying so;
	// not found is the same as before.
	w.search(coord, url.Values{"q": {"ramesh"}, "area": {"JH-AC-040"}, "lang": {"en"}}, nil, http.StatusUnprocessableEntity, `id="search-error"`, "outside the areas you may see")
	w.search(coord, url.Values{"area": {"JH-AC-040"}, "lang": {"hi"}}, nil, http.StatusUnprocessableEntity, "आपके इलाक़ों से बाहर")
	w.search(coord, url.Values{"area": {"XX-AC-999"}, "lang": {"en"}}, nil, http.StatusUnprocessableEntity, "This search cannot be run")

	r := w.search(coord, url.Values{"q": {"sun"}}, http.Header{"Hx-Request": {"true"}}, http.StatusOK)
	if strings.Contains(r.body, "<html") || !strings.Contains(r.body, `id="people"`) {
		t.Errorf("an htmx search: HTTP %d, want only the results: %.300s", r.status, r.body)
	}

	// 52 people match "sun": a page of 50 and a form for the other 2.
	for i := range 50 {
		w.member(fmt.Sprintf("Sunny %02d", i), fmt.Sprintf("+9198765400%02d", i), "JH-AC-063")
	}
	first := w.search(coord, url.Values{"q": {"sun"}, "lang": {"en"}}, nil, http.StatusOK, `id="next"`).body
	next := nextForm(t, first)
	if next.Get("q") != "sun" || next.Get("cursor") == "" || next.Get("lang") != "en" {
		t.Errorf("the next page's form carries %v", next)
	}
	second := w.search(coord, next, nil, http.StatusOK).body
	n1, n2 := strings.Count(first, `<a href="/console/people/`), strings.Count(second, `<a href="/console/people/`)
	if n1 != 50 || n2 != 2 || strings.Contains(second, `id="next"`) {
		t.Errorf("pages of %d and %d people (next on the last: %v), want 50 and 2", n1, n2, strings.Contains(second, `id="next"`))
	}
	for _, name := range []string{"सुनीता देवी", "Sunil Oraon", "Sunny 00", "Sunny 49"} {
		if strings.Contains(first, name) == strings.Contains(second, name) {
			t.Errorf("%s is on both pages or on neither", name)
		}
	}
}

// What a staff member searches for (a phone, a name) is in no address:
// not in a redirect, a header htmx would push into the history, a link or
// a form's action, on the page or its next one, with or without htmx.
func TestConsoleSearchKeepsTheTextOutOfAddresses(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	for i := range 51 {
		w.member(fmt.Sprintf("Sunny %02d", i), fmt.Sprintf("+9198765400%02d", i), "JH-AC-063")
	}
	for _, q := range []string{"सुनी", "Sunny", "098765 11111", "+91 98765-11111"} {
		for _, header := range []http.Header{nil, {"Hx-Request": {"true"}}} {
			for _, lang := range []string{"hi", "en"} {
				r := w.search(coord, url.Values{"q": {q}, "lang": {lang}}, header, http.StatusOK)
				noTextInAddresses(t, r, q)
				if q == "Sunny" {
					r = w.search(coord, nextForm(t, r.body), header, http.StatusOK, "Sunny")
					noTextInAddresses(t, r, q)
				}
			}
		}
	}
	page := w.want(coord, "/console/people?lang=hi", http.StatusOK, `method="post" action="/console/people"`, `hx-post="/console/people"`)
	if strings.Contains(page, "hx-push-url") || strings.Contains(page, "hx-get") {
		t.Error("the search form pushes or gets an address")
	}
}

// addressAttr is an attribute that holds an address a browser may show,
// keep in its history or send.
var addressAttr = regexp.MustCompile(`(?:href|action|src|hx-get|hx-post|hx-push-url|hx-replace-url)="([^"]*)"`)

// noTextInAddresses fails t if the answer's headers or any address in its
// body holds text, as typed, escaped or as its digits.
func noTextInAddresses(t *testing.T, r answer, text string) {
	t.Helper()
	forms := []string{text, url.QueryEscape(text), url.PathEscape(text)}
	if digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, text); len(digits) >= 5 {
		forms = append(forms, digits, digits[len(digits)-10:])
	}
	var addrs []string
	for _, h := range []string{"Location", "Content-Location", "Hx-Push-Url", "Hx-Replace-Url", "Hx-Location", "Hx-Redirect"} {
		addrs = append(addrs, r.header.Values(h)...)
	}
	for _, m := range addressAttr.FindAllStringSubmatch(r.body, -1) {
		addrs = append(addrs, html.UnescapeString(m[1]))
	}
	for _, a := range addrs {
		for _, f := range forms {
			if strings.Contains(strings.ToLower(a), strings.ToLower(f)) {
				t.Errorf("searching %q: an address holds it: %q", text, a)
			}
		}
	}
}

// nextForm is the fields of the "next page" form on a page of results.
func nextForm(t *testing.T, body string) url.Values {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form method="post" action="/console/people" class="pager" id="next"[^>]*>(.*?)</form>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no next page form: %.300s", body)
	}
	v := url.Values{}
	for _, f := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(m[1], -1) {
		v.Set(f[1], html.UnescapeString(f[2]))
	}
	return v
}
