package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const (
	processSecretKey  = "outbox-process-secret-key-0123456789abcdef"
	processHookSecret = "outbox-process-hook-0123"
)

// exotelServeEnv is the environment of `jodo serve` sending through gw.
func exotelServeEnv(gw *smstest.FakeGateway, dbURL, apiKey string) map[string]string {
	return map[string]string{
		"JODO_DATABASE_URL":             dbURL,
		"JODO_ADDR":                     "127.0.0.1:0",
		"JODO_SECRET_KEY":               processSecretKey,
		"JODO_METRICS_TOKEN":            testMetricsToken,
		"JODO_HOOK_SECRET":              processHookSecret,
		"JODO_SMS_PROVIDER":             "exotel",
		"JODO_EXOTEL_API_BASE":          gw.URL,
		"JODO_EXOTEL_ACCOUNT_SID":       "jodo-test",
		"JODO_EXOTEL_API_KEY":           apiKey,
		"JODO_EXOTEL_API_TOKEN":         "token",
		"JODO_SMS_SENDER_ID":            "JODOIN",
		"JODO_SMS_DLT_ENTITY_ID":        "1101000000000000001",
		"JODO_SMS_TEMPLATE_FOLLOWUP_EN": "1107000000000000011",
		"JODO_SMS_TEMPLATE_FOLLOWUP_HI": "1107000000000000012",
		"JODO_SMS_TEMPLATE_SIGNIN_EN":   "1107000000000000013",
		"JODO_SMS_TEMPLATE_SIGNIN_HI":   "1107000000000000014",
		"JODO_WHATSAPP_APP_SECRET":      waAppSecret,
		"JODO_WHATSAPP_VERIFY_TOKEN":    waVerifyToken,
	}
}

// A process killed while the provider holds its request leaves the message
// sending: the next process does not send it again, not before the lease
// ends and not after it turned unknown, and the delivery report, by our id,
// still resolves it.
func TestNoResendAfterKillInSendingWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	gw.Delay(time.Minute)
	env := exotelServeEnv(gw, dbURL, "key")

	first := startJodoProcess(t, env, "serve")
	firstBase := first.waitListening(t)
	smsCall(t, firstBase, "c1", "+919876543210")
	smsWait(t, "the follow-up to reach the gateway", func() bool { return len(gw.Received()) > 0 })
	first.kill(t)

	sent := gw.Received()[0]
	if sent.To != "+919876543210" || sent.TemplateID != env["JODO_SMS_TEMPLATE_FOLLOWUP_HI"] || sent.Ref == "" || sent.ID == "" {
		t.Fatalf("the gateway received %+v", sent)
	}
	if want := hooks.SMSStatusURL(firstBase, processSecretKey); sent.Form.Get("StatusCallback") != want {
		t.Fatalf("StatusCallback %q, want %q", sent.Form.Get("StatusCallback"), want)
	}
	db := storetest.Attach(t, dbURL)
	if m := smsMessage(t, db, sent.Ref); m.State != store.MsgSending || m.Attempts != 1 {
		t.Fatalf("after the kill the message is %s after %d attempts, want sending after 1", m.State, m.Attempts)
	}

	gw.Delay(0) // for the passes of the second process's sender
	second := startJodoProcess(t, env, "serve")
	secondBase := second.waitListening(t)
	if n := len(smsSenderPass(t, db, gw)); n != 1 {
		t.Fatalf("the gateway received %d requests once a second process ran, want 1", n)
	}
	if m := smsMessage(t, db, sent.Ref); m.State != store.MsgSending || m.Attempts != 1 {
		t.Fatalf("inside the lease the message is %s after %d attempts, want sending after 1", m.State, m.Attempts)
	}

	if n, err := db.ExpireSending(ctx, time.Now().Add(3*time.Minute)); err != nil || n != 1 {
		t.Fatalf("ExpireSending past the lease: %d, %v; want 1", n, err)
	}
	if m := smsMessage(t, db, sent.Ref); m.State != store.MsgUnknown {
		t.Fatalf("past the lease the message is %s, want unknown", m.State)
	}
	if n := len(smsSenderPass(t, db, gw)); n != 1 {
		t.Fatalf("the gateway received %d requests after the message turned unknown, want 1", n)
	}

	cb := smstest.ExotelCallback(sent, "sent", "DELIVERED_TO_HANDSET", 20005)
	u, err := url.Parse(cb.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = strings.TrimPrefix(secondBase, "http://")
	cb.URL = u.String()
	if err := smstest.PostCallback(ctx, cb); err != nil {
		t.Fatal(err)
	}
	if m := smsMessage(t, db, sent.Ref); m.State != store.MsgDelivered || m.ProviderID != sent.ID {
		t.Fatalf("after the delivery report the message is %s with provider id %q, want delivered with %q", m.State, m.ProviderID, sent.ID)
	}
	second.stop(t)
}

// Two processes on one PostgreSQL database drain one outbox between them,
// each message sent exactly once.
func TestTwoProcessesShareOneOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := storetest.NewSchema(t, storetest.RequirePostgres(t))
	mustJodo(t, dbURL, "migrate")
	db := storetest.Attach(t, dbURL)
	const total = 400
	msgs := make([]store.OutboxMessage, total)
	for i := range msgs {
		msgs[i] = store.OutboxMessage{Channel: store.ChannelSMS, Provider: "exotel", Class: store.ClassRequested,
			Template: "1107000000000000001", Body: fmt.Sprintf("Message %d", i), To: fmt.Sprintf("+9198%08d", i)}
	}
	if err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.EnqueueMessages(ctx, tx, msgs)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// Held answers keep each batch in flight long enough for the other
	// process to claim the next.
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	gw.Delay(100 * time.Millisecond)
	var procs []*jodoProcess
	for _, key := range []string{"key-a", "key-b"} {
		env := exotelServeEnv(gw, dbURL, key)
		env["JODO_SMS_RATE"] = "0"
		p := startJodoProcess(t, env, "serve")
		p.waitListening(t)
		procs = append(procs, p)
	}
	owners := map[string]int{} // the most messages each lease owner held at once
	smsWait(t, "every message to be sent", func() bool {
		for owner, n := range storetest.SendingByOwner(t, db) {
			owners[owner] = max(owners[owner], n)
		}
		return storetest.OutboxCount(t, db, storetest.Outbox{State: store.MsgSent}) == total
	})
	for _, p := range procs {
		p.stop(t)
	}

	byKey := map[string]int{}
	refs := map[string]int{}
	for _, rec := range gw.Received() {
		byKey[rec.User]++
		refs[rec.Ref]++
	}
	if n := len(gw.Received()); n != total {
		t.Errorf("the gateway received %d requests for %d messages", n, total)
	}
	for ref, n := range refs {
		if n != 1 {
			t.Errorf("message %s sent %d times", ref, n)
		}
	}
	if len(refs) != total {
		t.Errorf("%d distinct messages sent, want %d", len(refs), total)
	}
	if byKey["key-a"] == 0 || byKey["key-b"] == 0 {
		t.Errorf("sends by process: %v; want both to send", byKey)
	}
	if len(owners) != 2 {
		t.Errorf("lease owners seen while sending: %v; want the two processes", owners)
	}
	for owner, n := range owners {
		if n > defaultSendBatch {
			t.Errorf("%s held %d messages at once, over the batch of %d", owner, n, defaultSendBatch)
		}
	}
	t.Logf("sends by process: %v; most held at once, by lease owner: %v", byKey, owners)
}

// defaultSendBatch is the sender's default claim (outbox.defaultBatch with
// no rate limit): no process may hold more messages at once.
const defaultSendBatch = 100
