package app_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/graph/graphtest"
	"github.com/jodo-org/jodo/internal/sms"
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
	dbURL, gw, base := smsWorld(t, "hi")
	db := smsOpen(t, dbURL)
	ctx := context.Background()
	hook := base + "/hooks/whatsapp"

	code, body := get(t, hook+"?hub.mode=subscribe&hub.verify_token="+waVerifyToken+"&hub.challenge=1158201444")
	if code != http.StatusOK || body != "1158201444" {
		t.Fatalf("handshake: %d %q", code, body)
	}
	if code, _ := get(t, hook+"?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"); code != http.StatusForbidden {
		t.Errorf("handshake with a wrong token: %d", code)
	}

	count := func(q string, args ...any) int {
		var n int
		if err := db.View(ctx, func(tx *store.Tx) error { return tx.QueryRowContext(ctx, q, args...).Scan(&n) }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	wamid := graphtest.NewWAMID("919812300001", true)
	msg := graphtest.TextBody("+91 70000 00000", graphtest.PhoneNumberID, "919812300001", wamid, "नमस्ते, जुड़ना है", time.Now())
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if err := graphtest.PostWebhook(ctx, hook, waAppSecret, msg); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := count("SELECT COUNT(*) FROM inbox WHERE provider = 'whatsapp' AND provider_key = $1", wamid); n != 1 {
		t.Fatalf("the message delivered 3 times is stored %d times", n)
	}
	if n := count(`SELECT COUNT(*) FROM participations p JOIN contact_points c ON c.person_id = p.person_id
		WHERE c.kind = 'wa_id' AND c.value = '919812300001' AND p.channel = 'whatsapp' AND p.lead_at IS NOT NULL`); n != 1 {
		t.Errorf("the new sender is %d leads, want 1", n)
	}
	checkCountsByChannel(t, db, "whatsapp", map[string]int64{"leads": 1})

	tampered := []byte(strings.Replace(string(graphtest.TextBody("+91 70000 00000", graphtest.PhoneNumberID, "919812300002",
		graphtest.NewWAMID("919812300002", true), "hello", time.Now())), "hello", "hullo", 1))
	req, _ := http.NewRequest(http.MethodPost, hook, strings.NewReader(string(tampered)))
	req.Header.Set("X-Hub-Signature-256", graphtest.Signature(waAppSecret, []byte(strings.Replace(string(tampered), "hullo", "hello", 1))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || count("SELECT COUNT(*) FROM inbox WHERE provider = 'whatsapp'") != 1 {
		t.Errorf("a tampered body: %d, and the inbox holds %d WhatsApp items", resp.StatusCode, count("SELECT COUNT(*) FROM inbox WHERE provider = 'whatsapp'"))
	}

	// A missed caller who then writes on WhatsApp is found by phone.
	followupLink(t, base, gw, "wa-call-1", "+919812300003")
	if err := graphtest.PostWebhook(ctx, hook, waAppSecret, graphtest.TextBody("+91 70000 00000", graphtest.PhoneNumberID,
		"919812300003", graphtest.NewWAMID("919812300003", true), "JOIN", time.Now())); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT COUNT(DISTINCT person_id) FROM contact_points WHERE value IN ('+919812300003', '919812300003')`); n != 1 {
		t.Errorf("the caller and the WhatsApp sender are %d people, want 1", n)
	}
	if n := count("SELECT COUNT(*) FROM participations WHERE channel = 'whatsapp'"); n != 1 {
		t.Errorf("%d WhatsApp leads, want 1 (the caller's lead stays a missed-call lead)", n)
	}
}

// Status notifications move the outbox forward only: read, then a late
// delivered, leaves it read; a failure after read is not applied; a status
// for a message the outbox does not hold (yet) is kept for the retrier.
func TestWhatsAppStatusesMoveOutboxForward(t *testing.T) {
	dbURL, _, base := smsWorld(t, "hi")
	db := smsOpen(t, dbURL)
	ctx := context.Background()
	hook := base + "/hooks/whatsapp"
	fake := graphtest.NewFakeGraph("graph-token")
	defer fake.Close()
	client := graph.New(graph.Config{BaseURL: fake.BaseURL, Token: "graph-token"})
	sent := client.SendText(ctx, graphtest.PhoneNumberID, "919812300005", "नमस्ते")
	other := client.SendText(ctx, graphtest.PhoneNumberID, "919812300006", "hello")
	if sent.Outcome != sms.Accepted || other.Outcome != sms.Accepted {
		t.Fatalf("fake sends: %+v %+v", sent, other)
	}
	var id int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: "whatsapp", Provider: "whatsapp",
			Class: store.ClassRequested, Body: "नमस्ते", To: "+919812300005"}}); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "UPDATE outbox SET state = 'sent', provider_id = $1 WHERE channel = 'whatsapp' RETURNING id",
			sent.MessageID).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"read", "delivered", "failed"} { // out of order, then a late failure
		if err := fake.PostStatus(ctx, hook, waAppSecret, sent.MessageID, st, map[string]int{"failed": 131026}[st]); err != nil {
			t.Fatal(err)
		}
	}
	if m, err := db.GetMessage(ctx, id); err != nil || m.State != store.MsgRead {
		t.Errorf("after read, delivered, failed: %s (%v), want read", m.State, err)
	}
	if err := fake.PostStatus(ctx, hook, waAppSecret, other.MessageID, "delivered", 0); err != nil {
		t.Fatal(err)
	}
	var pending int
	err = db.View(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE kind = $1 AND processed_at IS NULL AND provider_key = $2`,
			store.KindWhatsAppStatus, other.MessageID+":delivered").Scan(&pending)
	})
	if err != nil || pending != 1 {
		t.Errorf("a status for a message the outbox lacks: %d pending (%v), want 1", pending, err)
	}
}

// A WhatsApp message in the outbox goes out through the Cloud API from
// its business number, once; its statuses move it on; a 131047 (outside
// the 24-hour window) fails it with the code, never resent.
func TestWhatsAppOutboundThroughTheSender(t *testing.T) {
	fake := graphtest.NewFakeGraph("graph-token")
	defer fake.Close()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	defer gw.Close()
	base := smsServe(t, dbURL, gw, "JODO_WHATSAPP_TOKEN", "graph-token", "JODO_WHATSAPP_API_BASE", fake.BaseURL)
	db := smsOpen(t, dbURL)
	ctx := context.Background()
	enqueue := func(to string) int64 {
		var id int64
		err := db.Update(ctx, func(tx *store.Tx) error {
			var err error
			id, err = store.EnqueueMessage(ctx, tx, store.OutboxMessage{Channel: "whatsapp", Provider: "whatsapp",
				Class: store.ClassRequested, Body: "नमस्ते! जुड़ने के लिए धन्यवाद।", To: to, From: graphtest.PhoneNumberID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	id := enqueue("+919812300008")
	smsWait(t, "the WhatsApp send", func() bool { return smsMessage(t, db, strconv.FormatInt(id, 10)).State == store.MsgSent })
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].PhoneNumberID != graphtest.PhoneNumberID || reqs[0].To != "919812300008" || reqs[0].Type != "text" {
		t.Fatalf("Graph requests: %+v", reqs)
	}
	m := smsMessage(t, db, strconv.FormatInt(id, 10))
	if err := fake.PostStatus(ctx, base+"/hooks/whatsapp", waAppSecret, m.ProviderID, "delivered", 0); err != nil {
		t.Fatal(err)
	}
	if m := smsMessage(t, db, strconv.FormatInt(id, 10)); m.State != store.MsgDelivered {
		t.Errorf("after the delivered status: %s", m.State)
	}

	fake.FailNext(131047)
	id = enqueue("+919812300009")
	smsWait(t, "the refused send", func() bool {
		return smsMessage(t, db, strconv.FormatInt(id, 10)).State != store.MsgQueued &&
			smsMessage(t, db, strconv.FormatInt(id, 10)).State != store.MsgSending
	})
	if m := smsMessage(t, db, strconv.FormatInt(id, 10)); m.State != store.MsgFailed || !strings.Contains(m.Error, "131047") {
		t.Errorf("after a 131047: %s %q", m.State, m.Error)
	}
	time.Sleep(2500 * time.Millisecond) // a poll of the sender
	if n := len(fake.Requests()); n != 2 {
		t.Errorf("Graph got %d requests, want 2 (the refused one not resent)", n)
	}
}
