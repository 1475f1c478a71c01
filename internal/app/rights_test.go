package app_test

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// joinInEnglish takes p through the bot's join in English, with news
// (optin) or without, into Hatia; it returns the membership number.
func (p *person) joinInEnglish(t *testing.T, optin bool) string {
	t.Helper()
	one(t, "first message", p.say("Hi"), "lang:en")
	one(t, "language", p.tap("lang:en", "English", false), "consent:yes")
	one(t, "consent", p.tap("consent:yes", "I agree", false), "optin:yes")
	news := "optin:no"
	if optin {
		news = "optin:yes"
	}
	one(t, "news", p.tap(news, "news", false), "age:yes")
	one(t, "age", p.tap("age:yes", "Yes, 18+", false), "name")
	one(t, "name", p.say("Ravi Kumar"), "district")
	one(t, "district", p.say("Ranchi"), "a:JH-AC-064")
	number := memberNumber.FindString(one(t, "AC", p.tap("a:JH-AC-064", "Hatia", true), "member").Text)
	if number == "" {
		t.Fatal("the welcome carries no membership number")
	}
	return number
}

// Withdrawing the membership consent on /me ends the membership: the
// number stops verifying, no drive holds the person as a member, the news
// consents go with it, the page says so and offers erasure; the counts
// made stay; the bot no longer greets them as a member.
func TestEndMembershipOnMe(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300031")
	number := p.joinInEnglish(t, true)
	if code, _ := get(t, w.base+"/verify/"+number); code != http.StatusOK {
		t.Fatalf("/verify of a new member: HTTP %d", code)
	}
	c := w.signInOnMe("+91 98123 00031")
	page := w.form(c, "/me/consent", url.Values{"lang": {"en"}, "purpose": {"membership"}, "action": {"withdraw"}}, http.StatusOK)
	if !strings.Contains(page, "Your membership has ended") || !strings.Contains(page, `id="erase-form"`) {
		t.Errorf("after withdrawing membership /me shows %.500s", page)
	}
	if code, _ := get(t, w.base+"/verify/"+number); code != http.StatusNotFound {
		t.Errorf("/verify of an ended membership: HTTP %d, want 404", code)
	}
	if got := storetest.ConsentPurposesInForce(t, w.db, p.waID); len(got) != 0 {
		t.Errorf("after ending the membership, consents in force: %v", got)
	}
	if n := storetest.ParticipationCount(t, w.db, storetest.Participations{Registered: true}) +
		storetest.ParticipationCount(t, w.db, storetest.Participations{Verified: true}); n != 0 {
		t.Errorf("%d participations still hold a member", n)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"members": 1, "verified": 1})
	if got := p.say("hi"); len(got) == 0 || strings.Contains(got[0].Text, number) {
		t.Errorf("after ending the membership the bot says %v", got)
	}
}

// LEAVE in the chat ends the membership as /me does, after a question,
// and offers erasure; "no" keeps it.
func TestEndMembershipInBot(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300037")
	number := p.joinInEnglish(t, true)
	one(t, "leave", p.say("LEAVE"), "leave:yes", "leave:no")
	one(t, "leave kept", p.tap("leave:no", "No, stay", false), "still a member")
	if code, _ := get(t, w.base+"/verify/"+number); code != http.StatusOK {
		t.Fatalf("/verify of a member who said no: HTTP %d", code)
	}
	one(t, "leave again", p.say("सदस्यता छोड़ें"), "leave:yes")
	one(t, "leave confirmed", p.tap("leave:yes", "Yes, end it", false), "membership has ended", "DELETE")
	if code, _ := get(t, w.base+"/verify/"+number); code != http.StatusNotFound {
		t.Errorf("/verify of an ended membership: HTTP %d, want 404", code)
	}
	if got := storetest.ConsentPurposesInForce(t, w.db, p.waID); len(got) != 0 {
		t.Errorf("after LEAVE, consents in force: %v", got)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"members": 1, "verified": 1})
}

// After STOP the rights commands are still answered and carried out:
// HELP, MY DATA and DELETE (its question and the answer to it); anything
// else stays silent.
func TestBotRightsAfterStop(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300032")
	one(t, "first", p.say("hello"), "lang:en")
	one(t, "language", p.tap("lang:en", "English", false), "consent:yes")
	one(t, "stop", p.say("STOP"), "HELP, MY DATA, DELETE and LEAVE still work")
	if got := p.say("are you there?"); len(got) != 0 {
		t.Fatalf("after STOP the bot answered: %v", got)
	}
	one(t, "help after STOP", p.say("help"), "MY DATA", "DELETE")
	one(t, "my data after STOP", p.say("my data"), "What we hold")
	one(t, "delete after STOP", p.say("DELETE"), "del:yes", "del:no")
	one(t, "erase after STOP", p.tap("del:yes", "Yes, erase", false), "erased")
	if n := storetest.ContactCount(t, w.db, storetest.Contacts{Values: []string{p.waID, "+" + p.waID}}); n != 0 {
		t.Errorf("after DELETE following STOP %d contact points remain", n)
	}
}

// STOP withdraws the news on WhatsApp and by SMS, as the opt-in promises;
// START puts back what STOP took and nothing more: a member who refused
// news does not get it by writing START.
func TestStartRestoresOnlyWhatStopTook(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	for _, tc := range []struct {
		waID  string
		optin bool
		want  []string
	}{
		{"919812300033", false, []string{store.PurposeMembership}},
		{"919812300034", true, []string{store.PurposeMembership, store.PurposeSMS, store.PurposeWhatsApp}},
	} {
		p := w.person(tc.waID)
		p.joinInEnglish(t, tc.optin)
		one(t, "stop", p.say("STOP"), "no more messages")
		if got := storetest.ConsentPurposesInForce(t, w.db, tc.waID); !slices.Equal(got, []string{store.PurposeMembership}) {
			t.Errorf("news %v, after STOP consents in force: %v, want membership only", tc.optin, got)
		}
		one(t, "start", p.say("START"), "again")
		if got := storetest.ConsentPurposesInForce(t, w.db, tc.waID); !slices.Equal(got, tc.want) {
			t.Errorf("news %v, after START consents in force: %v, want %v", tc.optin, got, tc.want)
		}
	}
}

// Withdrawing WhatsApp news on /me does not silence the bot: a person who
// writes is answered, since a reply is no news.
func TestNewsWithdrawnOnMeStillAnswered(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300035")
	number := p.joinInEnglish(t, true)
	c := w.signInOnMe("+91 98123 00035")
	w.form(c, "/me/consent", url.Values{"lang": {"en"}, "purpose": {"whatsapp"}, "action": {"withdraw"}}, http.StatusOK)
	if got := storetest.ConsentPurposesInForce(t, w.db, p.waID); slices.Contains(got, store.PurposeWhatsApp) {
		t.Fatalf("WhatsApp news still in force after withdrawing it on /me: %v", got)
	}
	one(t, "hi after withdrawing news", p.say("hi"), number)
	one(t, "help", p.say("help"), "MY DATA")
}

// /me's message history shows that a sign-in code was sent, never the
// code, even while the message is still being sent.
func TestMeHidesSignInCodes(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	const phone = "+91 98123 00036"
	one(t, "first", w.person("919812300036").say("hello"), "lang:en")
	c := w.signInOnMe(phone)
	w.gw.Delay(3 * time.Second) // the next code is being sent while /me is read
	code := w.requestCode(c, phone)
	defer w.gw.Delay(0)
	resp, err := c.Get(w.base + "/me?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	page := string(b)
	if !strings.Contains(page, `id="messages"`) || !strings.Contains(page, store.Masked) {
		t.Fatalf("/me shows no masked sign-in message: %.500s", page)
	}
	if strings.Contains(page, code) {
		t.Errorf("/me shows the sign-in code %s", code)
	}
}
