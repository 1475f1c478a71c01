package outbox_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// benchConcurrency is the sender's default, used by both benchmarks so
// their ratio is the cost of the database around the same provider calls.
const benchConcurrency = 8

// benchExotel is an Exotel provider on gw whose client keeps a connection
// per send in flight (net/http keeps only 2 idle per host by default).
func benchExotel(gw *smstest.FakeGateway) *sms.Exotel {
	return sms.NewExotel(sms.ExotelConfig{BaseURL: gw.URL, AccountSID: "jodo", APIKey: "k", APIToken: "t",
		SenderID: "JODOIN", EntityID: "1101000000000000001", Client: &http.Client{Timeout: 10 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: benchConcurrency}}})
}

// BenchmarkSender is messages per second through Sender.Drain (claim,
// send through Exotel to the fake gateway, record) from a backlog of b.N.
func BenchmarkSender(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, nil)
	gw := smstest.NewFakeGateway()
	b.Cleanup(gw.Close)
	s, err := outbox.New(db, map[string]send.Provider{"exotel": benchExotel(gw)},
		outbox.Config{Owner: "bench", Concurrency: benchConcurrency})
	if err != nil {
		b.Fatal(err)
	}
	enqueueBacklog(b, db, b.N)
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
	if got := len(gw.Received()); got != b.N {
		b.Fatalf("gateway got %d of %d messages", got, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkProviderOnly is the baseline: b.N sends straight through Exotel
// to the fake gateway, benchConcurrency at a time, with no database.
func BenchmarkProviderOnly(b *testing.B) {
	gw := smstest.NewFakeGateway()
	b.Cleanup(gw.Close)
	msgs := make([]send.Message, b.N)
	for i := range msgs {
		m := msg(i)
		msgs[i] = send.Message{To: m.To, Body: m.Body, TemplateID: m.Template, Ref: strconv.Itoa(i + 1)}
	}
	sendDirect(b, benchExotel(gw), msgs, benchConcurrency)
}

// sendDirect is a provider-only baseline: msgs sent straight through p,
// concurrency at a time, timed and reported in msgs/s.
func sendDirect(b *testing.B, p send.Provider, msgs []send.Message, concurrency int) {
	ctx := context.Background()
	queue := make(chan send.Message, len(msgs))
	for _, m := range msgs {
		queue <- m
	}
	close(queue)
	b.ResetTimer()
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for m := range queue {
				if r := p.Send(ctx, m); r.Outcome != send.Accepted {
					b.Error(r.Err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}

// enqueueBacklog queues n messages, a thousand per statement.
func enqueueBacklog(b *testing.B, db *store.DB, n int) {
	b.Helper()
	ctx := context.Background()
	for from := 0; from < n; from += 1000 {
		var ms []store.OutboxMessage
		for i := from; i < min(from+1000, n); i++ {
			ms = append(ms, msg(i))
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := store.EnqueueMessages(ctx, tx, ms)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
