package app_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// skippedCommands are the documented commands the walk does not run, by
// their first arguments, each with why. Every other `jodo …` line in a code
// block of README.md or docs/ is run, so a new one is walked by default.
var skippedCommands = map[string]string{
	"bench": "a load test of several seconds against its own server and PostgreSQL database (docs/performance.md)",
}

// serverCommands start a server; the walk is itself one such server, so
// their lines are only parsed, which finds a renamed command or flag.
var serverCommands = []string{"serve", "demo"}

// skippedURLs are the documented paths the walk does not request, each
// with why. Every other local path shown is requested on the demo server.
var skippedURLs = map[string]string{
	"/api/":                             "a prefix named in prose (what lives under it), not a page",
	"/card/":                            "a prefix named in prose, not a page",
	"/hooks/…":                          "a prefix named in prose, not a page",
	"/verify/":                          "a prefix named in prose, not a page",
	"/j/":                               "a prefix named in prose, not a page",
	"/j":                                "a prefix named in prose, not a page",
	"/j/…":                              "elided: the link in the SMS the demo prints after a call (TestPageWeightOverTheWire opens one)",
	"/d/…/join":                         "elided: /d/{slug}/join and /d/jh-warriors/join are walked",
	"/card/{number}.png?e=…&s=…":        "a signed, expiring link made for one member's card; the demo has no member",
	"/hooks/twilio/voice":               "needs JODO_TWILIO_AUTH_TOKEN (a real provider's); unconfigured, it is a 404 on purpose (docs/providers.md)",
	"/hooks/exotel/sms-status/{secret}": "needs Exotel's SMS settings; the demo's log provider gets no delivery reports, so it is a 404 on purpose (docs/sms.md)",
	"/api/v1":                           "a prefix named in prose (all of the API is under it), not a page",
	"/api/v1/areas":                     "prose naming the public route (docs/access.md); docs/api.md walks it with its required kind or parent",
	"/verify":                           "prose for the /verify/{number} page, which is walked where the docs show it",
	"/v1/Accounts/{sid}/Sms/send.json":  "Exotel's API, not Jodo's",
	"/XS/":                              "an area's path in the area tree (docs/geography.md), not a URL",
	"/XS/XS-D-HILLS/":                   "an area's path in the area tree, not a URL",
	"/XS/XS-PC-01/XS-AC-002/":           "an area's path in the area tree, not a URL",
	"/XS/XS-PC-01/XS-AC-001/XS-AC-001-B-0002A/": "an area's path in the area tree, not a URL",
	"/IN/JH/JH-PC-08/":                          "an area's path in the area tree, not a URL",
	"/IN/JH/JH-PC-08/JH-AC-063/":                "an area's path in the area tree, not a URL",
}

// expectedStatus is what a documented request answers on the demo when that
// is not a page (2xx after redirects), each with why.
var expectedStatus = map[string][]int{
	// A made-up token: the docs say an unknown link answers 404.
	"GET /j/{token}": {http.StatusNotFound},
	// Meta's handshake without its verify token is refused.
	"GET /hooks/whatsapp": {http.StatusForbidden, http.StatusBadRequest},
	// A made-up sign-in link: the dead link's page (TestDemoAdminSignsInByLink
	// uses the one the demo prints).
	"GET /signin/link/{token}": {http.StatusNotFound},
	// No member has this number on the demo: the page says it is not valid.
	"GET /verify/{number}": {http.StatusNotFound},
	// The demo's people take part in no drive: a person's id is not_found,
	// as the docs say for one outside the token's scope.
	"GET /api/v1/people/{id}": {http.StatusNotFound},
	// Named in docs/access.md's prose as a public route: without kind or
	// parent the list asks for one.
	"GET /api/v1/areas": {http.StatusBadRequest},
}

// placeholders are the words the docs use for values, and what stands in
// for them on the demo.
var placeholders = strings.NewReplacer(
	"{slug}", "jh-warriors",
	"{code}", "JH-AC-063",
	"=CODE", "=JH",
	"{token}", "not-a-real-token",
	"{number}", "JH-0000000",
	"{id}", "1",
	// the area file docs/geography.md shows (internal/geo checks they agree)
	"FILE.csv", "../../internal/geo/testdata/example_areas.csv",
)

var optionalPart = regexp.MustCompile(`\[[^\]]*\]`)

// TestDocsWalk runs every command and requests every local URL that
// README.md and docs/ show, on one demo server, and names the doc line of
// each that no longer works.
func TestDocsWalk(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	var out syncBuffer
	base, _, stop := start(t, "demo", db, &out)
	defer stop()
	token, secret := adminToken(out.String()), demoHookSecret(t, out.String())
	work := t.TempDir()
	seedDriveFiles(t, db, work)
	seen := map[string]bool{}
	for _, doc := range readDocs(t) {
		for _, c := range docCommands(doc.name, doc.lines) {
			seen[c.args[0]] = true
			runDocCommand(t, c, db, work)
		}
		for _, u := range docURLs(doc.name, doc.lines) {
			seen[u.path] = true
			checkDocURL(t, u, base, token, secret)
		}
	}
	if len(seen) < 40 {
		t.Errorf("walked only %d distinct commands and URLs; is the extraction broken?", len(seen))
	}
	for _, list := range []map[string]string{skippedCommands, skippedURLs} {
		for key := range list {
			if !seen[key] {
				t.Errorf("no doc shows %q any more: take it off the walk's skip list", key)
			}
		}
	}
}

// demoHookSecret is the URL secret of the missed-call curl the demo prints:
// the demo's channels take it on every provider's URL.
func demoHookSecret(t *testing.T, out string) string {
	t.Helper()
	_, after, _ := strings.Cut(out, "/hooks/missed-call/")
	fields := strings.Fields(after)
	if len(fields) == 0 {
		t.Fatalf("no missed-call URL printed:\n%s", out)
	}
	return strings.Trim(fields[0], `'"`)
}

// seedDriveFiles writes the demo drive's file under every name the docs
// apply, so `jodo drive apply jh-warriors.json` has a file to read.
func seedDriveFiles(t *testing.T, db, work string) {
	t.Helper()
	file := mustJodo(t, db, "drive", "export", "jh-warriors")
	for _, name := range []string{"jh-warriors.json", "drive.json", "older.json"} {
		if err := os.WriteFile(filepath.Join(work, name), []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// runDocCommand runs one documented command on the walk's database, with
// file arguments in work, and checks it succeeds and prints what the docs
// show under a `$ ` prompt.
func runDocCommand(t *testing.T, c docCommand, db, work string) {
	t.Helper()
	if why, ok := skippedCommands[c.args[0]]; ok {
		t.Logf("%s: skipped %q: %s", c.at, c.text, why)
		return
	}
	args := slices.Clone(c.args)
	for i := range args {
		args[i] = placeholders.Replace(args[i])
	}
	args = docArgs(args, db, work)
	if slices.Contains(serverCommands, args[0]) {
		// The key stands in for the JODO_SECRET_KEY_FILE the docs export first.
		env := map[string]string{"JODO_DATABASE_URL": db, "JODO_SECRET_KEY": strings.Repeat("k", 32)}
		if _, err := config.Parse(args, mapEnv(env), io.Discard); err != nil {
			t.Errorf("%s: %q does not parse: %v", c.at, c.text, err)
		}
		t.Logf("%s: parsed %q (the walk's server stands in for it)", c.at, c.text)
		return
	}
	out, err := runEnv(t, nil, args...)
	if err != nil {
		t.Errorf("%s: %q failed: %v\n%s", c.at, c.text, err, out)
		return
	}
	if c.redirect != "" {
		if err := os.WriteFile(filepath.Join(work, c.redirect), []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%s: ran %q", c.at, c.text)
	for _, want := range c.want {
		if !strings.Contains(out, want) {
			t.Errorf("%s: %q does not print %q; it prints:\n%s", c.at, c.text, want, out)
		}
	}
}

// docArgs puts the walk's database in place of the one the docs name (or
// adds it) and the work folder under file arguments.
func docArgs(doc []string, db, work string) []string {
	args := doc
	hasDB := false
	for i, a := range args {
		switch {
		case i > 0 && args[i-1] == "--db":
			args[i], hasDB = db, true
		case strings.HasPrefix(a, "../"):
			// a file of the repository (a placeholder's stand-in)
		case strings.HasSuffix(a, ".json") || strings.HasSuffix(a, ".csv"):
			args[i] = filepath.Join(work, a)
		}
	}
	if len(args) > 0 && args[0] == "version" || hasDB {
		return args
	}
	return append(args, "--db", db)
}

// checkDocURL requests one documented path on the demo server, with the
// admin token under /api/ and the metrics token on /metrics, and checks it
// answers as the docs imply: a page, or for a POST without its form or
// signature a refusal from the route (not a 404).
func checkDocURL(t *testing.T, u docURL, base, token, secret string) {
	t.Helper()
	if why, ok := skippedURLs[u.path]; ok {
		t.Logf("%s: skipped %s: %s", u.at, u.path, why)
		return
	}
	path := optionalPart.ReplaceAllString(u.path, "")
	method := "GET"
	if u.method == "POST" || u.method == "" && strings.HasPrefix(path, "/hooks/") {
		method = "POST" // webhooks named without a method are what providers POST to
	}
	want, known := expectedStatus[method+" "+path]
	path = strings.ReplaceAll(placeholders.Replace(path), "{secret}", secret)
	if strings.Contains(path, "…") || strings.Contains(path, "|") {
		path = firstChoices(path)
	}
	req, err := http.NewRequest(method, base+path, nil)
	if err != nil {
		t.Errorf("%s: %s: %v", u.at, u.path, err)
		return
	}
	switch {
	case strings.HasPrefix(path, "/api/"):
		req.Header.Set("Authorization", "Bearer "+token)
	case path == "/metrics":
		req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("%s: %s %s: %v", u.at, method, path, err)
		return
	}
	resp.Body.Close()
	code := resp.StatusCode
	ok := code < 400
	switch {
	case known:
		ok = slices.Contains(want, code)
	case method == "POST":
		// No form, secret or signature: refused, but the route is there.
		ok = code != http.StatusNotFound && code != http.StatusMethodNotAllowed && code < 500
	}
	if !ok {
		t.Errorf("%s: %s %s (shown as %q) answers %d", u.at, method, path, u.path, code)
	}
	t.Logf("%s: %s %s: %d", u.at, method, u.path, code)
}

// firstChoices keeps the first of `a|b|…` alternatives in a query.
func firstChoices(path string) string {
	p, q, _ := strings.Cut(path, "?")
	var kept []string
	for kv := range strings.SplitSeq(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		v, _, _ = strings.Cut(v, "|")
		kept = append(kept, k+"="+v)
	}
	return p + "?" + strings.Join(kept, "&")
}
