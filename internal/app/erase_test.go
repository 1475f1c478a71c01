package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/referrals"
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	w := newBotWorld(t)
	const phone = "+919877700940"
	handles := map[string]string{"instagram": "instagram.com/Erase.Me.Ranchi", "x": "@erase_me_x", "whatsapp": phone}
	words := []string{"erase.me.ranchi", "erase_me_x"}
	ctx := context.Background()
	id := w.volunteer(phone, "Erasa Volunteer", handles, "ac-sm-convenor")
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
	err := w.db.View(ctx, func(tx *store.Tx) (err error) {
		held, err = store.AppointmentsOf(ctx, tx, id)
		return err
	})
	if err != nil || len(held) != 1 || held[0].VacatedWhy != store.VacatedErased {
		t.Errorf("the post after the erasure: %+v, %v; want vacated as erased", held, err)
	}
}

// volunteer makes someone with phone a member of jh-sms at JH-AC-063 and
// a volunteer there with handles, holding post (if not "").
func (w *botWorld) volunteer(phone, name string, handles map[string]string, post string) int64 {
	w.t.Helper()
	ctx := context.Background()
	d, err := w.db.DriveBySlug(ctx, "jh-sms")
	if err != nil {
		w.t.Fatal(err)
	}
	area := storetest.AreaIDs(w.t, w.db, "JH-AC-063")["JH-AC-063"]
	var id int64
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: name}); err != nil {
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
		w.t.Fatal(err)
	}
	givePosts(w.t, w.db, "jh-sms")
	makeVolunteer(w.t, w.db, "jh-sms", id, phone, name, "JH-AC-063", handles, post)
	return id
}

// A volunteer of jh-sms who runs a WhatsApp group, a Telegram group and a
// Facebook group and brought in a verified recruit with their referral
// code erases on /me: afterwards no column of any table holds an invite
// (its code, keyed hash or sealed form), a group name, the referral code
// (nor its hash or sealed form) or their number; the groups ended (groups
// back to 0 at their AC), the code finds nobody, the recruit stays a
// member and the credit already counted stays.
func TestEraseRecruiterOnMeLeavesNoInvite(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	const phone = "+919877700941"
	ctx := context.Background()
	id := w.volunteer(phone, "Erasa Recruiter", map[string]string{"x": "@erase_rcrt_x"}, "")
	d, err := w.db.DriveBySlug(ctx, "jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	invites := map[string]string{ // link → the code in it
		"https://chat.whatsapp.com/EraseRecruiterGroup0001": "EraseRecruiterGroup0001",
		"https://t.me/+EraseRecruiterTg_0001":               "EraseRecruiterTg_0001",
		"facebook.com/groups/erase.recruiter.fb":            "erase.recruiter.fb",
	}
	names := []string{"Erasa Mahila Mandal", "Erasa Telegram Kanke", "Erasa Facebook Ranchi"}
	key := []byte(processSecretKey)
	g, refs := groups.New(key), referrals.New(key)
	var kept []string
	var code string
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		i := 0
		for link := range invites {
			grp, err := g.Register(ctx, tx, groups.Registration{PersonID: id, DriveID: d.ID, Link: link, Language: "hi", Size: "51-100",
				Name: names[i], Channel: "web"})
			if err != nil {
				return fmt.Errorf("registering %s: %w", link, err)
			}
			kept = append(kept, grp.CodeHash, grp.CodeSealed, names[i])
			i++
		}
		code, err = refs.CodeFor(ctx, tx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	hash, sealed := storetest.ReferralCode(t, w.db, id)
	kept = append(kept, hash, sealed)
	clear := []string{code}
	for _, c := range invites {
		clear = append(clear, c)
	}
	recruit := w.recruit(d, "+919877700942", code)
	if c := storetest.CountsAt(t, w.db, "JH-AC-063"); c["groups"] != 3 {
		t.Fatalf("groups at JH-AC-063 before: %v", c)
	}
	if got := storetest.RecruiterCredit(t, w.db, d.ID, id); got != [2]int64{1, 0} {
		t.Fatalf("the recruiter's credit before: %v, want direct 1", got)
	}
	if left := storetest.TextLeft(t, w.db, kept...); len(left) != len(kept) {
		t.Fatalf("before the erasure the scan finds %q, want each of %q once", left, kept)
	}
	for _, where := range storetest.TextLeft(t, w.db, clear...) {
		t.Errorf("before the erasure an invite or the referral code is held in the clear: %s", where)
	}

	w.eraseOnMe(phone)
	wantNoNumber(t, w.db, "after a recruiter erased on /me", phone)
	for _, where := range storetest.TextLeft(t, w.db, append(kept, clear...)...) {
		t.Errorf("after a recruiter erased on /me, a group or the referral code is held: %s", where)
	}
	if c := storetest.CountsAt(t, w.db, "JH-AC-063"); c["groups"] != 0 || c["volunteers"] != 1 {
		t.Errorf("counters at JH-AC-063 after the erasure: %v, want groups 0 (ended), volunteers 1 (it happened)", c)
	}
	if got := storetest.RecruiterCredit(t, w.db, d.ID, id); got != [2]int64{1, 0} {
		t.Errorf("the credit after the erasure: %v, want direct 1 still (erasure never decrements)", got)
	}
	err = w.db.View(ctx, func(tx *store.Tx) error {
		if who, err := refs.Referrer(ctx, tx, code); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the erased recruiter's code finds %d, %v; want not found", who, err)
		}
		part, err := store.FindParticipation(ctx, tx, recruit, d.ID)
		if err != nil || part.RegisteredAt.IsZero() || part.VerifiedAt.IsZero() {
			t.Errorf("the recruit after the erasure: %+v, %v; want still a verified member", part, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// recruit makes someone with phone join drive d referred by code, a
// member with the phone proven (verified: the referrer is credited).
func (w *botWorld) recruit(d store.Drive, phone, code string) int64 {
	w.t.Helper()
	ctx := context.Background()
	var id int64
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
			return err
		}
		day := tx.Now.Format(time.DateOnly)
		part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: d.ID, Channel: "web", Day: day})
		if err != nil {
			return err
		}
		if set, err := referrals.New([]byte(processSecretKey)).Refer(ctx, tx, part, code); err != nil || !set {
			return fmt.Errorf("referring the recruit: %v %w", set, err)
		}
		area := storetest.AreaIDs(w.t, w.db, "JH-AC-063")["JH-AC-063"]
		_, err = people.New([]byte(processSecretKey)).Register(ctx, tx, people.Registration{PersonID: id, DriveID: d.ID, Name: "Recruit Kumari",
			Language: "hi", AreaID: area, Consents: []string{store.PurposeMembership}, NoticeVersion: "test", Channel: "web",
			Evidence: "test", Day: day, Proof: people.ByLink})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}
