package app_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// botWorld is a served Jodo with the fake Graph API and the fake SMS
// gateway: people chat with the drive's WhatsApp number.
type botWorld struct {
	t     *testing.T
	db    *store.DB
	fake  *fakemeta.FakeGraph
	gw    *smstest.FakeGateway
	base  string
	dbURL string
}

func newBotWorld(t *testing.T, env ...string) *botWorld {
	fake := fakemeta.NewFakeGraph("graph-token")
	t.Cleanup(fake.Close)
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	w := &botWorld{t: t, fake: fake, gw: gw, dbURL: dbURL,
		base: smsServe(t, dbURL, gw, append([]string{"JODO_WHATSAPP_TOKEN", "graph-token", "JODO_WHATSAPP_API_BASE", fake.BaseURL}, env...)...)}
	w.db = storetest.Attach(t, dbURL)
	return w
}

// person is someone chatting from waID.
type person struct {
	w    *botWorld
	waID string
	seen int // Graph requests to them already read
}

func (w *botWorld) person(waID string) *person { return &person{w: w, waID: waID} }

// reply is one message the bot sent: what it shows.
type reply struct {
	Text    string
	Options [][2]string // id, title
}

func (r reply) option(id string) bool {
	return slices.ContainsFunc(r.Options, func(o [2]string) bool { return o[0] == id })
}

func (r reply) String() string { return fmt.Sprintf("%q %v", r.Text, r.Options) }

// post sends a webhook body and waits until the bot has answered it and
// its answers are sent; it returns the new replies to this person.
func (p *person) post(wamid string, body []byte) []reply {
	p.w.t.Helper()
	if err := fakemeta.PostWebhook(context.Background(), p.w.base+"/hooks/whatsapp", waAppSecret, body); err != nil {
		p.w.t.Fatal(err)
	}
	p.w.answered(wamid)
	return p.replies()
}

// answered waits until the message is processed and nothing on WhatsApp
// is waiting to be sent.
func (w *botWorld) answered(wamid string) { w.t.Helper(); waitAnswered(w.t, w.db, wamid) }

func waitAnswered(t *testing.T, db *store.DB, wamid string) {
	t.Helper()
	smsWait(t, "the bot's answer to "+wamid, func() bool {
		return storetest.InboxCount(t, db, storetest.Inbox{Provider: "whatsapp", Key: wamid, Unprocessed: true}) == 0 &&
			storetest.OutboxCount(t, db, storetest.Outbox{Channel: "whatsapp", States: storetest.Pending}) == 0
	})
}

// replies returns the bot's messages to the person since the last call.
func (p *person) replies() []reply {
	var out []reply
	reqs := p.w.fake.Requests()
	for _, r := range reqs[p.seen:] {
		if r.To == p.waID && r.MessageID != "" {
			text, opts := fakemeta.Shown(r)
			out = append(out, reply{Text: text, Options: opts})
		}
	}
	p.seen = len(reqs)
	return out
}

func (p *person) wamid() string { return fakemeta.NewWAMID(p.waID, true) }

func (p *person) say(text string) []reply {
	id := p.wamid()
	return p.post(id, fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, p.waID, id, text, time.Now()))
}

func (p *person) tap(optionID, title string, list bool) []reply {
	id := p.wamid()
	return p.post(id, fakemeta.TapBody("+91 70000 00000", fakemeta.PhoneNumberID, p.waID, id, optionID, title, list, time.Now()))
}

func (p *person) locate(lat, lon float64) []reply {
	id := p.wamid()
	return p.post(id, fakemeta.LocationBody("+91 70000 00000", fakemeta.PhoneNumberID, p.waID, id, lat, lon, time.Now()))
}

// one wants exactly one reply, containing each of want, and returns it.
func one(t *testing.T, step string, got []reply, want ...string) reply {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("%s: %d replies, want 1: %v", step, len(got), got)
	}
	for _, w := range want {
		if !strings.Contains(got[0].Text, w) && !got[0].option(w) {
			t.Fatalf("%s: reply %v lacks %q", step, got[0], w)
		}
	}
	return got[0]
}

var memberNumber = regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}`)

// The whole join in Hindi, typing with slips: language, consent, no
// news, age typed "हाँ", name, district "राँची" typed, AC "hatiya" (a slip
// for Hatia); the welcome carries the membership number and a working card
// link; the counters move once, as verified (the WhatsApp number is the
// phone); a later "hi" is greeted as a member, not asked to join again.
func TestBotJoinInHindi(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300021")
	one(t, "first message", p.say("नमस्ते"), "lang:hi", "lang:en", "नमस्ते")
	one(t, "language", p.tap("lang:hi", "हिंदी", false), "consent:yes", "सहमत")
	one(t, "consent", p.tap("consent:yes", "मैं सहमत हूँ", false), "optin:yes", "optin:no")
	one(t, "news", p.tap("optin:no", "नहीं, धन्यवाद", false), "age:yes", "18")
	one(t, "age typed", p.say("हाँ"), "नाम")
	one(t, "name", p.say("सुनीता देवी"), "d:JH-D-BOKARO", "more:1", "ज़िले")
	one(t, "district typed", p.say("राँची"), "a:JH-AC-063", "a:JH-AC-064")
	welcome := one(t, "AC with a slip", p.say("hatiya"), "सुनीता देवी", "सदस्य")
	number := memberNumber.FindString(welcome.Text)
	card := regexp.MustCompile(`https?://\S+/card/\S+`).FindString(welcome.Text)
	if number == "" || card == "" {
		t.Fatalf("welcome without a number or card link: %s", welcome.Text)
	}
	resp, err := http.Get(card)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("card link %s: %v %v", card, resp, err)
	}
	resp.Body.Close()
	m, err := w.db.MemberByNumber(context.Background(), strings.ReplaceAll(number, "-", ""))
	if err != nil || m.Name != "सुनीता देवी" {
		t.Fatalf("member %s: %+v %v", number, m, err)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"members": 1, "verified": 1})
	checkCountsByChannel(t, w.db, "whatsapp", map[string]int64{"leads": 1, "members": 1, "verified": 1})
	one(t, "a member says hi", p.say("hi"), "सदस्य", number)
}

// The join in English: an ambiguous district ("singhbhum") is asked about,
// never guessed; a shared location picks the AC (and its district); news
// opted in gives WhatsApp and SMS consent.
func TestBotJoinInEnglishByLocation(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300022")
	one(t, "first message", p.say("Hi"), "lang:en")
	one(t, "language", p.tap("lang:en", "English", false), "Do you agree")
	one(t, "consent typed", p.say("yes"), "optin:yes")
	one(t, "news, a button typed", p.say("Yes, send news"), "18")
	one(t, "age", p.tap("age:yes", "Yes, 18+", false), "name")
	one(t, "name", p.say("Ravi Kumar"), "district")
	which := one(t, "ambiguous district", p.say("singhbhum"), "d:JH-D-EAST-SINGHBHUM", "d:JH-D-WEST-SINGHBHUM")
	if !strings.Contains(which.Text, "Which of these") {
		t.Errorf("an ambiguous district was not asked about: %v", which)
	}
	one(t, "district tapped", p.tap("d:JH-D-EAST-SINGHBHUM", "East Singhbhum", true), "a:JH-AC-048")
	shapes, err := geo.JharkhandACs()
	if err != nil {
		t.Fatal(err)
	}
	const lat, lon = 23.3441, 85.3096 // Ranchi
	want, ok := shapes.Locate(lat, lon)
	if !ok {
		t.Fatal("the test's location is in no AC")
	}
	one(t, "location", p.locate(lat, lon), "Ravi Kumar", "member")
	checkCounts(t, w.db, want, map[string]int64{"members": 1, "verified": 1})
	if consents := storetest.ConsentsInForce(t, w.db, p.waID, "whatsapp"); consents != 3 {
		t.Errorf("%d consents in force, want membership, WhatsApp and SMS", consents)
	}
}

// STOP is confirmed once; after it nothing is answered; START answers
// again. MY DATA tells what is held; DELETE asks, then erases as /me does.
// A sticker mid-flow gets an answer and the question again.
func TestBotRights(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300023")
	one(t, "first", p.say("hello"), "lang:en")
	one(t, "language", p.tap("lang:en", "English", false), "Do you agree")
	sticker := p.wamid()
	got := p.post(sticker, fakemeta.StickerBody("+91 70000 00000", fakemeta.PhoneNumberID, p.waID, sticker, time.Now()))
	if len(got) != 2 || !strings.Contains(got[0].Text, "only read") || !got[1].option("consent:yes") {
		t.Fatalf("a sticker mid-flow: %v", got)
	}
	one(t, "stop", p.say("STOP"), "no more messages")
	if got := p.say("are you there?"); len(got) != 0 {
		t.Fatalf("after STOP the bot answered: %v", got)
	}
	got = p.say("start")
	if len(got) != 2 || !strings.Contains(got[0].Text, "again") || !got[1].option("consent:yes") {
		t.Fatalf("START: %v, want the confirmation and the question it stopped at", got)
	}
	one(t, "help", p.say("help"), "MY DATA", "DELETE", "STOP")
	data := one(t, "my data", p.say("my data"), "What we hold", "+91")
	if strings.Contains(data.Text, "9812300023") {
		t.Errorf("MY DATA shows the whole number: %s", data.Text)
	}
	one(t, "delete", p.say("DELETE"), "del:yes", "del:no")
	one(t, "delete kept", p.tap("del:no", "No, keep it", false), "Nothing was erased")
	one(t, "delete again", p.say("हटाओ"), "del:yes")
	one(t, "erase", p.tap("del:yes", "Yes, erase", false), "erased", "counts")
	if contacts := storetest.ContactCount(t, w.db, storetest.Contacts{Values: []string{p.waID, "+" + p.waID}}); contacts != 0 {
		t.Errorf("after DELETE %d contact points remain", contacts)
	}
	one(t, "after erasure a new start", p.say("hi"), "lang:en")
}

// The same message delivered three times at once is answered once; three
// messages sent fast are answered in the order sent.
func TestBotOnceAndInOrder(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300024")
	id := p.wamid()
	body := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, p.waID, id, "Hi", time.Now())
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if err := fakemeta.PostWebhook(context.Background(), w.base+"/hooks/whatsapp", waAppSecret, body); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	w.answered(id)
	one(t, "the same Hi three times", p.replies(), "lang:hi")
	var ids []string
	for _, text := range []string{"help", "my data", "help"} {
		id := p.wamid()
		ids = append(ids, id)
		if err := fakemeta.PostWebhook(context.Background(), w.base+"/hooks/whatsapp", waAppSecret,
			fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, p.waID, id, text, time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		w.answered(id)
	}
	got := p.replies()
	if len(got) != 3 || !strings.Contains(got[0].Text, "बंद") || !strings.Contains(got[1].Text, "+91") || got[2].Text != got[0].Text {
		t.Fatalf("three fast messages answered %v, want help, my data, help in order", got)
	}
}

// A missed caller who opens the chat from the follow-up SMS's wa.me link
// on the same phone continues as the same person; from another number the
// join code folds the chat into the caller's lead: one lead counted, and
// the caller's phone is not verified by it.
func TestBotContinuesMissedCallLead(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	code := func(link string) string {
		t.Helper()
		m := regexp.MustCompile(`JOIN%20([0-9A-Z]+)`).FindStringSubmatch(link)
		if m == nil {
			t.Fatalf("no join code in %q", link)
		}
		return m[1]
	}
	before := len(w.gw.Received())
	smsCall(t, w.base, "bot-call-1", "+919812300031")
	smsWait(t, "the follow-up SMS", func() bool { return len(w.gw.Received()) > before })
	same := w.person("919812300031")
	one(t, "code from the same phone", same.say("JOIN "+code(w.gw.Received()[before].Body)), "lang:hi")
	checkCountsByChannel(t, w.db, "whatsapp", map[string]int64{})
	checkCountsByChannel(t, w.db, "missed_call", map[string]int64{"leads": 1})

	before = len(w.gw.Received())
	smsCall(t, w.base, "bot-call-2", "+919812300033")
	smsWait(t, "the second follow-up SMS", func() bool { return len(w.gw.Received()) > before })
	other := w.person("919812300032")
	got := other.say("जुड़ें " + code(w.gw.Received()[before].Body))
	if len(got) != 2 || !strings.Contains(got[0].Text, "मिस्ड कॉल") || !got[1].option("lang:hi") {
		t.Fatalf("a code from another number: %v", got)
	}
	checkCountsByChannel(t, w.db, "whatsapp", map[string]int64{"leads": 0})
	checkCountsByChannel(t, w.db, "missed_call", map[string]int64{"leads": 2})
	one(t, "language", other.tap("lang:en", "English", false), "Do you agree")
	other.tap("consent:yes", "I agree", false)
	other.tap("optin:no", "No, thanks", false)
	other.tap("age:yes", "Yes, 18+", false)
	other.say("Asha Oraon")
	other.say("Ranchi")
	one(t, "registered", other.say("Kanke"), "Asha Oraon")
	checkCountsByChannel(t, w.db, "missed_call", map[string]int64{"leads": 2, "members": 1})
	if verified := storetest.ParticipationCount(t, w.db, storetest.Participations{Verified: true,
		Contact: &storetest.Contacts{Kind: "phone", Value: "+919812300033"}}); verified != 0 {
		t.Error("a join code from another number verified the caller's phone")
	}
}

// Two server processes on one PostgreSQL, each receiving every other
// webhook of the same people: every message is answered exactly once and
// each person's answers arrive in the order they wrote, so the processes
// never answered one person at the same time; both did some answering.
func TestTwoProcessesAnswerInOrder(t *testing.T) {
	t.Parallel()
	dbURL := storetest.NewSchema(t, storetest.RequirePostgres(t))
	smsDrive(t, dbURL, "en")
	db := storetest.Attach(t, dbURL)
	fake := fakemeta.NewFakeGraph("graph-token")
	t.Cleanup(fake.Close)
	fake.Delay(20 * time.Millisecond) // sends overlap the other process's work
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	var bases []string
	var procs []*jodoProcess
	for _, key := range []string{"key-a", "key-b"} {
		env := exotelServeEnv(gw, dbURL, key)
		env["JODO_WHATSAPP_TOKEN"], env["JODO_WHATSAPP_API_BASE"] = "graph-token", fake.BaseURL
		p := startJodoProcess(t, env, "serve")
		bases = append(bases, p.waitListening(t))
		procs = append(procs, p)
	}
	const people, each = 20, 6
	words := []string{"help", "my data"}
	// Which process leases a conversation is a race: now and then one
	// process's answering loops take every conversation of a round. A
	// round is sent again, to new people, until both have answered (at
	// most five rounds); order and exactly-once hold for every round.
	answered := map[string]float64{}
	rounds := 0
	for rounds < 5 && (answered["a"] == 0 || answered["b"] == 0) {
		var wamids []string
		var wg sync.WaitGroup
		for i := range people {
			waID := fmt.Sprintf("9198123%05d", 400+rounds*people+i)
			ids := make([]string, each)
			for k := range ids {
				ids[k] = fakemeta.NewWAMID(waID, true)
			}
			wamids = append(wamids, ids...)
			wg.Go(func() {
				for k, id := range ids { // in order, alternating processes, without waiting for answers
					body := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, waID, id, words[k%2], time.Now())
					if err := fakemeta.PostWebhook(context.Background(), bases[k%2]+"/hooks/whatsapp", waAppSecret, body); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		for _, id := range wamids {
			waitAnswered(t, db, id)
		}
		rounds++
		for i, base := range bases {
			body := []byte(getMetrics(t, base))
			if m := regexp.MustCompile(`jodo_bot_steps_total\{outcome="answered"\} (\d+)`).FindSubmatch(body); m != nil {
				answered[string(rune('a'+i))], _ = strconv.ParseFloat(string(m[1]), 64)
			}
		}
	}
	t.Logf("%d round(s) of %d people: answered by process %v", rounds, people, answered)
	for _, p := range procs {
		p.stop(t)
	}
	checkAnsweredInOrder(t, fake, rounds*people, each)
	if answered["a"] == 0 || answered["b"] == 0 || answered["a"]+answered["b"] != float64(rounds*people*each) {
		t.Errorf("answered by process in %d rounds: %v; want both, %d in all", rounds, answered, rounds*people*each)
	}
}

// checkAnsweredInOrder: each of people got each answers, one per message,
// in the order they wrote (help, my data, help …).
func checkAnsweredInOrder(t *testing.T, fake *fakemeta.FakeGraph, people, each int) {
	t.Helper()
	byPerson := map[string][]string{}
	for _, r := range fake.Requests() {
		if r.MessageID != "" {
			text, _ := fakemeta.Shown(r)
			byPerson[r.To] = append(byPerson[r.To], text)
		}
	}
	if len(byPerson) != people {
		t.Errorf("%d people got answers, want %d", len(byPerson), people)
	}
	for to, texts := range byPerson {
		if len(texts) != each {
			t.Errorf("%s got %d answers to %d messages", to, len(texts), each)
			continue
		}
		for k, text := range texts {
			if isHelp := strings.Contains(text, "STOP"); isHelp != (k%2 == 0) {
				t.Errorf("%s: answer %d is %q, out of order", to, k, text[:min(len(text), 20)])
				break
			}
		}
	}
}
