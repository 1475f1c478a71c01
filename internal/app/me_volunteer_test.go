package app_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// volunteerForm is the /me/volunteer form a member sends: the notice agreed
// to, their member AC, three languages and two handles.
func volunteerForm(lang string) url.Values {
	return url.Values{"lang": {lang}, "drive": {"jh-sms"}, "consent_volunteer": {"yes"}, "ac": {"JH-AC-064"},
		"language": {"hi", "sat", "en"}, "handle.instagram": {"@Ravi.Jodo"}, "handle.x": {"https://x.com/ravi_jodo"}}
}

// getWith fetches path with c and wants status; it returns the page.
func (w *botWorld) getWith(c *http.Client, path string, status int) string {
	w.t.Helper()
	resp, err := c.Get(w.base + path)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		w.t.Fatalf("GET %s: HTTP %d, want %d: %.300s", path, resp.StatusCode, status, b)
	}
	return html.UnescapeString(string(b))
}

// A member signed in by code volunteers on /me in Hindi: the notice and
// the form first, then +1 volunteers at their AC, once even if the form is
// posted twice; /me shows what they gave; a post's link to another post is
// refused with what they typed kept and a Hindi message; a handle someone
// else holds is refused without saying who; withdrawing on /me (after a
// confirmation) moves the count back and deletes the handles, and the
// membership stays.
func TestVolunteerOnMe(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	ravi := w.person("919812300041")
	number := ravi.joinInEnglish(t, false)
	c := w.signInOnMe("+91 98123 00041")

	me := w.getWith(c, "/me?lang=hi", http.StatusOK)
	if !strings.Contains(me, `href="/me/volunteer?drive=jh-sms&lang=hi" id="become-volunteer-jh-sms"`) || !strings.Contains(me, "कार्यकर्ता बनें") ||
		strings.Contains(me, `id="volunteer-jh-sms"`) {
		t.Fatalf("/me offers no volunteering to a member: %.2000s", me)
	}
	page := w.getWith(c, "/me/volunteer?drive=jh-sms&lang=hi", http.StatusOK)
	for _, want := range []string{`id="vol-notice"`, "कभी आम लोगों को नहीं", `name="consent_volunteer" value="yes" id="f-consent">`,
		`<option value="JH-AC-064" selected>`, `name="handle.instagram"`, `value="sat"`, "संथाली"} {
		if !strings.Contains(page, want) {
			t.Errorf("the volunteer page lacks %q", want)
		}
	}

	w.form(c, "/me/volunteer", volunteerForm("hi"), http.StatusOK)
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 1, "members": 1})
	w.form(c, "/me/volunteer", volunteerForm("hi"), http.StatusOK)
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 1, "members": 1})

	me = w.getWith(c, "/me?lang=hi", http.StatusOK)
	for _, want := range []string{`id="volunteer-jh-sms"`, "हैंडल", "Instagram: <span class=\"handle\">ravi.jodo</span>",
		"X: <span class=\"handle\">ravi_jodo</span>", "हिंदी, अंग्रेज़ी (English), संथाली (ᱥᱟᱱᱛᱟᱲᱤ)", `id="consent-volunteer" data-state="granted"`} {
		if !strings.Contains(me, want) {
			t.Errorf("/me of a volunteer lacks %q", want)
		}
	}

	bad := volunteerForm("hi")
	bad.Set("handle.instagram", "instagram.com/p/abc")
	page = html.UnescapeString(w.form(c, "/me/volunteer", bad, http.StatusUnprocessableEntity))
	for _, want := range []string{`id="err-handle-instagram"`, "यह किसी पोस्ट या पेज का लिंक है", `value="instagram.com/p/abc"`,
		`value="https://x.com/ravi_jodo"`, `value="sat" checked`} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused form lacks %q: %.3000s", want, page)
		}
	}

	asha := w.person("919812300042")
	ashaNumber := asha.joinInEnglish(t, false)
	c2 := w.signInOnMe("+91 98123 00042")
	taken := volunteerForm("en")
	taken.Set("handle.x", "@RAVI_JODO")
	page = html.UnescapeString(w.form(c2, "/me/volunteer", taken, http.StatusUnprocessableEntity))
	if !strings.Contains(page, "This handle is already registered by someone else.") || !strings.Contains(page, `id="err-handle-x"`) {
		t.Errorf("a handle someone else holds: %.3000s", page)
	}
	for _, leak := range []string{number, "98123 00041", "9812300041", ashaNumber} {
		if strings.Contains(page, leak) {
			t.Errorf("the refusal shows %q", leak)
		}
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 1, "members": 2})

	// A coordinator of the AC appoints Ravi its convenor: +1 office bearer.
	givePosts(t, w.db, "jh-sms")
	ctx := context.Background()
	scope, err := w.db.ScopeAreas(ctx, []string{"JH-AC-064"})
	if err != nil {
		t.Fatal(err)
	}
	raviID, _ := storetest.PersonByWAID(t, w.db, "919812300041")
	hatia := access.Actor{Label: "person:999", Grants: []access.Grant{{Role: access.Coordinator, Areas: []string{"JH-AC-064"}, Scope: scope}}}
	if _, err := posts.New(w.db).Appoint(ctx, hatia, posts.Request{Drive: "jh-sms", Post: "ac-sm-convenor", Area: "JH-AC-064", PersonID: raviID}); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 1, "office_bearers": 1})

	withdraw := url.Values{"lang": {"hi"}, "purpose": {"volunteer"}, "action": {"withdraw"}}
	page = w.form(c, "/me/consent", withdraw, http.StatusUnprocessableEntity)
	if !strings.Contains(page, `id="err-volunteer"`) {
		t.Errorf("withdrawing without the confirmation: %.1000s", page)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 1})
	withdraw.Set("confirm", "yes")
	me = html.UnescapeString(w.form(c, "/me/consent", withdraw, http.StatusOK))
	if !strings.Contains(me, "आपने कार्यकर्ता का काम छोड़ दिया है") || strings.Contains(me, "ravi.jodo") ||
		strings.Contains(me, `id="volunteer-jh-sms"`) || !strings.Contains(me, `id="become-volunteer-jh-sms"`) ||
		!strings.Contains(me, `id="consent-volunteer" data-state="withdrawn"`) {
		t.Errorf("/me after withdrawing: %.3000s", me)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 0, "office_bearers": 0, "members": 2})
	if code, _ := get(t, w.base+"/verify/"+number); code != http.StatusOK {
		t.Errorf("/verify after withdrawing volunteering: HTTP %d, the membership should stay", code)
	}

	// The handle is free again: the other member takes it.
	w.form(c2, "/me/volunteer", taken, http.StatusOK)
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 1})
}

// Only a member volunteers: a drive the person is no member of is refused
// with a page saying so, and a signed-out visitor is sent to sign in.
func TestVolunteerOnMeRefused(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	w.person("919812300043").joinInEnglish(t, false)
	c := w.signInOnMe("+91 98123 00043")
	if page := w.getWith(c, "/me/volunteer?drive=no-such-drive&lang=en", http.StatusForbidden); !strings.Contains(page, "not a member") {
		t.Errorf("an unknown drive: %.1000s", page)
	}
	form := volunteerForm("en")
	form.Set("drive", "no-such-drive")
	w.form(c, "/me/volunteer", form, http.StatusForbidden)
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 0})

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(w.base + "/me/volunteer?drive=jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
		t.Errorf("signed out: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
