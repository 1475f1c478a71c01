package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/server"
)

// TestAccessMatrix walks every console and API route the server registers
// (its own registry, not a list kept here) with every kind of actor and
// targets in scope, beside it and above it: a route is answered iff the
// actor's role carries the route's permission (access.Table) and the
// target lies in the actor's scope, and no answer, allowed or refused,
// holds a person the actor may not see. Every route that changes state
// refuses a request from another site.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	w := newMatrixWorld(t)
	t.Run("roles and scopes", w.walk)
	t.Run("other sites", w.refuseOtherSites)
}

func (w *matrixWorld) walk(t *testing.T) {
	guarded, asked := 0, 0
	for _, r := range w.routes {
		if !server.Guarded(r.Pattern) {
			continue
		}
		guarded++
		if r.Need == "" {
			t.Errorf("%s is a console or API route that names no permission (register it with Guard)", r.Pattern)
			continue
		}
		method, path := splitPattern(r.Pattern)
		targets, err := w.targets(path)
		if err != nil {
			t.Errorf("%s: %v", r.Pattern, err)
			continue
		}
		for _, tg := range targets {
			for _, a := range w.actors {
				w.check(t, r, method, tg, a)
				asked++
			}
		}
	}
	if guarded == 0 {
		t.Fatal("the server registered no console or API route")
	}
	t.Logf("%d console and API routes, %d requests", guarded, asked)
}

// matrixTarget is one request's target: a URL with its parameters filled,
// and the area it is about ("": nothing anyone may see).
type matrixTarget struct {
	URL    string
	Area   string
	ByPath bool   // the target is in the path: the answer must follow it exactly
	Invite string // a group's invite code, for a route about the group
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// targets fills a route's path parameters generically: {id} with each
// person of the world (and an id that is nobody's), {group} with each
// group of the world (and a group that is nobody's), {code} (or {area})
// with each area, {slug} (or {drive}) with the drive. A route with
// neither a person nor an area in its path is asked about each area with
// ?area=.
func (w *matrixWorld) targets(path string) ([]matrixTarget, error) {
	path = strings.NewReplacer("{$}", "", "{slug}", "jh-sms", "{drive}", "jh-sms", "{area}", "{code}").Replace(path)
	path = strings.ReplaceAll(path, "{kind}", "people") // an export: the list naming everyone
	var out []matrixTarget
	switch {
	case strings.Contains(path, "{id}"):
		for _, p := range matrixPeople {
			out = append(out, matrixTarget{URL: strings.ReplaceAll(path, "{id}", strconv.FormatInt(p.ID, 10)), Area: p.Area, ByPath: true})
		}
		out = append(out, matrixTarget{URL: strings.ReplaceAll(path, "{id}", "987654321"), ByPath: true})
	case strings.Contains(path, "{group}"):
		for _, p := range matrixPeople {
			for id, code := range p.groups {
				out = append(out, matrixTarget{URL: strings.ReplaceAll(path, "{group}", strconv.FormatInt(id, 10)), Area: p.Area, ByPath: true, Invite: code})
			}
		}
		out = append(out, matrixTarget{URL: strings.ReplaceAll(path, "{group}", "987654321"), ByPath: true})
	case strings.Contains(path, "{code}"):
		for _, code := range matrixAreas {
			out = append(out, matrixTarget{URL: strings.ReplaceAll(path, "{code}", code), Area: code, ByPath: true})
		}
	default:
		for _, code := range matrixAreas {
			out = append(out, matrixTarget{URL: path + "?area=" + url.QueryEscape(code), Area: code})
		}
	}
	if p := pathParam.FindString(out[0].URL); p != "" {
		return nil, fmt.Errorf("the matrix does not know how to fill %s: teach targets what it names", p)
	}
	return out, nil
}

func splitPattern(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return http.MethodGet, pattern
	}
	return method, path
}

// isConsole reports whether a path is the console's (a browser session)
// rather than the API's (a bearer token).
func isConsole(path string) bool { return strings.HasPrefix(path, "/console") }

// signedFor reports whether the actor brings the credential the route's
// area reads: a session for the console, a token for the API.
func (a matrixActor) signedFor(path string) bool {
	if isConsole(path) {
		return a.Session != nil
	}
	return a.Token != ""
}

// mayUse reports whether the actor may use need where the route reads it.
func (a matrixActor) mayUse(need access.Permission, path string) bool {
	return need == access.Public || (a.signedFor(path) && a.Role.Has(need))
}

// matrixAnswer is what the server said.
type matrixAnswer struct {
	Status   int
	Location string
	Body     string
	JSON     bool
}

func (w *matrixWorld) ask(t *testing.T, a matrixActor, method, target string, header http.Header, form url.Values) matrixAnswer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, w.base+target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if a.Token != "" {
		req.Header.Set("Authorization", "Bearer "+a.Token)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := a.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return matrixAnswer{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(b),
		JSON: strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")}
}

// denied reports whether an answer refuses: 401, 403, 404, or a redirect
// to sign-in.
func (ans matrixAnswer) denied() bool {
	switch {
	case ans.Status == http.StatusUnauthorized || ans.Status == http.StatusForbidden || ans.Status == http.StatusNotFound:
		return true
	case ans.Status >= 300 && ans.Status < 400:
		u, err := url.Parse(ans.Location)
		return err == nil && strings.HasPrefix(u.Path, "/signin")
	}
	return false
}

// matrixForm is what a state-changing route is posted: enough for the
// forms the console has (a reveal's reason), so that a refusal cannot
// hide behind a missing field.
var matrixForm = url.Values{"reason": {"access matrix check"}, "lang": {"en"}}

// check asks one route about one target as one actor and judges the answer.
func (w *matrixWorld) check(t *testing.T, r server.Route, method string, tg matrixTarget, a matrixActor) {
	t.Helper()
	var form url.Values
	if method != http.MethodGet && method != http.MethodHead {
		form = matrixForm
	}
	ans := w.ask(t, a, method, tg.URL, nil, form)
	what := fmt.Sprintf("%s %s as %s", method, tg.URL, a.Name)
	if ans.Status >= 500 {
		t.Errorf("%s: %d\n%s", what, ans.Status, ans.Body)
		return
	}
	_, path := splitPattern(r.Pattern)
	if r.Need == access.Public {
		if ans.Status == http.StatusUnauthorized || ans.Status == http.StatusForbidden {
			t.Errorf("%s: %d on a public route", what, ans.Status)
		}
		return
	}
	may := a.mayUse(r.Need, path)
	inScope := tg.Area != "" && a.covered(tg.Area)
	switch {
	case !a.signedFor(path) && !isConsole(path) && ans.Status != http.StatusUnauthorized:
		t.Errorf("%s: %d, want 401 (no token)", what, ans.Status)
	case !a.signedFor(path) && isConsole(path) && (ans.Status < 300 || ans.Status > 399 || !ans.denied()):
		t.Errorf("%s: %d to %q, want a redirect to /signin (no session)", what, ans.Status, ans.Location)
	case !may || (tg.ByPath && !inScope):
		if !ans.denied() {
			t.Errorf("%s: %d, want a refusal (role %q, need %s, %s in scope: %v)\n%.300s", what, ans.Status, a.Role, r.Need, tg.Area, inScope, ans.Body)
		}
	case inScope && ans.denied():
		t.Errorf("%s: refused with %d, want it answered (role %q has %s, %s in scope)\n%.300s", what, ans.Status, a.Role, r.Need, tg.Area, ans.Body)
	case inScope && method == http.MethodGet && ans.Status != http.StatusOK:
		t.Errorf("%s: %d, want 200\n%.300s", what, ans.Status, ans.Body)
	}
	allowed := ""
	if r.Need == access.GroupsInvite && may && inScope {
		allowed = tg.Invite // the one invite the admin asked for
		if !strings.Contains(ans.Body, allowed) {
			t.Errorf("%s: %d without the invite asked for", what, ans.Status)
		}
	}
	w.checkContent(t, what, r, path, a, ans, allowed)
}

// checkContent: no answer holds a person the actor may not read (by name,
// number or handle, masked or not; a viewer never sees a handle) nor a
// full number outside a reveal, no answer holds anyone's group invite or
// referral code (in the clear, hashed or sealed; allowed, the code of the
// one invite an admin's "Show invite link" asked for, excepted), and every
// area a JSON answer is about lies in the actor's scope.
func (w *matrixWorld) checkContent(t *testing.T, what string, r server.Route, path string, a matrixActor, ans matrixAnswer, allowed string) {
	t.Helper()
	for _, p := range matrixPeople {
		readable := a.mayUse(access.PeopleRead, path) && a.covered(p.Area)
		national := strings.TrimPrefix(p.Phone, "+91")
		switch {
		case !readable && (strings.Contains(ans.Body, p.Name) || strings.Contains(ans.Body, p.maskedPhone())):
			t.Errorf("%s: the answer (%d) shows %s, outside the actor's reach", what, ans.Status, p.Name)
		case strings.Contains(ans.Body, national) && !(readable && r.Need == access.PeopleReveal):
			t.Errorf("%s: the answer (%d) holds %s's whole number", what, ans.Status, p.Name)
		}
		if h := p.handleShown(ans.Body); h != "" && !readable {
			t.Errorf("%s: the answer (%d) shows %s's handle (%s), outside the actor's reach", what, ans.Status, p.Name, h)
		}
		if s := p.secretShown(ans.Body, allowed); s != "" {
			t.Errorf("%s: the answer (%d) holds %s's group invite or referral code (%s): only they see it, on /me and in the bot", what, ans.Status, p.Name, s)
		}
	}
	if !ans.JSON || ans.Status != http.StatusOK {
		return
	}
	var v any
	if err := json.Unmarshal([]byte(ans.Body), &v); err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	w.checkJSON(t, what, a, v)
}

// checkJSON walks a JSON answer: every "area" it names lies in the actor's
// scope, and every person (an object with an id and a name) is one the
// world has and the actor may read.
func (w *matrixWorld) checkJSON(t *testing.T, what string, a matrixActor, v any) {
	t.Helper()
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			w.checkJSON(t, what, a, e)
		}
	case map[string]any:
		if code, ok := v["area"].(string); ok && code != "" && !w.visible(t, a, code) {
			t.Errorf("%s: the answer is about %s, outside %v", what, code, a.Areas)
		}
		if id, ok := v["id"].(float64); ok {
			if _, named := v["name"]; named && !w.readablePerson(a, int64(id)) {
				t.Errorf("%s: the answer lists person %d, whom %s may not read", what, int64(id), a.Name)
			}
		}
		for _, e := range v {
			w.checkJSON(t, what, a, e)
		}
	}
}

func (w *matrixWorld) readablePerson(a matrixActor, id int64) bool {
	for _, p := range matrixPeople {
		if p.ID == id {
			return a.covered(p.Area)
		}
	}
	return false
}

// visible reports whether the actor's scope covers an area named in an
// answer (any area, not only the world's: a progress report's children).
func (w *matrixWorld) visible(t *testing.T, a matrixActor, code string) bool {
	t.Helper()
	ctx := context.Background()
	scope, err := w.db.ScopeAreas(ctx, a.Areas)
	if err != nil {
		t.Fatal(err)
	}
	area, err := w.db.GetArea(ctx, code)
	if err != nil {
		t.Fatalf("an answer names area %q: %v", code, err)
	}
	ok, err := access.CanSee(ctx, w.db, scope, area)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// refuseOtherSites: every console and API route that changes state
// refuses a request a browser says comes from another site, even with a
// valid admin session, while the same request from the site itself gets
// past that check.
func (w *matrixWorld) refuseOtherSites(t *testing.T) {
	admin := w.actor(t, "admin of JH (session)")
	crossSite := http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}}
	sameSite := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {w.base}}
	changes := 0
	for _, r := range w.routes {
		method, path := splitPattern(r.Pattern)
		if !server.Guarded(r.Pattern) || method == http.MethodGet || method == http.MethodHead {
			continue
		}
		changes++
		targets, err := w.targets(path)
		if err != nil {
			t.Errorf("%s: %v", r.Pattern, err)
			continue
		}
		target := targets[0].URL // the Ranchi person or IN: the first of each kind
		for _, tg := range targets {
			if tg.Area == "JH-AC-063" {
				target = tg.URL
			}
		}
		ans := w.ask(t, admin, method, target, crossSite, matrixForm)
		switch {
		case isConsole(path) && ans.Status != http.StatusForbidden:
			t.Errorf("%s %s from another site with an admin session: %d, want 403", method, target, ans.Status)
		case !isConsole(path) && !ans.denied():
			t.Errorf("%s %s from another site with an admin session: %d, want a refusal", method, target, ans.Status)
		}
		if ans := w.ask(t, admin, method, target, sameSite, matrixForm); isConsole(path) && ans.Status == http.StatusForbidden {
			t.Errorf("%s %s from the site itself with an admin session: 403, so the refusal above proves nothing", method, target)
		}
	}
	t.Logf("%d state-changing console and API routes", changes)
}

func (w *matrixWorld) actor(t *testing.T, name string) matrixActor {
	t.Helper()
	for _, a := range w.actors {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no actor %q", name)
	return matrixActor{}
}

// A drive rooted at a district is offered to every staff member whose scope
// meets it, an AC's coordinator too, and its landing opens for each on an
// area of theirs inside it (a district's ACs lie under the PCs, not under
// the district's path, which the picker once took for "outside").
func TestDistrictDriveInTheConsole(t *testing.T) {
	t.Parallel()
	w := newMatrixWorld(t)
	for _, a := range w.actors {
		if a.Session == nil || a.Role == "" {
			continue
		}
		ans := w.ask(t, a, http.MethodGet, "/console?drive=ranchi-d&lang=en", nil, nil)
		if ans.Status != http.StatusOK || !strings.Contains(ans.Body, "Progress: ") {
			t.Errorf("%s: /console?drive=ranchi-d answered %d: %.300s", a.Name, ans.Status, ans.Body)
		}
	}
}
