package hooks_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

const (
	benchAppSecret = "whatsapp-app-secret-for-bench"
	// benchSenders is how many people the known senders' posts cycle
	// through; each has written once before the timing starts.
	benchSenders = 10_000
	// benchParallelism × GOMAXPROCS clients post at once (64 on 2 cores),
	// each on its own keep-alive connection.
	benchParallelism = 32
)

// waLoad is one shape of webhook traffic: posts of per messages, from the
// known senders in turn or each from a sender never seen before.
type waLoad struct {
	name  string
	per   int
	fresh bool
}

var waLoads = []waLoad{{"known_1", 1, false}, {"known_10", 10, false}, {"new_1", 1, true}}

// BenchmarkWhatsAppInbound is signed WhatsApp webhooks acknowledged per
// second by the real handler (server middleware, signature, parse, one
// write transaction per POST storing every message, its person, contacts,
// conversation and lead, committed before the 200), from 64 clients over
// loopback. Every message is new (a fresh wamid); known_10 carries ten
// messages per POST, as Meta batches them.
func BenchmarkWhatsAppInbound(b *testing.B) {
	w := newWABench(b)
	for _, l := range waLoads {
		b.Run(l.name, func(b *testing.B) {
			before := w.inbox(b)
			benchPosts(b, w.url, w.gen, l)
			if got := w.inbox(b) - before; got != b.N*l.per {
				b.Fatalf("%d messages stored, want %d", got, b.N*l.per)
			}
		})
	}
}

// BenchmarkWhatsAppInboundBaseline is the same load against a bare
// net/http handler that reads the body, checks its signature and answers
// 200, storing nothing: our handler's cost is the ratio to it.
func BenchmarkWhatsAppInboundBaseline(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hooks/whatsapp", func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4<<20))
		if err == nil {
			err = whatsapp.VerifySignature([]byte(benchAppSecret), raw, r.Header.Get("X-Hub-Signature-256"))
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "ok\n")
	})
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	gen := newWAGen(time.Now())
	for _, l := range waLoads {
		b.Run(l.name, func(b *testing.B) { benchPosts(b, srv.URL+"/hooks/whatsapp", gen, l) })
	}
}

// waBench is a served database with one drive (1 Nov 2025 – 31 Mar 2026,
// over Jharkhand) whose WhatsApp channel is the fake Graph's business
// number, with a clock stopped at 10:16 IST on 14 Nov 2025.
type waBench struct {
	db  *store.DB
	url string
	gen *waGen
}

func newWABench(b *testing.B) *waBench {
	b.Helper()
	clock := storetest.NewClock(time.Date(2025, 11, 14, 4, 46, 0, 0, time.UTC))
	w := &waBench{db: storetest.Open(b, clock), gen: newWAGen(clock.Now())}
	drivetest.Load(b, w.db, nil, `{"version":1,"slug":"jh","name":"JH","starts_on":"2025-11-01","ends_on":"2026-03-31",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"whatsapp","number":"+`+fakemeta.DisplayNumber+`"}],"targets":[]}`)
	srv := httptest.NewServer(nil)
	b.Cleanup(srv.Close)
	cfg := &config.Config{BaseURL: srv.URL, SecretKey: strings.Repeat("k", 32),
		WhatsAppVerifyToken: "verify", WhatsAppAppSecret: benchAppSecret}
	rec := intake.NewRecorder(w.db, []byte(cfg.SecretKey), intake.Options{})
	b.Cleanup(rec.Close)
	// As jodo serve wires it: inbound messages are charged to the number's
	// send rate, and each request is logged at info level.
	limits := outbox.NewLimits(map[string]float64{"whatsapp": 80})
	wa := intake.NewWhatsAppRecorder(w.db, []byte(cfg.SecretKey), intake.WhatsAppOptions{
		Inbound: func(number string, n int) { limits.Charge("whatsapp", number, n) }})
	b.Cleanup(wa.Close)
	reg, log := prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil))
	h := hooks.New(hooks.Deps{DB: w.db, Recorder: rec, WhatsApp: wa, Log: log, Metrics: reg,
		Env:       func(string) (string, bool) { return "", false },
		SecretKey: cfg.SecretKey, BaseURL: cfg.BaseURL,
		WhatsAppVerifyToken: cfg.WhatsAppVerifyToken, WhatsAppAppSecret: cfg.WhatsAppAppSecret,
	})
	srv.Config.Handler = server.New(w.db, log, server.Deps{Config: cfg, Registry: reg}, h).Handler()
	w.url = srv.URL + "/hooks/whatsapp"
	w.introduce(b)
	// Statistics as a running server has them (autovacuum analyzes a
	// table within a minute of it growing by a tenth): without them,
	// PostgreSQL's generic plan for the senders' lookup scans every
	// WhatsApp contact, and the benchmark would measure that scan.
	storetest.Analyze(b, w.db)
	return w
}

// introduce has every known sender write once, untimed, so that the known
// loads measure people the drive already has.
func (w *waBench) introduce(b *testing.B) {
	b.Helper()
	c := benchClient()
	defer c.CloseIdleConnections()
	l := waLoad{per: 10}
	var wg sync.WaitGroup
	posts := make(chan int, benchSenders/l.per)
	for range benchSenders / l.per {
		posts <- 0
	}
	close(posts)
	for range 2 * benchParallelism {
		wg.Go(func() {
			for range posts {
				post(b, c, w.url, w.gen, l)
			}
		})
	}
	wg.Wait()
	if n := w.inbox(b); n != benchSenders {
		b.Fatalf("%d messages stored introducing %d senders", n, benchSenders)
	}
}

// inbox counts the stored WhatsApp messages.
func (w *waBench) inbox(b *testing.B) int {
	b.Helper()
	return storetest.InboxCount(b, w.db, storetest.Inbox{Provider: "whatsapp"})
}

// benchPosts posts b.N webhooks of load l from benchParallelism ×
// GOMAXPROCS clients and reports acknowledgements and messages per second.
func benchPosts(b *testing.B, url string, gen *waGen, l waLoad) {
	c := benchClient()
	defer c.CloseIdleConnections()
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			post(b, c, url, gen, l)
		}
	})
	b.StopTimer()
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/s, "acks/s")
	b.ReportMetric(float64(b.N*l.per)/s, "msgs/s")
}

// benchClient keeps a connection per client (net/http keeps 2 by default).
func benchClient() *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 4 * benchParallelism}}
}

// post sends one signed webhook of load l and wants a 200.
func post(b *testing.B, c *http.Client, url string, gen *waGen, l waLoad) {
	body := gen.body(l)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		b.Error(err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", fakemeta.Signature(benchAppSecret, body))
	resp, err := c.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Errorf("HTTP %d: %s", resp.StatusCode, answer)
	}
}

// waGen writes webhook bodies of new text messages cheaply, since the
// clients share the two cores with the server: one message's entry is
// made once by fakemeta.TextBody around placeholders, and each message
// only puts in its sender and a fresh wamid.
type waGen struct {
	entry []byte
	known atomic.Int64 // messages from the known senders so far
	fresh atomic.Int64 // messages from new senders so far
}

const waEnvelope = `{"object":"whatsapp_business_account","entry":[`

func newWAGen(at time.Time) *waGen {
	body := fakemeta.TextBody(fakemeta.DisplayNumber, fakemeta.PhoneNumberID, "WAID", "WAMID", "JOIN", at)
	entry, ok := bytes.CutPrefix(body, []byte(waEnvelope))
	entry, ok2 := bytes.CutSuffix(entry, []byte("]}"))
	if !ok || !ok2 {
		panic("fakemeta.TextBody is no longer one entry in an envelope: " + string(body))
	}
	return &waGen{entry: entry}
}

// body is a POST of l.per messages, one entry each, from the next known
// senders in turn (wa_ids 91981xxxxxxx) or from new ones (91982xxxxxxx).
func (g *waGen) body(l waLoad) []byte {
	counter, prefix, cycle := &g.known, "91981", int64(benchSenders)
	if l.fresh {
		counter, prefix, cycle = &g.fresh, "91982", 10_000_000
	}
	first := counter.Add(int64(l.per)) - int64(l.per)
	out := []byte(waEnvelope)
	for i := range int64(l.per) {
		waID := fmt.Sprintf("%s%07d", prefix, (first+i)%cycle)
		if i > 0 {
			out = append(out, ',')
		}
		e := bytes.Replace(g.entry, []byte(`"WAMID"`), []byte(`"`+fakemeta.NewWAMID(waID, true)+`"`), 1)
		out = append(out, bytes.ReplaceAll(e, []byte(`"WAID"`), []byte(`"`+waID+`"`))...)
	}
	return append(out, "]}"...)
}
