package app_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/graph/graphtest"
)

// The minor of the refusal tests: their number as people write it, and as
// WhatsApp does.
const (
	minorNumber = "+91 98777 00910"
	minorWAID   = "919877700910"
)

// A missed call brings the SMS link; the caller writes on WhatsApp from
// the same phone and is answered; on the link's form they answer that
// they are under 18. The web's refusal leaves the number in no column of
// any table, in any form (refusedLeavesNoNumber checks what follows).
func TestUnder18OnTheWebLeavesNoNumber(t *testing.T) {
	w := newBotWorld(t)
	link := followupLink(t, w.base, w.gw, "minor-call-1", minorNumber)
	p := w.person(minorWAID)
	id := p.wamid()
	hi := graphtest.TextBody("+91 70000 00000", graphtest.PhoneNumberID, minorWAID, id, "hi", time.Now())
	one(t, "first", p.post(id, hi), "lang:hi")
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	body := w.form(http.DefaultClient, u.Path+"?lang=en", url.Values{"consent_membership": {"yes"}, "age18": {"no"}}, http.StatusOK)
	if !strings.Contains(body, `data-page="under18"`) {
		t.Fatalf("answering under 18 on the form showed %.300s", body)
	}
	w.refusedLeavesNoNumber("after the refusal on the web", hi)
}

// The same person refused in the chat instead: the bot's refusal leaves
// the number nowhere either.
func TestUnder18OnWhatsAppLeavesNoNumber(t *testing.T) {
	w := newBotWorld(t)
	followupLink(t, w.base, w.gw, "minor-call-1", minorNumber)
	p := w.person(minorWAID)
	id := p.wamid()
	hi := graphtest.TextBody("+91 70000 00000", graphtest.PhoneNumberID, minorWAID, id, "hi", time.Now())
	one(t, "first", p.post(id, hi), "lang:hi")
	one(t, "language", p.tap("lang:en", "English", false), "Do you agree")
	one(t, "consent", p.tap("consent:yes", "I agree", false), "optin:no")
	one(t, "news", p.tap("optin:no", "No, thanks", false), "age:no")
	one(t, "age", p.tap("age:no", "No", false), "aged 18 and over")
	w.refusedLeavesNoNumber("after the refusal on WhatsApp", hi)
}

// refusedLeavesNoNumber checks that the minor's number is held nowhere,
// and stays so after Meta's status webhooks for every message sent to
// them, the SMS delivery reports, a repeat of their first message, a new
// missed call, and proving the number with a sign-in code on the drive's
// join page (which answers that they are under 18) and on sign-in (which
// finds nobody).
func (w *botWorld) refusedLeavesNoNumber(when string, first []byte) {
	w.t.Helper()
	wantNoNumber(w.t, w.db, when, minorNumber)
	w.statusesAfterErasure(minorWAID)
	if err := w.gw.SendCallbacks(context.Background(), false); err != nil {
		w.t.Fatal(err)
	}
	w.replayOld(first)
	smsCall(w.t, w.base, "minor-call-2", minorNumber)
	wantNoNumber(w.t, w.db, when+", the webhooks and a new call", minorNumber)

	for _, place := range []struct{ path, status string }{{"/d/jh-sms/join", "under18"}, {"/signin", "signin"}} {
		c := w.signInWithCode(place.path, minorNumber)
		status := map[string]int{"under18": http.StatusForbidden, "signin": http.StatusNotFound}[place.status]
		if body := w.form(c, place.path+"/code?lang=en", url.Values{"phone": {"+919877700910"}, "code": {w.lastCode()}}, status); !strings.Contains(body, `data-page="`+place.status+`"`) {
			w.t.Errorf("%s with the refused number's code answered %.300s", place.path, body)
		}
		if err := w.gw.SendCallbacks(context.Background(), false); err != nil {
			w.t.Fatal(err)
		}
		wantNoNumber(w.t, w.db, when+", and a code proven on "+place.path, minorNumber)
	}
}

// signInWithCode asks for a sign-in code for phone at path (sign-in's, a
// drive's join page's) and waits for its SMS; it returns the client.
func (w *botWorld) signInWithCode(path, phone string) *http.Client {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	before := len(w.gw.Received())
	w.form(c, path+"?lang=en", url.Values{"phone": {phone}}, http.StatusOK)
	smsWait(w.t, "the sign-in code", func() bool { return len(w.gw.Received()) > before })
	return c
}

// lastCode is the code in the last SMS sent.
func (w *botWorld) lastCode() string {
	w.t.Helper()
	got := w.gw.Received()
	m := signinCode.FindStringSubmatch(got[len(got)-1].Body)
	if m == nil {
		w.t.Fatalf("no code in %q", got[len(got)-1].Body)
	}
	return m[1]
}
