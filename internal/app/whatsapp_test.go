package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const (
	waAppSecret   = "whatsapp-app-secret-for-tests"
	waVerifyToken = "whatsapp-verify-token"
)

// WhatsApp inbound over HTTP: the handshake; a signed message from an
// unknown number makes a person and a lead of the drive whose WhatsApp
// number received it; the same message delivered three times at once is
// stored once; a tampered body is refused and stores nothing; a missed
// caller who then writes is the same person, not a second lead.
func TestWhatsAppInbound(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "hi")
	db := storetest.Attach(t, dbURL)
	ctx := context.Background()
	hook := base + "/hooks/whatsapp"

	code, body := get(t, hook+"?hub.mode=subscribe&hub.verify_token="+waVerifyToken+"&hub.challenge=1158201444")
	if code != http.StatusOK || body != "1158201444" {
		t.Fatalf("handshake: %d %q", code, body)
	}
	if code, _ := get(t, hook+"?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"); code != http.StatusForbidden {
		t.Errorf("handshake with a wrong token: %d", code)
	}

	wamid := fakemeta.NewWAMID("919812300001", true)
	msg := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, "919812300001", wamid, "नमस्ते, जुड़ना है", time.Now())
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if err := fakemeta.PostWebhook(ctx, hook, waAppSecret, msg); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := storetest.InboxCount(t, db, storetest.Inbox{Provider: "whatsapp", Key: wamid}); n != 1 {
		t.Fatalf("the message delivered 3 times is stored %d times", n)
	}
	if n := storetest.ParticipationCount(t, db, storetest.Participations{Channel: "whatsapp", Lead: true,
		Contact: &storetest.Contacts{Kind: "wa_id", Value: "919812300001"}}); n != 1 {
		t.Errorf("the new sender is %d leads, want 1", n)
	}
	checkCountsByChannel(t, db, "whatsapp", map[string]int64{"leads": 1})

	tampered := []byte(strings.Replace(string(fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, "919812300002",
		fakemeta.NewWAMID("919812300002", true), "hello", time.Now())), "hello", "hullo", 1))
	req, _ := http.NewRequest(http.MethodPost, hook, strings.NewReader(string(tampered)))
	req.Header.Set("X-Hub-Signature-256", fakemeta.Signature(waAppSecret, []byte(strings.Replace(string(tampered), "hullo", "hello", 1))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || storetest.InboxCount(t, db, storetest.Inbox{Provider: "whatsapp"}) != 1 {
		t.Errorf("a tampered body: %d, and the inbox holds %d WhatsApp items", resp.StatusCode, storetest.InboxCount(t, db, storetest.Inbox{Provider: "whatsapp"}))
	}

	// A missed caller who then writes on WhatsApp is found by phone.
	followupLink(t, base, gw, "wa-call-1", "+919812300003")
	if err := fakemeta.PostWebhook(ctx, hook, waAppSecret, fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID,
		"919812300003", fakemeta.NewWAMID("919812300003", true), "JOIN", time.Now())); err != nil {
		t.Fatal(err)
	}
	if n := storetest.PeopleAt(t, db, storetest.Contacts{Values: []string{"+919812300003", "919812300003"}}); n != 1 {
		t.Errorf("the caller and the WhatsApp sender are %d people, want 1", n)
	}
	if n := storetest.ParticipationCount(t, db, storetest.Participations{Channel: "whatsapp"}); n != 1 {
		t.Errorf("%d WhatsApp leads, want 1 (the caller's lead stays a missed-call lead)", n)
	}
}

// Status notifications move the outbox forward only: read, then a late
// delivered, leaves it read; a failure after read is not applied; a status
// for a message the outbox does not hold (yet) is kept for the retrier.
func TestWhatsAppStatusesMoveOutboxForward(t *testing.T) {
	t.Parallel()
	dbURL, _, base := smsWorld(t, "hi")
	db := storetest.Attach(t, dbURL)
	ctx := context.Background()
	hook := base + "/hooks/whatsapp"
	fake := fakemeta.NewFakeGraph("graph-token")
	defer fake.Close()
	client := graph.New(graph.Config{BaseURL: fake.BaseURL, Token: "graph-token"})
	sent := client.SendText(ctx, fakemeta.PhoneNumberID, "919812300005", "नमस्ते")
	other := client.SendText(ctx, fakemeta.PhoneNumberID, "919812300006", "hello")
	if sent.Outcome != send.Accepted || other.Outcome != send.Accepted {
		t.Fatalf("fake sends: %+v %+v", sent, other)
	}
	var id int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		if _, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: "whatsapp", Provider: "whatsapp",
			Class: store.ClassRequested, Body: "नमस्ते", To: "+919812300005"}}); err != nil {
			return err
		}
		var err error
		id, err = storetest.MarkWhatsAppSent(ctx, tx, sent.ProviderID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"read", "delivered", "failed"} { // out of order, then a late failure
		if err := fake.PostStatus(ctx, hook, waAppSecret, sent.ProviderID, st, map[string]int{"failed": 131026}[st]); err != nil {
			t.Fatal(err)
		}
	}
	if m, ok := storetest.Message(t, db, id); !ok || m.State != store.MsgRead {
		t.Errorf("after read, delivered, failed: %s (found: %v), want read", m.State, ok)
	}
	if err := fake.PostStatus(ctx, hook, waAppSecret, other.ProviderID, "delivered", 0); err != nil {
		t.Fatal(err)
	}
	if pending := storetest.InboxCount(t, db, storetest.Inbox{Kind: store.KindWhatsAppStatus, Unprocessed: true, Key: other.ProviderID + ":delivered"}); pending != 1 {
		t.Errorf("a status for a message the outbox lacks: %d pending, want 1", pending)
	}
}

// waOutbound is a served world with the fake Graph API: a person who has
// written to the drive's number, and a way to queue WhatsApp messages to
// them as the conversation engine does.
type waOutbound struct {
	t      *testing.T
	db     *store.DB
	fake   *fakemeta.FakeGraph
	base   string
	dbURL  string
	person int64
	drive  int64
	to     string
	seen   int // Graph requests made before the test's own (the bot's greeting)
}

func newWAOutbound(t *testing.T, waID string) *waOutbound {
	fake := fakemeta.NewFakeGraph("graph-token")
	t.Cleanup(fake.Close)
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	w := &waOutbound{t: t, fake: fake, dbURL: dbURL, to: "+" + waID,
		base: smsServe(t, dbURL, gw, "JODO_WHATSAPP_TOKEN", "graph-token", "JODO_WHATSAPP_API_BASE", fake.BaseURL)}
	w.db = storetest.Attach(t, dbURL)
	w.write("Hi")
	w.seen = len(fake.Requests())
	w.person, w.drive = storetest.PersonByWAID(t, w.db, waID)
	return w
}

// write posts a signed message from the person to the drive's number and
// waits for the bot's answer to go out.
func (w *waOutbound) write(text string) {
	w.t.Helper()
	waitAnswered(w.t, w.db, w.post(text))
}

// post posts a signed message from the person and returns its wamid.
func (w *waOutbound) post(text string) string {
	w.t.Helper()
	from := strings.TrimPrefix(w.to, "+")
	wamid := fakemeta.NewWAMID(from, true)
	body := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, from, wamid, text, time.Now())
	if err := fakemeta.PostWebhook(context.Background(), w.base+"/hooks/whatsapp", waAppSecret, body); err != nil {
		w.t.Fatal(err)
	}
	return wamid
}

// queue puts messages in the outbox in one transaction, in order.
func (w *waOutbound) queue(msgs ...graph.Outgoing) []int64 {
	w.t.Helper()
	ctx := context.Background()
	var ids []int64
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		for _, o := range msgs {
			body, err := o.Encode()
			if err != nil {
				return err
			}
			got, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: "whatsapp", Provider: "whatsapp",
				Class: store.ClassRequested, Body: body, To: w.to, From: fakemeta.PhoneNumberID, PersonID: w.person, DriveID: w.drive}})
			if err != nil {
				return err
			}
			ids = append(ids, got...)
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return ids
}

// settled waits until none of ids is queued or sending, and returns them.
func (w *waOutbound) settled(what string, ids ...int64) []store.OutboxMessage {
	w.t.Helper()
	out := make([]store.OutboxMessage, len(ids))
	smsWait(w.t, what, func() bool {
		for i, id := range ids {
			out[i] = smsMessage(w.t, w.db, strconv.FormatInt(id, 10))
			if out[i].State == store.MsgQueued || out[i].State == store.MsgSending {
				return false
			}
		}
		return true
	})
	return out
}

// requestsTo returns the Graph requests made to the person since index
// from, with their kind and text.
func (w *waOutbound) requestsTo(from int) []fakemeta.Request {
	var out []fakemeta.Request
	for _, r := range w.fake.Requests()[from:] {
		if "+"+r.To == w.to {
			out = append(out, r)
		}
	}
	return out
}

var waTemplate = &graph.TemplateRef{Name: "jodo_reminder", Language: "hi", Params: []string{"JH Sadasyata"}}

// WhatsApp messages of every kind go out through the Cloud API from the
// conversation's business number, in the order queued, once each; a
// 131056 (too many to this person) holds that person's later messages
// behind the refused one; a 130429 (the number's throughput) is retried; a
// permanent refusal (131026) fails with its code, on the person's page.
func TestWhatsAppOutboundKindsAndLimits(t *testing.T) {
	t.Parallel()
	w := newWAOutbound(t, "919812300008")
	rows := make([]graph.Row, 10)
	for i := range rows {
		rows[i] = graph.Row{ID: fmt.Sprintf("ac-%d", i), Title: fmt.Sprintf("AC %d", i)}
	}
	ids := w.queue(graph.Text("नमस्ते! जुड़ने के लिए धन्यवाद।"),
		graph.Outgoing{Kind: graph.KindButtons, Text: "भाषा चुनें", Buttons: []graph.Button{{ID: "hi", Title: "हिंदी"}, {ID: "en", Title: "English"}}},
		graph.Outgoing{Kind: graph.KindList, Text: "अपना क्षेत्र चुनें", ListButton: "क्षेत्र", Sections: []graph.Section{{Rows: rows}}},
		graph.Outgoing{Kind: graph.KindTemplate, Template: waTemplate})
	for i, m := range w.settled("four kinds sent", ids...) {
		if m.State != store.MsgSent {
			t.Errorf("message %d: %s %q", i, m.State, m.Error)
		}
	}
	reqs := w.requestsTo(w.seen)
	var kinds []string
	for _, r := range reqs {
		kinds = append(kinds, r.Type)
		if r.PhoneNumberID != fakemeta.PhoneNumberID {
			t.Errorf("sent from %s, want the conversation's number %s", r.PhoneNumberID, fakemeta.PhoneNumberID)
		}
	}
	if strings.Join(kinds, ",") != "text,interactive,interactive,template" {
		t.Fatalf("requests in order %v, want text, buttons, list, template", kinds)
	}

	// 131056 on the first of two: the second waits for it (pair limit),
	// both arrive in order, neither twice.
	n := len(w.fake.Requests())
	w.fake.FailNext(131056)
	ids = w.queue(graph.Text("पहला"), graph.Text("दूसरा"))
	for _, m := range w.settled("messages after a 131056", ids...) {
		if m.State != store.MsgSent {
			t.Errorf("after a 131056: %s %q", m.State, m.Error)
		}
	}
	var texts []string
	for _, r := range w.requestsTo(n) {
		if r.MessageID != "" {
			texts = append(texts, fakemeta.Text(r))
		}
	}
	if strings.Join(texts, ",") != "पहला,दूसरा" {
		t.Errorf("accepted after a 131056: %q, want पहला then दूसरा once each", texts)
	}

	w.fake.FailNext(130429)
	ids = w.queue(graph.Text("throughput"))
	if m := w.settled("a message after a 130429", ids...)[0]; m.State != store.MsgSent || m.Attempts != 2 {
		t.Errorf("after a 130429: %s after %d attempts (%q), want sent on the second", m.State, m.Attempts, m.Error)
	}

	w.fake.FailNext(131026)
	ids = w.queue(graph.Text("undeliverable"))
	if m := w.settled("a refused message", ids...)[0]; m.State != store.MsgFailed || !strings.Contains(m.Error, "131026") {
		t.Errorf("after a 131026: %s %q", m.State, m.Error)
	}
	ctx := context.Background()
	var msgs []store.PersonMessage
	err := w.db.View(ctx, func(tx *store.Tx) (err error) { msgs, err = store.PersonMessages(ctx, tx, w.person, 1); return err })
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Error, "131026") {
		t.Errorf("the person's timeline shows %+v (%v), want the 131026", msgs, err)
	}
}

// The 24-hour window: outside it a free-form message is not sent; with a
// fallback template it goes as the template only once the person has
// WhatsApp consent. A 131047 from Meta inside what we thought was the
// window closes it: the message goes again as its template, and the next
// free-form one is not tried until the person writes again.
func TestWhatsAppWindow(t *testing.T) {
	t.Parallel()
	w := newWAOutbound(t, "919812300009")
	ctx := context.Background()
	storetest.SetLastInbound(t, w.db, w.person, time.Now().Add(-25*time.Hour))
	n := len(w.fake.Requests())
	plain := graph.Text("free-form, no template")
	withTemplate := graph.Outgoing{Kind: graph.KindText, Text: "free-form with a template", Template: waTemplate}
	ids := w.queue(plain, withTemplate)
	got := w.settled("messages outside the window", ids...)
	if got[0].State != store.MsgFailed || !strings.Contains(got[0].Error, "24-hour window") {
		t.Errorf("free-form outside the window: %s %q", got[0].State, got[0].Error)
	}
	if got[1].State != store.MsgFailed || !strings.Contains(got[1].Error, "consent") {
		t.Errorf("a template without consent: %s %q", got[1].State, got[1].Error)
	}
	if reqs := w.requestsTo(n); len(reqs) != 0 {
		t.Fatalf("outside the window Graph got %d requests, want none", len(reqs))
	}

	err := w.db.Update(ctx, func(tx *store.Tx) error {
		return store.GrantConsent(ctx, tx, store.Consent{PersonID: w.person, Purpose: store.PurposeWhatsApp,
			NoticeVersion: "test", Language: "hi", Channel: "whatsapp"})
	})
	if err != nil {
		t.Fatal(err)
	}
	ids = w.queue(withTemplate)
	if m := w.settled("a template outside the window", ids...)[0]; m.State != store.MsgSent || !strings.Contains(m.Body, `"kind":"template"`) {
		t.Errorf("with consent: %s, body %s; want sent as the template", m.State, m.Body)
	}
	if reqs := w.requestsTo(n); len(reqs) != 1 || reqs[0].Type != "template" {
		t.Fatalf("with consent Graph got %+v, want one template", reqs)
	}

	// The person writes: the window opens. Meta still says 131047.
	w.write("फिर से नमस्ते")
	n = len(w.fake.Requests())
	w.fake.FailNext(131047)
	ids = w.queue(withTemplate)
	if m := w.settled("a 131047", ids...)[0]; m.State != store.MsgSent || !strings.Contains(m.Body, `"kind":"template"`) {
		t.Errorf("after a 131047: %s %q, body %s; want sent as the template", m.State, m.Error, m.Body)
	}
	if reqs := w.requestsTo(n); len(reqs) != 2 || reqs[0].ErrorCode != 131047 || reqs[1].Type != "template" {
		t.Errorf("after a 131047 Graph got %+v, want the refused text then the template", reqs)
	}
	ids = w.queue(plain)
	if m := w.settled("free-form after a 131047", ids...)[0]; m.State != store.MsgFailed {
		t.Errorf("free-form after Meta closed the window: %s", m.State)
	}
	if reqs := w.requestsTo(n); len(reqs) != 2 {
		t.Errorf("after Meta closed the window Graph got %d requests, want no more", len(reqs))
	}
	w.write("और एक बार")
	ids = w.queue(plain)
	if m := w.settled("free-form after the person wrote again", ids...)[0]; m.State != store.MsgSent {
		t.Errorf("free-form after the person wrote again: %s %q", m.State, m.Error)
	}
}

// The drive's WhatsApp switch: off, a message from a person is still
// stored and acknowledged, and nothing is sent; on again, sending resumes.
func TestWhatsAppDriveSwitch(t *testing.T) {
	t.Parallel()
	w := newWAOutbound(t, "919812300010")
	version := 1 // smsDrive's; every switch is an edit, at the next version
	applySwitch := func(off bool) {
		ist := time.FixedZone("IST", 19800)
		file := filepath.Join(t.TempDir(), "drive.json")
		version++
		os.WriteFile(file, fmt.Appendf(nil, `{"version":%d,"slug":"jh-sms","name":"Sadasyata — Jharkhand","sms_name":"JH Sadasyata",
			"language":"hi","starts_on":%q,"ends_on":%q,"timezone":"Asia/Kolkata","root_area":"JH",
			"channels":[{"kind":"missed_call","number":"1800 000 0000"},{"kind":"whatsapp","number":"+91 70000 00000","off":%v}],
			"targets":["state JH: 500000 members"]}`, version,
			time.Now().In(ist).AddDate(0, 0, -1).Format(time.DateOnly), time.Now().In(ist).AddDate(0, 0, 29).Format(time.DateOnly), off), 0o600)
		mustJodo(t, w.dbURL, "drive", "apply", file)
	}
	applySwitch(true)
	n := len(w.fake.Requests())
	held := w.post("switched off?")
	if stored := storetest.InboxCount(t, w.db, storetest.Inbox{Kind: store.KindWhatsAppMessage, PersonID: w.person}); stored != 2 {
		t.Errorf("inbound with the switch off: %d stored, want 2", stored)
	}
	ids := w.queue(graph.Text("not while off"))
	if m := w.settled("a message while off", ids...)[0]; m.State != store.MsgFailed || !strings.Contains(m.Error, "switched off") {
		t.Errorf("with the switch off: %s %q", m.State, m.Error)
	}
	if reqs := w.requestsTo(n); len(reqs) != 0 {
		t.Errorf("with the switch off Graph got %d requests", len(reqs))
	}
	applySwitch(false)
	waitAnswered(t, w.db, held) // the bot answers what waited
	ids = w.queue(graph.Text("on again"))
	if m := w.settled("a message after switching on", ids...)[0]; m.State != store.MsgSent {
		t.Errorf("with the switch on: %s %q", m.State, m.Error)
	}
}

// Every sample payload Meta documents, signed and POSTed to the webhook of
// a served Jodo, is acknowledged and stored under its key, once even when
// POSTed twice; one POST carrying messages and statuses of several
// business numbers stores every item.
func TestWhatsAppSamplesOverHTTP(t *testing.T) {
	t.Parallel()
	dbURL, _, base := smsWorld(t, "hi")
	db := storetest.Attach(t, dbURL)
	ctx := context.Background()
	hook := base + "/hooks/whatsapp"
	files, err := filepath.Glob("../whatsapp/testdata/whatsapp_*.json")
	files = slices.DeleteFunc(files, func(f string) bool { return strings.Contains(f, "_error_") }) // Graph's answers to a send, not webhooks
	if err != nil || len(files) < 10 {
		t.Fatalf("samples: %v %v", files, err)
	}
	inbox := func() int { return storetest.InboxCount(t, db, storetest.Inbox{Provider: "whatsapp"}) }
	seen := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		before := inbox()
		for range 2 {
			if err := fakemeta.PostWebhook(ctx, hook, waAppSecret, raw); err != nil {
				t.Fatalf("%s: %v", filepath.Base(f), err)
			}
		}
		// A compact or legacy form of a sample already posted is a repeat.
		stem := strings.NewReplacer(".compact", "", "_legacy_cbp", "").Replace(filepath.Base(f))
		if got := inbox() - before; got < 1 && !seen[stem] {
			t.Errorf("%s: stored %d items", filepath.Base(f), got)
		}
		seen[stem] = true
	}
	n := inbox()
	// The same samples again: all duplicates.
	for _, f := range files[:3] {
		raw, _ := os.ReadFile(f)
		if err := fakemeta.PostWebhook(ctx, hook, waAppSecret, raw); err != nil {
			t.Fatal(err)
		}
	}
	if inbox() != n {
		t.Errorf("replayed samples stored %d more items", inbox()-n)
	}

	value := func(display, phoneID, items string) string {
		return `{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"` +
			display + `","phone_number_id":"` + phoneID + `"},` + items + `}}`
	}
	text := func(id, from string) string {
		return `{"from":"` + from + `","id":"` + id + `","timestamp":"` + strconv.FormatInt(time.Now().Unix(), 10) + `","type":"text","text":{"body":"hi"}}`
	}
	status := func(id, st string) string {
		return `{"id":"` + id + `","status":"` + st + `","timestamp":"1763095600","recipient_id":"919800000009"}`
	}
	many := `{"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[
		` + value("+91 70000 00000", fakemeta.PhoneNumberID, `"contacts":[{"profile":{"name":"A"},"wa_id":"919800000101"},{"profile":{"name":"B"},"wa_id":"919800000102"}],
			"messages":[`+text("wamid.many1", "919800000101")+`,`+text("wamid.many2", "919800000102")+`],"statuses":[`+status("wamid.out1", "sent")+`]`) + `,
		` + value("918047000002", "P2", `"messages":[`+text("wamid.many3", "919800000103")+`],"statuses":[`+status("wamid.out2", "delivered")+`,`+status("wamid.out3", "read")+`]`) + `]}]}`
	if err := fakemeta.PostWebhook(ctx, hook, waAppSecret, []byte(many)); err != nil {
		t.Fatal(err)
	}
	if got := inbox() - n; got != 6 {
		t.Errorf("one POST of 3 messages and 3 statuses stored %d items", got)
	}
	if leads := storetest.ParticipationCount(t, db, storetest.Participations{Channel: "whatsapp",
		Contact: &storetest.Contacts{Kind: "wa_id", Values: []string{"919800000101", "919800000102", "919800000103"}}}); leads != 2 {
		t.Errorf("%d leads from the batched POST, want 2 (the third wrote to a number no drive owns)", leads)
	}
}
