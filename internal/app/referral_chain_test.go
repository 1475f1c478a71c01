package app_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/access"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

var refLink = regexp.MustCompile(`/r/([0-9A-Z]{9})"`)

// referralCodeOnMe is the referral code /me shows the signed-in member,
// with their link and a wa.me link to the drive's WhatsApp number.
func (w *botWorld) referralCodeOnMe(c *http.Client) string {
	w.t.Helper()
	me := w.getWith(c, "/me?lang=en", http.StatusOK)
	m := refLink.FindStringSubmatch(me)
	if m == nil {
		w.t.Fatalf("/me shows no referral link: %.3000s", me)
	}
	if want := "https://wa.me/917000000000?text=JOIN%20" + m[1]; !strings.Contains(me, want) {
		w.t.Errorf("/me lacks %q", want)
	}
	return m[1]
}

// referredCounts is what /me says of the signed-in member's recruits.
func (w *botWorld) referredCounts(c *http.Client) string {
	w.t.Helper()
	me := w.getWith(c, "/me?lang=en", http.StatusOK)
	_, after, _ := strings.Cut(me, "Joined through you: ")
	counts, _, _ := strings.Cut(after, " through them")
	return counts
}

// webJoinByRef opens a referral link and joins on the web as phone up to
// the one-time code (a lead of the drive, referred), with a new browser;
// it returns the browser and the registration link the code led to.
func (w *botWorld) webJoinByRef(code, phone string) (*http.Client, string) {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(w.base + "/r/" + strings.ToLower(code) + "?lang=en")
	if err != nil {
		w.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/d/jh-sms/join" || resp.Request.URL.Query().Get("ref") != code {
		w.t.Fatalf("/r/%s led to HTTP %d at %s", code, resp.StatusCode, resp.Request.URL)
	}
	if !strings.Contains(string(b), `<input type="hidden" name="ref" value="`+code+`">`) {
		w.t.Fatalf("the join page does not carry the code: %.2000s", b)
	}
	before := len(w.gw.Received())
	page := w.form(c, "/d/jh-sms/join?lang=en", url.Values{"phone": {phone}, "ref": {code}}, http.StatusOK)
	if !strings.Contains(page, `<input type="hidden" name="ref" value="`+code+`">`) {
		w.t.Fatalf("the code form does not carry the code: %.2000s", page)
	}
	smsWait(w.t, "the join code", func() bool { return len(w.gw.Received()) > before })
	resp, err = c.PostForm(w.base+"/d/jh-sms/join/code?lang=en", url.Values{"phone": {phone}, "code": {w.lastCode()}, "ref": {code}})
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.Path, "/j/") {
		w.t.Fatalf("the join code led to HTTP %d at %s", resp.StatusCode, resp.Request.URL)
	}
	return c, resp.Request.URL.Path
}

// register fills in the registration form at link: the person is a
// registered, verified member.
func (w *botWorld) register(c *http.Client, link, name string) {
	w.t.Helper()
	page := w.form(c, link+"?lang=en", url.Values{"consent_membership": {"yes"}, "age18": {"yes"}, "name": {name}, "ac": {"JH-AC-063"},
		"booth_offered": {"1"}}, http.StatusOK)
	if !strings.Contains(html.UnescapeString(page), name) {
		w.t.Fatalf("registering %s: %.1000s", name, page)
	}
}

// A → B → C → D → E by referral links and the web join: when E is
// verified (the web registration verifies the phone), D gets a direct
// recruit and C, B and A an indirect one each; a join that stops at the
// lead credits nobody; a second referral of the same lead, and a member
// opening their own link, change nothing. An unknown code leads to the
// front page. Each web registration leaves a mark (the network, a device
// hash) and the browser a device cookie.
func TestReferralChainOnWeb(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	w.person("919812300071").joinInEnglish(t, false)
	signedIn := []*http.Client{w.signInOnMe("+91 98123 00071")}
	codes := []string{w.referralCodeOnMe(signedIn[0])}

	// B, C and D join through the previous one's link.
	for i, p := range []string{"+919812300072", "+919812300073", "+919812300074"} {
		c, link := w.webJoinByRef(codes[i], p)
		w.register(c, link, []string{"Bina Oraon", "Chandan Munda", "Deepa Toppo"}[i])
		if u, _ := url.Parse(w.base); !hasCookie(c, u, "jodo_device") {
			t.Errorf("no device cookie after registering %s", p)
		}
		signedIn = append(signedIn, w.signInOnMe(p))
		codes = append(codes, w.referralCodeOnMe(signedIn[i+1]))
	}
	// B's registration mark: on /me and in MY DATA on WhatsApp, the
	// network and the device cookie named.
	if me := w.getWith(signedIn[1], "/me?lang=en", http.StatusOK); !strings.Contains(me, `id="mark-jh-sms"`) ||
		!strings.Contains(me, "(127.0.0.0/24, never the full address)") || !strings.Contains(me, "a random code your browser keeps") {
		t.Errorf("B's /me does not show the registration mark: %.3000s", me)
	}
	one(t, "B's MY DATA", w.person("919812300072").say("MY DATA"), "(127.0.0.0/24, never the full address)", "a random code your browser keeps")
	if got := w.referredCounts(signedIn[0]); got != "1 directly, 2" {
		t.Errorf("A before E: %q", got)
	}

	// E proves their phone through D's link but does not register yet:
	// nobody is credited. Coming back through C's link changes no referrer.
	cE, linkE := w.webJoinByRef(codes[3], "+919812300075")
	if got := w.referredCounts(signedIn[3]); got != "0 directly, 0" {
		t.Errorf("D, with an unverified recruit: %q", got)
	}
	w.webJoinByRef(codes[2], "+919812300075")
	w.register(cE, linkE, "Esha Kujur")

	for i, want := range []string{"1 directly, 3", "1 directly, 2", "1 directly, 1", "1 directly, 0"} {
		if got := w.referredCounts(signedIn[i]); got != want {
			t.Errorf("%c after E: %q, want %q", 'A'+i, got, want)
		}
	}

	leaders := [][3]string{{"Ravi Kumar", "1", "3"}, {"Bina Oraon", "1", "2"}, {"Chandan Munda", "1", "1"}, {"Deepa Toppo", "1", "0"}}
	cw, admin := w.consoleAdmin()
	leaderboardShows(t, cw, admin, leaders)

	// A opens their own link and proves their own phone: a member is sent
	// to /me, nothing credited.
	jar, _ := cookiejar.New(nil)
	self := &http.Client{Jar: jar}
	codeA := codes[0]
	w.getWith(self, "/r/"+codeA+"?lang=en", http.StatusOK)
	before := len(w.gw.Received())
	w.form(self, "/d/jh-sms/join?lang=en", url.Values{"phone": {"+919812300071"}, "ref": {codeA}}, http.StatusOK)
	smsWait(t, "the join code", func() bool { return len(w.gw.Received()) > before })
	w.form(self, "/d/jh-sms/join/code?lang=en", url.Values{"phone": {"+919812300071"}, "code": {w.lastCode()}, "ref": {codeA}}, http.StatusOK)
	if got := w.referredCounts(signedIn[0]); got != "1 directly, 3" {
		t.Errorf("A after their own link: %q", got)
	}
	leaderboardShows(t, cw, admin, leaders)

	// An unknown code leads to the front page.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, bad := range []string{"ZZZZZZZZZ", "short", codeA + "X"} {
		resp, err := noRedirect.Get(w.base + "/r/" + bad)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("/r/%s: HTTP %d to %q", bad, resp.StatusCode, loc)
		}
	}

	// The four web registrations left their marks: the network, never the
	// address.
	if left := storetest.TextLeft(t, w.db, "127.0.0.0/24"); len(left) == 0 || !strings.Contains(strings.Join(left, " "), "registration_marks") {
		t.Errorf("the registration marks' network: %v", left)
	}
	for _, l := range storetest.TextLeft(t, w.db, "127.0.0.1") {
		if strings.HasPrefix(l, "registration_marks") {
			t.Errorf("a registration mark keeps the client's address: %v", l)
		}
	}
}

func hasCookie(c *http.Client, u *url.URL, name string) bool {
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == name {
			return true
		}
	}
	return false
}

var leaderRow = regexp.MustCompile(`<a href="/console/people/\d+">([^<]*)</a></td><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td>`)

// consoleAdmin is the console over w's server and an admin of the state
// signed in to it.
func (w *botWorld) consoleAdmin() (*consoleWorld, *http.Client) {
	w.t.Helper()
	d, err := w.db.DriveBySlug(context.Background(), "jh-sms")
	if err != nil {
		w.t.Fatal(err)
	}
	cw := &consoleWorld{t: w.t, db: w.db, base: w.base, gw: w.gw, dbURL: w.dbURL, driveID: d.ID}
	return cw, cw.staffClient("+919876533399", "Admin Chain", access.Admin, "JH")
}

// leaderboardShows checks the console's recruiters leaderboard of jh-sms,
// read by admin: exactly want (name, direct, indirect), in that order.
func leaderboardShows(t *testing.T, cw *consoleWorld, admin *http.Client, want [][3]string) {
	t.Helper()
	body := html.UnescapeString(cw.want(admin, "/console/recruiters?drive=jh-sms&lang=en", http.StatusOK))
	var got [][3]string
	for _, m := range leaderRow.FindAllStringSubmatch(body, -1) {
		got = append(got, [3]string{m[1], m[2], m[3]})
	}
	if !slices.Equal(got, want) {
		t.Errorf("the recruiters leaderboard: %v, want %v", got, want)
	}
}
