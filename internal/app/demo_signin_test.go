package app_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// demoLink is the sign-in link the demo prints, on the line after its
// heading.
func demoLink(t *testing.T, out string) string {
	t.Helper()
	_, after, ok := strings.Cut(out, "Sign in to the console as the demo admin")
	if !ok {
		t.Fatalf("the demo prints no sign-in link:\n%s", out)
	}
	_, after, _ = strings.Cut(after, "\n")
	line, _, _ := strings.Cut(after, "\n")
	return strings.TrimSpace(line)
}

// cookieClient is a client that keeps cookies and does not follow redirects.
func cookieClient(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func request(t *testing.T, c *http.Client, method, u string) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(url.Values{"lang": {"en"}}.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if body != nil {
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

// The demo prints a sign-in link for its admin of JH on the server's
// address: opening it shows a button and uses nothing, pressing it signs
// in and lands in the console, and it works once. A restart prints a new
// link for the same person (one demo admin, however many starts).
func TestDemoAdminSignsInByLink(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	var out syncBuffer
	base, _, stop := start(t, "demo", db, &out)
	link := demoLink(t, out.String())
	if !strings.HasPrefix(link, base+"/signin/link/") {
		t.Fatalf("link %q is not on the server's address %s", link, base)
	}
	c := cookieClient(t)
	for range 2 { // a link preview, then the person: neither uses it
		if code, body, _ := request(t, c, http.MethodGet, link); code != 200 || !strings.Contains(body, `id="use-link"`) {
			t.Fatalf("GET the link: %d, button shown %v", code, strings.Contains(body, `id="use-link"`))
		}
	}
	code, _, h := request(t, c, http.MethodPost, link)
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/console") {
		t.Fatalf("POST the link: %d to %q, want 303 to /console", code, h.Get("Location"))
	}
	u, _ := url.Parse(base)
	if len(c.Jar.Cookies(u)) == 0 {
		t.Fatal("signing in by link set no session cookie")
	}
	if code, body, _ := request(t, c, http.MethodGet, base+h.Get("Location")); code != http.StatusOK ||
		!strings.Contains(body, `data-page="dashboard"`) || !strings.Contains(body, "(JH)") || !strings.Contains(body, "Demo Admin") {
		t.Errorf("the landing after the demo's link: %d, want Jharkhand's progress for the demo admin: %.500s", code, body)
	}
	if code, body, _ := request(t, cookieClient(t), http.MethodPost, link); code != http.StatusNotFound || !strings.Contains(body, `id="link-error"`) {
		t.Fatalf("the link used a second time: %d", code)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	var again syncBuffer
	_, _, stop = start(t, "demo", db, &again)
	if second := demoLink(t, again.String()); second == link {
		t.Error("a restart printed the used link again")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	list := mustJodo(t, db, "staff", "list")
	if n := strings.Count(list, "Demo Admin"); n != 1 || !strings.Contains(list, "+91 70xxxxxx01") || !strings.Contains(list, "admin") {
		t.Errorf("after two starts, staff list shows the demo admin %d times, want once as admin of JH:\n%s", n, list)
	}
}
