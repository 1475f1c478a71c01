package outbox_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const benchGraphToken = "graph-token-for-bench"

// waConcurrencies are the sender's default and what jodo serve runs.
var waConcurrencies = []int{8, 32}

// BenchmarkWhatsAppSender is WhatsApp text messages per second through
// Sender.Drain (claim, the drive switch and 24-hour window checks, the
// Cloud API call through graph.Provider to the fake Graph, record) from a
// backlog of b.N, each to a different person who wrote an hour ago. The
// sender's rate limit is off: Meta's is 80 messages/s per business
// number, so this is the sender's own ceiling, not a real send rate.
func BenchmarkWhatsAppSender(b *testing.B) {
	w := newWASendBench(b)
	for _, c := range waConcurrencies {
		b.Run(fmt.Sprintf("concurrency_%d", c), func(b *testing.B) {
			ctx := context.Background()
			fake := fakemeta.NewFakeGraph(benchGraphToken)
			b.Cleanup(fake.Close)
			s, err := outbox.New(w.db, map[string]send.Provider{"whatsapp": benchGraph(fake, c)},
				outbox.Config{Owner: "bench", Concurrency: c})
			if err != nil {
				b.Fatal(err)
			}
			w.enqueue(b, b.N)
			b.ResetTimer()
			for {
				n, err := s.Drain(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			checkSentOnce(b, fake, b.N)
			w.checkAllSent(b)
		})
	}
}

// BenchmarkWhatsAppProviderOnly is the baseline: b.N sends straight
// through graph.Provider to the fake Graph, as many at a time as the
// sender's Concurrency, with no database.
func BenchmarkWhatsAppProviderOnly(b *testing.B) {
	for _, c := range waConcurrencies {
		b.Run(fmt.Sprintf("concurrency_%d", c), func(b *testing.B) {
			fake := fakemeta.NewFakeGraph(benchGraphToken)
			b.Cleanup(fake.Close)
			msgs := make([]send.Message, b.N)
			for i := range msgs {
				m := waMessage(i, 0, 0)
				msgs[i] = send.Message{To: m.To, Body: m.Body, From: m.From, Ref: fmt.Sprint(i + 1)}
			}
			sendDirect(b, benchGraph(fake, c), msgs, c)
			checkSentOnce(b, fake, b.N)
		})
	}
}

// benchGraph is the Cloud API client on fake, keeping a connection per
// send in flight.
func benchGraph(fake *fakemeta.FakeGraph, concurrency int) graph.Provider {
	return graph.Provider{C: graph.New(graph.Config{BaseURL: fake.BaseURL, Token: benchGraphToken,
		HTTP: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}}})}
}

// checkSentOnce wants the fake to have accepted exactly n messages, each
// to a different person.
func checkSentOnce(b *testing.B, fake *fakemeta.FakeGraph, n int) {
	b.Helper()
	to := map[string]bool{}
	for _, r := range fake.Requests() {
		if r.HTTPStatus != http.StatusOK || r.MessageID == "" {
			b.Fatalf("the fake answered %d (error %d) to %s", r.HTTPStatus, r.ErrorCode, r.To)
		}
		to[r.To] = true
	}
	if got := len(fake.Requests()); got != n || len(to) != n {
		b.Fatalf("the fake got %d requests to %d people, want %d of each", got, len(to), n)
	}
}

// waSendBench is a database with one drive whose WhatsApp channel is the
// fake's business number, and people who wrote to it an hour ago, their
// conversation windows open; its clock is stopped.
type waSendBench struct {
	db     *store.DB
	drive  int64
	people []int64 // people[i] has the phone of waMessage(i)
	queued int     // messages enqueued so far
}

func newWASendBench(b *testing.B) *waSendBench {
	b.Helper()
	clock := storetest.NewClock(start)
	w := &waSendBench{db: storetest.Open(b, clock)}
	d := drivetest.Load(b, w.db, nil, `{"version":1,"slug":"jh","name":"JH","starts_on":"2026-02-01","ends_on":"2026-03-31",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"whatsapp","number":"+`+fakemeta.DisplayNumber+`"}],"targets":[]}`)["jh"]
	w.drive = d.ID
	return w
}

// waMessage is the i-th person's message: free-form text, so it may go
// only inside their window.
func waMessage(i int, person, drive int64) store.OutboxMessage {
	body, err := graph.Text(fmt.Sprintf("नमस्ते! आपका जोड़ो सदस्यता नंबर JH-%06d है।", i)).Encode()
	if err != nil {
		panic(err)
	}
	return store.OutboxMessage{Channel: store.ChannelWhatsApp, Provider: "whatsapp", Class: store.ClassRequested,
		Body: body, To: fmt.Sprintf("+91981%07d", i), From: fakemeta.PhoneNumberID, PersonID: person, DriveID: drive}
}

// enqueue queues one message to each of the first n people, made first if
// need be, a hundred per statement: modernc.org/sqlite looks each bound
// parameter's name up in a list as long as the statement's parameters, so
// a thousand rows (13,000 parameters) take seconds.
func (w *waSendBench) enqueue(b *testing.B, n int) {
	b.Helper()
	ctx := context.Background()
	w.meet(b, n)
	for from := 0; from < n; from += 100 {
		var ms []store.OutboxMessage
		for i := from; i < min(from+100, n); i++ {
			ms = append(ms, waMessage(i, w.people[i], w.drive))
		}
		if err := w.db.Update(ctx, func(tx *store.Tx) error {
			_, err := store.EnqueueMessages(ctx, tx, ms)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	w.queued += n
}

// meet makes people until there are n, each with the phone waMessage
// sends to, who wrote to the business number an hour ago.
func (w *waSendBench) meet(b *testing.B, n int) {
	b.Helper()
	ctx := context.Background()
	for len(w.people) < n {
		var made []int64
		err := w.db.Update(ctx, func(tx *store.Tx) error {
			made = made[:0]
			for i := len(w.people); i < min(len(w.people)+1000, n); i++ {
				id, err := store.CreatePerson(ctx, tx, store.Person{Language: "hi"})
				if err != nil {
					return err
				}
				if err := store.AddContact(ctx, tx, id, store.ContactPhone, waMessage(i, 0, 0).To); err != nil {
					return err
				}
				_, err = store.NoteInbound(ctx, tx, store.Conversation{PersonID: id, Channel: store.ChannelWhatsApp,
					Business: fakemeta.PhoneNumberID, BusinessNumber: "+" + fakemeta.DisplayNumber, DriveID: w.drive,
					LastInboundAt: tx.Now.Add(-time.Hour)})
				if err != nil {
					return err
				}
				made = append(made, id)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		w.people = append(w.people, made...)
	}
}

// checkAllSent wants every message queued so far sent.
func (w *waSendBench) checkAllSent(b *testing.B) {
	b.Helper()
	sent, all := storetest.SentOfAll(b, w.db)
	if sent != w.queued || all != w.queued {
		b.Fatalf("%d of %d messages sent, %d queued", sent, all, w.queued)
	}
}
