package outbox_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
)

func byRef(recs []smstest.ReceivedSMS) map[string]smstest.ReceivedSMS {
	out := map[string]smstest.ReceivedSMS{}
	for _, rec := range recs {
		out[rec.Ref] = rec
	}
	return out
}

// answer is one way a gateway answers every request: its own fake gateway,
// so each message's answer is fixed however the sends interleave.
type answer struct {
	name    string
	gw      *smstest.FakeGateway
	p       *sms.Exotel
	state   string // the state the message must end in
	errPart string // part of its recorded error
}

func newAnswer(t *testing.T, name, state, errPart string, set func(*smstest.FakeGateway), timeout time.Duration) *answer {
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	set(gw)
	p := sms.NewExotel(sms.ExotelConfig{BaseURL: gw.URL, AccountSID: "jodo", APIKey: "k", APIToken: "t",
		SenderID: "JODOIN", EntityID: "1101000000000000001", Client: &http.Client{Timeout: timeout}})
	return &answer{name: name, gw: gw, p: p, state: state, errPart: errPart}
}

// A batch whose concurrent sends get every kind of answer records each
// answer on its own message, and each gateway gets its messages once.
func TestConcurrentAnswersLandOnTheirMessages(t *testing.T) {
	r := newRig(t)
	answers := []*answer{
		newAnswer(t, "accepted", store.MsgSent, "", func(*smstest.FakeGateway) {}, time.Second),
		newAnswer(t, "rejected", store.MsgFailed, "HTTP 400", func(g *smstest.FakeGateway) { g.FailNext(1000, http.StatusBadRequest) }, time.Second),
		newAnswer(t, "throttled", store.MsgQueued, "HTTP 429", func(g *smstest.FakeGateway) { g.FailNext(1000, http.StatusTooManyRequests) }, time.Second),
		newAnswer(t, "broken", store.MsgUnknown, "HTTP 500", func(g *smstest.FakeGateway) { g.FailNext(1000, http.StatusInternalServerError) }, time.Second),
		newAnswer(t, "timeout", store.MsgUnknown, "no answer", func(g *smstest.FakeGateway) { g.Delay(5 * time.Second) }, 150*time.Millisecond),
	}
	const n = 60
	var ms []store.OutboxMessage
	for i := range n {
		ms = append(ms, msg(i))
	}
	ms[n-1].Provider = "msg91" // not configured: failed without a call
	ids := r.enqueue(t, ms...)
	route, body, expect := map[string]*answer{}, map[string]string{}, map[*answer]int{}
	for i, id := range ids[:n-1] {
		ref := strconv.FormatInt(id, 10)
		a := answers[i%len(answers)]
		route[ref], body[ref] = a, ms[i].Body
		expect[a]++
	}
	p := providerFunc(func(ctx context.Context, m send.Message) send.Result { return route[m.Ref].p.Send(ctx, m) })
	s, err := outbox.New(r.db, map[string]send.Provider{"exotel": p}, outbox.Config{Owner: "n1", Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	if got := drain(t, s); got != n {
		t.Fatalf("drained %d of %d", got, n)
	}

	for _, a := range answers {
		recs := a.gw.Received()
		got := byRef(recs)
		for ref, rec := range got {
			if route[ref] != a || rec.Body != body[ref] {
				t.Errorf("%s gateway got message %s (%q)", a.name, ref, rec.Body)
			}
		}
		if len(recs) != expect[a] || len(got) != expect[a] {
			t.Errorf("%s gateway got %d requests for %d messages, want %d", a.name, len(recs), len(got), expect[a])
		}
	}
	for i, id := range ids[:n-1] {
		ref := strconv.FormatInt(id, 10)
		a := route[ref]
		m := r.state(t, id)
		if m.State != a.state || !strings.Contains(m.Error, a.errPart) || m.Attempts != 1 {
			t.Errorf("message %d (%s): %s after %d attempts, error %q", i, a.name, m.State, m.Attempts, m.Error)
		}
		want := "" // a timeout's id never reached the sender
		if a.state == store.MsgSent {
			want = byRef(a.gw.Received())[ref].ID
		}
		if m.ProviderID != want {
			t.Errorf("message %d (%s): provider id %q, want %q", i, a.name, m.ProviderID, want)
		}
		if a.state == store.MsgQueued && !m.NextAttemptAt.Equal(start.Add(5*time.Second)) {
			t.Errorf("message %d retries at %v", i, m.NextAttemptAt)
		}
	}
	m := r.state(t, ids[n-1])
	if m.State != store.MsgFailed || !strings.Contains(m.Error, "no msg91 provider") {
		t.Errorf("unconfigured provider: %s %q", m.State, m.Error)
	}
}

// Concurrency bounds the provider calls in flight, and is reached.
func TestConcurrencyBoundsCallsInFlight(t *testing.T) {
	r := newRig(t)
	var ms []store.OutboxMessage
	for i := range 24 {
		ms = append(ms, msg(i))
	}
	r.enqueue(t, ms...)
	var mu sync.Mutex
	inFlight, peak := 0, 0
	p := providerFunc(func(ctx context.Context, m send.Message) send.Result {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		time.Sleep(30 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		return send.Result{Outcome: send.Accepted, ProviderID: "sid-" + m.Ref}
	})
	s, err := outbox.New(r.db, map[string]send.Provider{"exotel": p}, outbox.Config{Owner: "n1", Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	drain(t, s)
	if peak != 4 {
		t.Fatalf("%d calls in flight at most, want 4", peak)
	}
}

// When the batch's answers cannot be recorded, Drain says so and the claims
// expire to unknown: accepted messages are never sent again.
func TestUnrecordedAnswersExpireToUnknown(t *testing.T) {
	r := newRig(t)
	ids := r.enqueue(t, msg(1), msg(2), msg(3))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	p := providerFunc(func(ctx context.Context, m send.Message) send.Result {
		res := r.exotel(time.Second).Send(context.WithoutCancel(ctx), m)
		once.Do(cancel) // recording the batch fails: its context has ended
		return res
	})
	s, err := outbox.New(r.db, map[string]send.Provider{"exotel": p}, outbox.Config{Owner: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Drain(ctx); err == nil {
		t.Fatal("Drain did not report the answers it could not record")
	}
	for _, id := range ids {
		wantState(t, r.state(t, id), store.MsgSending)
	}
	sent := len(r.gw.Received())
	r.clock.Advance(3 * time.Minute)
	good := r.sender(t, "n2", outbox.Config{})
	if drain(t, good) != 0 {
		t.Fatal("claims left unrecorded were drained again")
	}
	for _, id := range ids {
		wantState(t, r.state(t, id), store.MsgUnknown)
	}
	recs := r.gw.Received()
	if len(recs) != sent || sent == 0 || len(byRef(recs)) != sent {
		t.Fatalf("gateway got %d requests for %d messages, %d before the claims expired", len(recs), len(byRef(recs)), sent)
	}
}
