package hooks_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// watchedBody is a request body that counts what the handler reads and,
// if gate is set, blocks every read until gate is closed.
type watchedBody struct {
	read             *atomic.Int64
	reading, maxSeen *atomic.Int32
	gate             chan struct{}
	once             sync.Once
	left             int
}

func (b *watchedBody) Read(p []byte) (int, error) {
	if b.gate != nil {
		b.once.Do(func() {
			n := b.reading.Add(1)
			for m := b.maxSeen.Load(); n > m && !b.maxSeen.CompareAndSwap(m, n); m = b.maxSeen.Load() {
			}
			<-b.gate
			b.reading.Add(-1)
		})
	}
	if b.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), b.left)
	for i := range n {
		p[i] = '{'
	}
	b.left -= n
	b.read.Add(int64(n))
	return n, nil
}

func (b *watchedBody) Close() error { return nil }

// bareHooks serves the webhook routes with the given credentials, in
// process, so a test sees exactly what each handler reads.
func bareHooks(t *testing.T, d hooks.Deps) http.Handler {
	t.Helper()
	db := storetest.Open(t, nil)
	rec := intake.NewRecorder(db, []byte(strings.Repeat("k", 32)), intake.Options{})
	t.Cleanup(rec.Close)
	wa := intake.NewWhatsAppRecorder(db, []byte(strings.Repeat("k", 32)), intake.WhatsAppOptions{})
	t.Cleanup(wa.Close)
	d.DB, d.Recorder, d.WhatsApp, d.Log, d.Metrics = db, rec, wa, slog.New(slog.DiscardHandler), prometheus.NewRegistry()
	d.Env = func(string) (string, bool) { return "", false }
	mux := server.NewMux()
	hooks.New(d).Routes(mux)
	return mux
}

// Issue 14 item 1: a route whose provider is not configured answers 404
// without reading the body.
func TestUnconfiguredRoutesReadNothing(t *testing.T) {
	h := bareHooks(t, hooks.Deps{})
	var read atomic.Int64
	for _, path := range []string{"/hooks/twilio/voice", "/hooks/whatsapp", "/hooks/exotel/x", "/hooks/myoperator/x",
		"/hooks/missed-call/x", "/hooks/exotel/sms-status/x"} {
		req := httptest.NewRequest("POST", path, nil)
		req.Body = &watchedBody{read: &read, left: 1 << 20}
		req.Header.Set("X-Twilio-Signature", "rzmw0DpC5+03x0wOOy7heQ8iCbw=")
		req.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound || read.Load() != 0 {
			t.Errorf("%s unconfigured: %d after reading %d bytes; want 404 unread", path, rec.Code, read.Load())
		}
		read.Store(0)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("WhatsApp handshake unconfigured: %d; want 404", rec.Code)
	}
}

// Issue 14 item 6: a WhatsApp or Twilio POST without a well-formed
// signature header is refused unread, one declaring more than the bound is
// refused unread, and at most hooks.UnverifiedReads bodies are read at once
// before their signature is checked.
func TestUnsignedBodiesAreNotRead(t *testing.T) {
	h := bareHooks(t, hooks.Deps{WhatsAppAppSecret: waSecret, TwilioToken: twilioToken, BaseURL: "https://jodo.example",
		UnverifiedWait: 50 * time.Millisecond})
	var read atomic.Int64
	for _, c := range []struct {
		path, header, value string
		length              int64
		want                int
	}{
		{"/hooks/whatsapp", "", "", -1, 401},
		{"/hooks/whatsapp", "X-Hub-Signature-256", "sha256=abc", -1, 401},
		{"/hooks/whatsapp", "X-Hub-Signature-256", "sha256=" + strings.Repeat("0", 64), 5 << 20, 401},
		{"/hooks/twilio/voice", "", "", -1, 403},
		{"/hooks/twilio/voice", "X-Twilio-Signature", "not base64!", -1, 403},
		{"/hooks/twilio/voice", "X-Twilio-Signature", "rzmw0DpC5+03x0wOOy7heQ8iCbw=", 1 << 20, 403},
	} {
		req := httptest.NewRequest("POST", c.path, nil)
		req.Body, req.ContentLength = &watchedBody{read: &read, left: 4 << 20}, c.length
		if c.header != "" {
			req.Header.Set(c.header, c.value)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want || read.Load() != 0 {
			t.Errorf("%s with %s %q, length %d: %d after reading %d bytes; want %d unread",
				c.path, c.header, c.value, c.length, rec.Code, read.Load(), c.want)
		}
		read.Store(0)
	}

	// Forty forgeries with well-formed signatures arrive at once, their
	// bodies held back: no more than UnverifiedReads are read together.
	const forgeries = 40
	var reading, maxSeen, answered atomic.Int32
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i := range forgeries {
		path, header, value := "/hooks/whatsapp", "X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64)
		if i%4 == 0 {
			path, header, value = "/hooks/twilio/voice", "X-Twilio-Signature", "rzmw0DpC5+03x0wOOy7heQ8iCbw="
		}
		wg.Go(func() {
			req := httptest.NewRequest("POST", path, nil)
			req.Body = &watchedBody{read: &read, reading: &reading, maxSeen: &maxSeen, gate: gate, left: 1 << 10}
			req.Header.Set(header, value)
			h.ServeHTTP(httptest.NewRecorder(), req)
			answered.Add(1)
		})
	}
	// A forgery that started reading is held at the gate, unanswered; once
	// every one is reading or answered, no read past the bound can start.
	deadline := time.Now().Add(10 * time.Second)
	for reading.Load()+answered.Load() < forgeries && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	// Every slot is held: a further POST waits its bounded time, then is
	// answered 429 (the provider retries) without its body being read.
	var late atomic.Int64
	req := httptest.NewRequest("POST", "/hooks/whatsapp", nil)
	req.Body = &watchedBody{read: &late, left: 1 << 10}
	req.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests || late.Load() != 0 {
		t.Errorf("with every slot held: %d after reading %d bytes; want 429 unread", rec.Code, late.Load())
	}
	close(gate)
	wg.Wait()
	if got := maxSeen.Load(); got != hooks.UnverifiedReads {
		t.Errorf("%d unverified bodies read at once; want %d", got, hooks.UnverifiedReads)
	}
}

// Issue 14 item 1: nothing an unauthenticated sender sends to the Twilio
// hook is stored, malformed or not, configured or not; a signed malformed
// request is still kept for diagnosis.
func TestTwilioStoresNothingUnauthenticated(t *testing.T) {
	w := newHookWorld(t)
	bare := w.serve(t, func(base string) *config.Config { return &config.Config{BaseURL: base} })
	bad := intake.TwilioSignature("another-token", w.url+"/hooks/twilio/voice", nil)
	for _, c := range []struct {
		base, body, sig string
		want            int
	}{
		{w.url, "%zz" + strings.Repeat("x", 60<<10), "", 403},
		{w.url, "CallSid=%FF%00", "", 403},
		{w.url, "%zz", bad, 403},
		{w.url, "From=%2B14155550100", bad, 403},
		{bare, "%zz", bad, 404},
		{bare, "CallSid=CA1&From=%2B14155550100", "", 404},
	} {
		req, _ := http.NewRequest("POST", c.base+"/hooks/twilio/voice", strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.sig != "" {
			req.Header.Set("X-Twilio-Signature", c.sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("body %.20q, signature %q: %d; want %d", c.body, c.sig, resp.StatusCode, c.want)
		}
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{}); n != 0 {
		t.Fatalf("%d inbox rows from unauthenticated Twilio requests", n)
	}
	signed := url.Values{"From": {"+14155550100"}}
	sig := intake.TwilioSignature(twilioToken, w.url+"/hooks/twilio/voice", signed)
	if code, b := w.do(t, "POST", "/hooks/twilio/voice", "application/x-www-form-urlencoded", signed.Encode(), map[string]string{"X-Twilio-Signature": sig}); code != 400 {
		t.Fatalf("signed request without CallSid: %d %s", code, b)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Kind: "unreadable"}); n != 1 {
		t.Fatalf("%d signed malformed requests kept, want 1", n)
	}
}
