package app_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/store/storetest"
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
	t.Parallel()
	w := newBotWorld(t)
	link := followupLink(t, w.base, w.gw, "minor-call-1", minorNumber)
	p := w.person(minorWAID)
	id := p.wamid()
	hi := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, minorWAID, id, "hi", time.Now())
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
	t.Parallel()
	w := newBotWorld(t)
	followupLink(t, w.base, w.gw, "minor-call-1", minorNumber)
	p := w.person(minorWAID)
	id := p.wamid()
	hi := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, minorWAID, id, "hi", time.Now())
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
	// The refusal's own reply is forgotten once its answer is recorded, in
	// the sender's next transaction (store.ForgetErasedSends).
	smsWait(w.t, "the replies to the refused person forgotten", func() bool {
		return storetest.ErasedAddressesKept(w.t, w.db) == 0
	})
	wantNoNumber(w.t, w.db, when, minorNumber)
	w.statusesAfterErasure(minorWAID)
	w.reports()
	w.replayOld(first)
	smsCall(w.t, w.base, "minor-call-2", minorNumber)
	wantNoNumber(w.t, w.db, when+", the webhooks and a new call", minorNumber)

	// The code's delivery report comes before the code is typed on the
	// join page, and after it on sign-in.
	for _, place := range []struct {
		path, page  string
		status      int
		reportFirst bool
	}{{"/d/jh-sms/join", "under18", http.StatusForbidden, true}, {"/signin", "signin", http.StatusNotFound, false}} {
		c := w.signInWithCode(place.path, minorNumber)
		if place.reportFirst {
			w.reports()
		}
		body := w.form(c, place.path+"/code?lang=en", url.Values{"phone": {minorNumber}, "code": {w.lastCode()}}, place.status)
		if !strings.Contains(body, `data-page="`+place.page+`"`) {
			w.t.Errorf("%s with the refused number's code answered %.300s", place.path, body)
		}
		w.reports()
		wantNoNumber(w.t, w.db, when+", and a code proven on "+place.path, minorNumber)
	}
}

// reports posts the SMS delivery reports the gateway has queued, once
// their messages' answers are recorded, and waits until they are applied.
func (w *botWorld) reports() {
	w.t.Helper()
	smsWait(w.t, "the SMS sent", func() bool {
		return storetest.OutboxCount(w.t, w.db, storetest.Outbox{States: storetest.Pending}) == 0
	})
	if err := w.gw.SendCallbacks(context.Background(), false); err != nil {
		w.t.Fatal(err)
	}
	smsWait(w.t, "the delivery reports applied", func() bool {
		return storetest.InboxCount(w.t, w.db, storetest.Inbox{Kind: "sms_status", Unprocessed: true}) == 0
	})
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
