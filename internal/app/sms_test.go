package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/app"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// The template ids exotelServeEnv configures.
const (
	smsTemplateEN = "1107000000000000011"
	smsTemplateHI = "1107000000000000012"
)

// smsDrive loads Jharkhand and a drive in lang with a missed-call number and
// a WhatsApp number, whose window holds today.
func smsDrive(t *testing.T, dbURL, lang string) {
	t.Helper()
	testDrive(t, dbURL, lang, `{"kind":"missed_call","number":"1800 000 0000"},{"kind":"whatsapp","number":"+91 70000 00000"}`)
}

// testDrive loads Jharkhand and the drive jh-sms in lang with channels (a
// JSON list's items), whose window holds today.
func testDrive(t *testing.T, dbURL, lang, channels string) {
	t.Helper()
	mustJodo(t, dbURL, "migrate")
	mustJodo(t, dbURL, "import", "areas", "builtin:jharkhand")
	ist := time.FixedZone("IST", 19800)
	file := filepath.Join(t.TempDir(), "drive.json")
	os.WriteFile(file, fmt.Appendf(nil, `{"version":1,"slug":"jh-sms","name":"Sadasyata — Jharkhand","sms_name":"JH Sadasyata",
		"language":%q,"starts_on":%q,"ends_on":%q,"timezone":"Asia/Kolkata","root_area":"JH",
		"channels":[%s],"targets":["state JH: 500000 members"]}`, lang,
		time.Now().In(ist).AddDate(0, 0, -1).Format(time.DateOnly), time.Now().In(ist).AddDate(0, 0, 29).Format(time.DateOnly), channels), 0o600)
	mustJodo(t, dbURL, "drive", "apply", file)
}

// smsServe runs `jodo serve` in-process, sending SMS through Exotel at gw.
func smsServe(t *testing.T, dbURL string, gw *smstest.FakeGateway, extra ...string) string {
	t.Helper()
	env := exotelServeEnv(gw, dbURL, "key")
	env["JODO_LOG_FORMAT"] = "json"
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	cfg, err := config.Parse([]string{"serve"}, mapEnv(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return serveIn(t, cfg, nil)
}

// serveIn runs the server cfg describes in-process until the test ends and
// returns its URL; routes, if set, is told the routes it registered.
func serveIn(t *testing.T, cfg *config.Config, routes func([]server.Route)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- app.Run(ctx, cfg, app.IO{Stdout: io.Discard, Stderr: logs, Ready: func(u string) { ready <- u }, Routes: routes})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs)
		}
	})
	select {
	case u := <-ready:
		return u
	case err := <-done:
		t.Fatalf("server exited: %v\n%s", err, logs)
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start\n%s", logs)
	}
	return ""
}

func smsCall(t *testing.T, base, callID, from string) {
	t.Helper()
	body := fmt.Sprintf(`{"call_id":%q,"from":%q,"to":"18000000000"}`, callID, from)
	resp, err := http.Post(base+"/hooks/missed-call/"+processHookSecret, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("missed call %s: HTTP %d", callID, resp.StatusCode)
	}
}

// smsWait waits until cond holds, for at most 30 s.
func smsWait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// passMarkerTo is the recipient of the messages smsSenderPass queues.
const passMarkerTo = "+919999900000"

// smsSenderPass waits for a pass of the sender that begins after it is
// called, and returns what gw has received apart from such passes' markers.
// It queues a marker message behind everything already due and waits until
// the marker's answer is recorded: the sender claims due messages oldest
// first and records a batch's answers only after all of its sends, so by
// then every message that was due, or that a bug made claimable, has
// reached gw. It proves an absence without sleeping for a poll.
func smsSenderPass(t *testing.T, db *store.DB, gw *smstest.FakeGateway) []smstest.ReceivedSMS {
	t.Helper()
	ctx := context.Background()
	before := len(passMarkers(gw.Received()))
	marker := store.OutboxMessage{Channel: store.ChannelSMS, Provider: "exotel", Class: store.ClassRequested,
		Template: "1107000000000000001", Body: fmt.Sprintf("Sender pass %d", before+1), To: passMarkerTo}
	if err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{marker})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	smsWait(t, "a pass of the sender", func() bool { return len(passMarkers(gw.Received())) > before })
	ref := passMarkers(gw.Received())[before].Ref
	smsWait(t, "the pass's answers to be recorded", func() bool { return smsMessage(t, db, ref).State != store.MsgSending })
	var got []smstest.ReceivedSMS
	for _, r := range gw.Received() {
		if r.To != passMarkerTo {
			got = append(got, r)
		}
	}
	return got
}

func passMarkers(received []smstest.ReceivedSMS) []smstest.ReceivedSMS {
	var out []smstest.ReceivedSMS
	for _, r := range received {
		if r.To == passMarkerTo {
			out = append(out, r)
		}
	}
	return out
}

func smsMessage(t *testing.T, db *store.DB, ref string) store.OutboxMessage {
	t.Helper()
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		t.Fatalf("CustomField %q is not an outbox id", ref)
	}
	m, ok := storetest.Message(t, db, id)
	if !ok {
		t.Fatalf("message %d not found", id)
	}
	return m
}

func postForm(t *testing.T, u string, form url.Values) int {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A caller who rings ten times gets one SMS, in Hindi, with the DLT fields
// and a working registration link; delivery reports arriving out of order
// and twice leave the message delivered.
func TestMissedCallGetsOneHindiFollowup(t *testing.T) {
	t.Parallel()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	defer gw.Close()
	base := smsServe(t, dbURL, gw)
	for i := range 10 {
		smsCall(t, base, fmt.Sprintf("a-%d", i), "+919876543210")
	}
	smsCall(t, base, "b-1", "09123456789")
	smsWait(t, "two SMS", func() bool { return len(gw.Received()) >= 2 })
	db := storetest.Attach(t, dbURL)
	got := smsSenderPass(t, db, gw) // in case more were queued
	if len(got) != 2 {
		t.Fatalf("gateway got %d SMS for 11 calls from 2 people, want 2", len(got))
	}
	var first smstest.ReceivedSMS
	for _, r := range got {
		if r.To == "+919876543210" {
			first = r
		}
	}
	if first.To == "" || !slicesHasTo(got, "+919123456789") {
		t.Fatalf("recipients: %+v", got)
	}
	f := first.Form
	for k, want := range map[string]string{"From": "JODOIN", "DltEntityId": "1101000000000000001", "DltTemplateId": smsTemplateHI,
		"EncodingType": "unicode", "StatusCallback": hooks.SMSStatusURL(base, processSecretKey)} {
		if f.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, f.Get(k), want)
		}
	}
	if first.User != "key" {
		t.Errorf("basic auth user %q", first.User)
	}
	body := regexp.MustCompile(`^JH Sadasyata: कॉल के लिए धन्यवाद। जुड़ें: ` + regexp.QuoteMeta(base) +
		`/j/([0-9a-z]{13}) WhatsApp: https://wa\.me/917000000000\?text=JOIN%20([2-9A-Z]{10})$`)
	m := body.FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatalf("body %q does not match the registered Hindi template", first.Body)
	}
	if code, _ := get(t, base+"/j/"+m[1]); code != http.StatusOK {
		t.Errorf("the SMS's registration link answered %d", code)
	}
	if code, _ := get(t, base+"/j/"+strings.Repeat("a", 13)); code != http.StatusNotFound {
		t.Errorf("a made-up registration link answered %d, want 404", code)
	}

	smsWait(t, "the answer to be recorded", func() bool { return smsMessage(t, db, first.Ref).State != store.MsgSending })
	if msg := smsMessage(t, db, first.Ref); msg.State != store.MsgSent || msg.ProviderID != first.ID || msg.Class != store.ClassRequested {
		t.Fatalf("message after sending: %+v", msg)
	}
	status := f.Get("StatusCallback")
	delivered := smstest.ExotelCallback(first, "sent", "DELIVERED_TO_HANDSET", 20005)
	operator := smstest.ExotelCallback(first, "sent", "DELIVERED_TO_OPERATOR", 20001)
	for _, cb := range []smstest.Callback{delivered, operator, delivered} { // out of order, then repeated
		if code := postForm(t, status, cb.Form); code != http.StatusOK {
			t.Fatalf("delivery report answered %d", code)
		}
	}
	if msg := smsMessage(t, db, first.Ref); msg.State != store.MsgDelivered {
		t.Errorf("after delivered, then sent, then delivered again: %s, want delivered", msg.State)
	}
	wrong := base + "/hooks/exotel/sms-status/" + strings.Repeat("0", 32)
	if code := postForm(t, wrong, delivered.Form); code != http.StatusNotFound {
		t.Errorf("a report with a wrong secret answered %d, want 404", code)
	}
	if code := postForm(t, status, url.Values{"Status": {"sent"}}); code != http.StatusBadRequest {
		t.Errorf("a report without SmsSid answered %d, want 400", code)
	}
	metrics := getMetrics(t, base)
	if !strings.Contains(metrics, `jodo_followups_total{outcome="queued"} 2`) {
		t.Errorf("metrics lack two queued follow-ups:\n%s", grepLines(metrics, "jodo_followups"))
	}
}

func slicesHasTo(got []smstest.ReceivedSMS, to string) bool {
	for _, r := range got {
		if r.To == to {
			return true
		}
	}
	return false
}

func grepLines(s, substr string) string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// An English drive's SMS is plain GSM text. A 429 is retried (nothing went
// out); a 500 after the request was sent is never resent and stays unknown
// until a report says what happened.
func TestFollowupRetriesOnlyWhatCannotHaveGoneOut(t *testing.T) {
	t.Parallel()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "en")
	gw := smstest.NewFakeGateway()
	defer gw.Close()
	base := smsServe(t, dbURL, gw)
	db := storetest.Attach(t, dbURL)

	gw.FailNext(1, http.StatusTooManyRequests)
	smsCall(t, base, "c-1", "+919876543210")
	smsWait(t, "the retry after a 429", func() bool { return len(gw.Received()) >= 2 })
	got := gw.Received()
	if got[0].Ref != got[1].Ref || got[0].ID != "" || got[1].ID == "" {
		t.Fatalf("429 then retry: %+v", got)
	}
	f := got[1].Form
	if f.Get("EncodingType") != "plain" || f.Get("DltTemplateId") != smsTemplateEN ||
		!strings.HasPrefix(got[1].Body, "Thanks for calling JH Sadasyata. Join: "+base+"/j/") {
		t.Errorf("English SMS: %q %v", got[1].Body, f)
	}
	smsWait(t, "the retry's answer to be recorded", func() bool { return smsMessage(t, db, got[1].Ref).State != store.MsgSending })
	if msg := smsMessage(t, db, got[1].Ref); msg.State != store.MsgSent || msg.Attempts != 2 {
		t.Errorf("after a 429 and a retry: %+v", msg)
	}

	gw.FailNext(1, http.StatusInternalServerError)
	smsCall(t, base, "d-1", "+919123456789")
	smsWait(t, "the second caller's SMS", func() bool { return len(gw.Received()) >= 3 })
	ref := gw.Received()[2].Ref
	smsWait(t, "the 500's answer to be recorded", func() bool { return smsMessage(t, db, ref).State != store.MsgSending })
	if n := len(smsSenderPass(t, db, gw)); n != 3 {
		t.Fatalf("a 500 was resent: %d requests", n)
	}
	if msg := smsMessage(t, db, ref); msg.State != store.MsgUnknown || !strings.Contains(msg.Error, "500") {
		t.Errorf("after a 500: %+v, want unknown with the error", msg)
	}
}
