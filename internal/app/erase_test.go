package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// erasedNumber is the number the erasure tests erase, as people write it.
const erasedNumber = "+91 98777 00900"

// eraseOnMe signs in on /me over HTTP as the owner of phone and erases
// their data.
func (w *botWorld) eraseOnMe(phone string) {
	w.t.Helper()
	c := w.signInOnMe(phone)
	if body := w.form(c, "/me/erase?lang=en", url.Values{"confirm": {"yes"}}, http.StatusOK); !strings.Contains(body, `data-page="erased"`) {
		w.t.Fatalf("erasing on /me answered %.300s", body)
	}
}

// signInOnMe signs in on /me over HTTP as the owner of phone, reading the
// code from the SMS gateway, and returns the signed-in client.
func (w *botWorld) signInOnMe(phone string) *http.Client {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	code := w.requestCode(c, phone)
	w.form(c, "/signin/code?lang=en", url.Values{"phone": {phone}, "code": {code}}, http.StatusOK)
	return c
}

// requestCode asks for a sign-in code for phone with c and returns the
// code, as the SMS gateway received it.
func (w *botWorld) requestCode(c *http.Client, phone string) string {
	w.t.Helper()
	before := len(w.gw.Received())
	w.form(c, "/signin?lang=en", url.Values{"phone": {phone}}, http.StatusOK)
	smsWait(w.t, "the sign-in code", func() bool { return len(w.gw.Received()) > before })
	m := signinCode.FindStringSubmatch(w.gw.Received()[len(w.gw.Received())-1].Body)
	if m == nil {
		w.t.Fatalf("no code in %q", w.gw.Received()[len(w.gw.Received())-1].Body)
	}
	return m[1]
}

// form posts a form with c and wants status; it returns the page.
func (w *botWorld) form(c *http.Client, path string, form url.Values, status int) string {
	w.t.Helper()
	resp, err := c.PostForm(w.base+path, form)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		w.t.Fatalf("POST %s: HTTP %d, want %d: %.300s", path, resp.StatusCode, status, b)
	}
	return string(b)
}

// statusesAfterErasure posts, signed as Meta does, sent, delivered and
// read for every WhatsApp message sent to waID, and again (Meta repeats).
func (w *botWorld) statusesAfterErasure(waID string) {
	w.t.Helper()
	n := 0
	for _, r := range w.fake.Requests() {
		if r.To != waID || r.MessageID == "" {
			continue
		}
		n++
		for _, st := range []string{"sent", "delivered", "read", "read"} {
			if err := w.fake.PostStatus(context.Background(), w.base+"/hooks/whatsapp", waAppSecret, r.MessageID, st, 0); err != nil {
				w.t.Fatal(err)
			}
		}
	}
	if n == 0 {
		w.t.Fatal("no WhatsApp message was sent to the person")
	}
}

// wantNoNumber fails the test with every place the database still holds
// phone in any form.
func wantNoNumber(t *testing.T, db *store.DB, when, phone string) {
	t.Helper()
	for _, where := range storetest.NumberLeft(t, db, phone) {
		t.Errorf("%s, the number is still held: %s", when, where)
	}
}

// replayOld delivers an inbound message again (Meta repeats deliveries)
// and checks it stores and makes nothing.
func (w *botWorld) replayOld(body []byte) {
	w.t.Helper()
	inbox, people, leads := storetest.InboxCount(w.t, w.db, storetest.Inbox{}), storetest.ContactCount(w.t, w.db, storetest.Contacts{}),
		storetest.ParticipationCount(w.t, w.db, storetest.Participations{})
	if err := fakemeta.PostWebhook(context.Background(), w.base+"/hooks/whatsapp", waAppSecret, body); err != nil {
		w.t.Fatal(err)
	}
	if got := storetest.InboxCount(w.t, w.db, storetest.Inbox{}); got != inbox {
		w.t.Errorf("a repeated old message was stored again (%d inbox items, %d before)", got, inbox)
	}
	if got := storetest.ContactCount(w.t, w.db, storetest.Contacts{}); got != people {
		w.t.Errorf("a repeated old message brought contact points back (%d, %d before)", got, people)
	}
	if got := storetest.ParticipationCount(w.t, w.db, storetest.Participations{}); got != leads {
		w.t.Errorf("a repeated old message made a lead (%d participations, %d before)", got, leads)
	}
}

// Someone gives a missed call, gets the follow-up SMS, writes on WhatsApp
// from the same phone and is answered, then erases on /me. Afterwards, and
// after Meta's status webhooks for every message sent before the erasure
// and the SMS delivery reports, no column of any table holds the number in
// any form; a repeated delivery of their old message stores nothing.
func TestEraseOnMeLeavesNoNumber(t *testing.T) {
	w := newBotWorld(t)
	const waID = "919877700900"
	followupLink(t, w.base, w.gw, "erase-call-1", erasedNumber)
	p := w.person(waID)
	id := p.wamid()
	hi := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, waID, id, "hi", time.Now())
	one(t, "first", p.post(id, hi), "lang:hi")
	one(t, "language", p.tap("lang:en", "English", false), "Do you agree")

	w.eraseOnMe(erasedNumber)
	wantNoNumber(t, w.db, "after erasing on /me", erasedNumber)

	w.statusesAfterErasure(waID)
	if err := w.gw.SendCallbacks(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	w.replayOld(hi)
	wantNoNumber(t, w.db, "after the status webhooks", erasedNumber)
	if n := storetest.OutboxCount(w.t, w.db, storetest.Outbox{Channel: "whatsapp", State: store.MsgRead}); n == 0 {
		t.Error("no status was applied to the erased person's messages: their counts are lost")
	}
}

// DELETE on WhatsApp erases as /me does: the number is in no column of
// any table afterwards, the erasure's own confirmation included, also
// after the status webhooks for every message sent; a repeated old message
// stores nothing.
func TestBotDeleteLeavesNoNumber(t *testing.T) {
	w := newBotWorld(t)
	const waID = "919877700900"
	p := w.person(waID)
	id := p.wamid()
	hi := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, waID, id, "hi", time.Now())
	one(t, "first", p.post(id, hi), "lang:hi")
	one(t, "language", p.tap("lang:en", "English", false), "Do you agree")
	one(t, "delete", p.say("DELETE"), "del:yes")
	one(t, "erase", p.tap("del:yes", "Yes, erase", false), "erased")
	wantNoNumber(t, w.db, "after DELETE", erasedNumber)

	w.statusesAfterErasure(waID)
	w.replayOld(hi)
	wantNoNumber(t, w.db, "after the status webhooks", erasedNumber)
}

// A registration link sent before an erasure has ended: opening it says so
// plainly, in the drive's Hindi and in English, and submitting its form
// says the same (not a server error), registering no one.
func TestJoinLinkEndsWithErasure(t *testing.T) {
	w := newBotWorld(t)
	const phone = "+919877700901"
	link := followupLink(t, w.base, w.gw, "link-call-1", phone)
	w.eraseOnMe(phone)

	if code, body := get(t, link); code != http.StatusGone || !strings.Contains(body, "यह लिंक अब बंद है") ||
		!strings.Contains(body, `data-page="ended"`) {
		t.Errorf("the link after erasure: HTTP %d %.400s", code, body)
	}
	if code, body := get(t, link+"?lang=en"); code != http.StatusGone || !strings.Contains(body, "This link has ended") {
		t.Errorf("the link after erasure, in English: HTTP %d %.400s", code, body)
	}
	resp, err := http.PostForm(link+"?lang=en", url.Values{"consent_membership": {"yes"}, "age18": {"yes"},
		"name": {"Sunita Devi"}, "ac": {"JH-AC-063"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone || !strings.Contains(string(b), "This link has ended") {
		t.Errorf("submitting the form after erasure: HTTP %d %.400s", resp.StatusCode, b)
	}
	if n := storetest.PeopleWithDetails(w.t, w.db); n != 0 {
		t.Errorf("the form registered someone after the erasure (%d people with a name or number)", n)
	}
}

// A volunteer of jh-sms at JH-AC-063 with handles (their WhatsApp is their
// number) who holds the AC's convenor post erases on /me: afterwards no
// column of any table holds their number or a handle, the post is vacated
// (office bearers back to 0 at the AC) and the volunteer already counted
// stays counted.
func TestEraseVolunteerOnMeLeavesNoHandle(t *testing.T) {
	w := newBotWorld(t)
	const phone = "+919877700940"
	handles := map[string]string{"instagram": "instagram.com/Erase.Me.Ranchi", "x": "@erase_me_x", "whatsapp": phone}
	words := []string{"erase.me.ranchi", "erase_me_x"}
	ctx := context.Background()
	d, err := w.db.DriveBySlug(ctx, "jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	area := storetest.AreaIDs(t, w.db, "JH-AC-063")["JH-AC-063"]
	var id int64
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: "Erasa Volunteer"}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
			return err
		}
		_, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: d.ID, Channel: "web", AreaID: area,
			Day: tx.Now.Format(time.DateOnly)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	givePosts(t, w.db, "jh-sms")
	makeVolunteer(t, w.db, "jh-sms", id, phone, "Erasa Volunteer", "JH-AC-063", handles, "ac-sm-convenor")
	if c := storetest.CountsAt(t, w.db, "JH-AC-063"); c["volunteers"] != 1 || c["office_bearers"] != 1 {
		t.Fatalf("counters at JH-AC-063 before: %v", c)
	}
	if left := storetest.TextLeft(t, w.db, words...); len(left) != len(words) {
		t.Fatalf("the handles before the erasure: %q, want each once", left)
	}

	w.eraseOnMe(phone)
	wantNoNumber(t, w.db, "after a volunteer erased on /me", phone)
	for _, where := range storetest.TextLeft(t, w.db, words...) {
		t.Errorf("after a volunteer erased on /me, a handle is held: %s", where)
	}
	if c := storetest.CountsAt(t, w.db, "JH-AC-063"); c["volunteers"] != 1 || c["office_bearers"] != 0 {
		t.Errorf("counters at JH-AC-063 after the erasure: %v, want volunteers 1 (it happened), office bearers 0", c)
	}
	var held []store.Appointment
	err = w.db.View(ctx, func(tx *store.Tx) (err error) {
		held, err = store.AppointmentsOf(ctx, tx, id)
		return err
	})
	if err != nil || len(held) != 1 || held[0].VacatedWhy != store.VacatedErased {
		t.Errorf("the post after the erasure: %+v, %v; want vacated as erased", held, err)
	}
}
