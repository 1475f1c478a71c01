package outbox_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var start = time.Date(2026, 2, 12, 10, 0, 0, 0, time.UTC)

type rig struct {
	db    *store.DB
	clock *storetest.Clock
	gw    *smstest.FakeGateway
	hook  string // the StatusCallback URL, applying reports to the store
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{clock: storetest.NewClock(start), gw: smstest.NewFakeGateway()}
	t.Cleanup(r.gw.Close)
	r.db = storetest.Open(t, r.clock)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_ = req.ParseForm()
		st, err := sms.ParseExotelStatus(req.PostForm)
		if err == nil {
			_, err = r.db.ApplyStatus(req.Context(), outbox.StatusUpdate("exotel", st))
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	t.Cleanup(hook.Close)
	r.hook = hook.URL
	return r
}

func (r *rig) exotel(timeout time.Duration) *sms.Exotel {
	return sms.NewExotel(sms.ExotelConfig{BaseURL: r.gw.URL, AccountSID: "jodo", APIKey: "k", APIToken: "t",
		SenderID: "JODOIN", EntityID: "1101000000000000001", StatusCallback: r.hook,
		Client: &http.Client{Timeout: timeout}})
}

func (r *rig) sender(t *testing.T, owner string, cfg outbox.Config) *outbox.Sender {
	t.Helper()
	cfg.Owner = owner
	s, err := outbox.New(r.db, map[string]send.Provider{"exotel": r.exotel(2 * time.Second)}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (r *rig) enqueue(t *testing.T, ms ...store.OutboxMessage) []int64 {
	t.Helper()
	var ids []int64
	err := r.db.Update(context.Background(), func(tx *store.Tx) error {
		var err error
		ids, err = store.EnqueueMessages(context.Background(), tx, ms)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func msg(i int) store.OutboxMessage {
	return store.OutboxMessage{Channel: "sms", Provider: "exotel", Class: store.ClassRequested,
		Template: "1107170000000000001", Body: "Jodo: register at https://jodo.example/j/x" + strconv.Itoa(i),
		To: "+9198765" + strconv.Itoa(10000+i)}
}

func drain(t *testing.T, s *outbox.Sender) int {
	t.Helper()
	n, err := s.Drain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (r *rig) state(t *testing.T, id int64) store.OutboxMessage {
	t.Helper()
	m, ok := storetest.Message(t, r.db, id)
	if !ok {
		t.Fatalf("message %d not found", id)
	}
	return m
}

func wantState(t *testing.T, m store.OutboxMessage, state string) {
	t.Helper()
	if m.State != state {
		t.Fatalf("message %d is %s (%q), want %s", m.ID, m.State, m.Error, state)
	}
}

func TestSendsEachMessageOnce(t *testing.T) {
	r := newRig(t)
	ids := r.enqueue(t, msg(1), msg(2), msg(3))
	s := r.sender(t, "n1", outbox.Config{})
	if n := drain(t, s); n != 3 {
		t.Fatalf("drained %d", n)
	}
	drain(t, s)
	got := byRef(r.gw.Received())
	if len(got) != 3 || len(r.gw.Received()) != 3 {
		t.Fatalf("gateway got %d requests", len(r.gw.Received()))
	}
	for _, id := range ids {
		m := r.state(t, id)
		wantState(t, m, store.MsgSent)
		rec := got[strconv.FormatInt(id, 10)]
		if rec.Ref != strconv.FormatInt(id, 10) || rec.ID != m.ProviderID || rec.To != m.To || rec.Body != m.Body ||
			rec.TemplateID != m.Template || rec.Form.Get("DltEntityId") == "" {
			t.Errorf("request %+v for message %+v", rec, m)
		}
	}
}

func TestNotSentIsRetriedWithBackoff(t *testing.T) {
	r := newRig(t)
	id := r.enqueue(t, msg(1))[0]
	s := r.sender(t, "n1", outbox.Config{Backoff: 10 * time.Second})
	r.gw.FailNext(1, http.StatusTooManyRequests)
	drain(t, s)
	m := r.state(t, id)
	wantState(t, m, store.MsgQueued)
	if want := start.Add(10 * time.Second); !m.NextAttemptAt.Equal(want) || m.Attempts != 1 {
		t.Fatalf("next attempt %v after %d attempts, want %v", m.NextAttemptAt, m.Attempts, want)
	}
	if drain(t, s) != 0 {
		t.Fatal("retried before the backoff")
	}
	r.clock.Advance(10 * time.Second)
	drain(t, s)
	wantState(t, r.state(t, id), store.MsgSent)
	if n := len(r.gw.Received()); n != 2 {
		t.Fatalf("gateway got %d requests, want 2", n)
	}
}

// A gateway that refuses connections never got the message: retried, then
// failed after MaxAttempts.
func TestUnreachableGivesUp(t *testing.T) {
	r := newRig(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	p := sms.NewExotel(sms.ExotelConfig{BaseURL: dead.URL, AccountSID: "a", APIKey: "k", APIToken: "t", SenderID: "JODOIN", EntityID: "1"})
	s, err := outbox.New(r.db, map[string]send.Provider{"exotel": p}, outbox.Config{Owner: "n1", MaxAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	id := r.enqueue(t, msg(1))[0]
	for range 3 {
		drain(t, s)
		r.clock.Advance(time.Hour)
	}
	m := r.state(t, id)
	wantState(t, m, store.MsgFailed)
	if m.Attempts != 3 || !strings.Contains(m.Error, "gave up after 3 attempts") {
		t.Fatalf("%d attempts, error %q", m.Attempts, m.Error)
	}
}

// A 500 or a timeout after the request was written may have sent the
// message: unknown, and never sent again.
func TestMaybeSentIsNeverResent(t *testing.T) {
	r := newRig(t)
	ids := r.enqueue(t, msg(1))
	s := r.sender(t, "n1", outbox.Config{})
	r.gw.FailNext(1, http.StatusInternalServerError)
	drain(t, s)
	wantState(t, r.state(t, ids[0]), store.MsgUnknown)

	ids = append(ids, r.enqueue(t, msg(2))...)
	p := r.exotel(200 * time.Millisecond)
	slow, err := outbox.New(r.db, map[string]send.Provider{"exotel": p}, outbox.Config{Owner: "n2"})
	if err != nil {
		t.Fatal(err)
	}
	r.gw.Delay(time.Second)
	drain(t, slow)
	r.gw.Delay(0)
	wantState(t, r.state(t, ids[1]), store.MsgUnknown)

	r.clock.Advance(24 * time.Hour)
	if drain(t, s)+drain(t, slow) != 0 {
		t.Fatal("unknown messages drained again")
	}
	if n := len(r.gw.Received()); n != 2 {
		t.Fatalf("gateway got %d requests, want 2", n)
	}
}

// A sender that dies after claiming (the row committed as sending) leaves
// the message unknown once its lease ends; nobody sends it again.
func TestCrashAfterClaim(t *testing.T) {
	r := newRig(t)
	id := r.enqueue(t, msg(1))[0]
	if got, err := r.db.ClaimMessages(context.Background(), "crashed", 10, time.Minute); err != nil || len(got) != 1 {
		t.Fatalf("claim: %v %v", got, err)
	}
	s := r.sender(t, "n2", outbox.Config{})
	if drain(t, s) != 0 {
		t.Fatal("drained a message another sender holds")
	}
	r.clock.Advance(2 * time.Minute)
	if drain(t, s) != 0 {
		t.Fatal("resent a message after a crash")
	}
	wantState(t, r.state(t, id), store.MsgUnknown)
	if n := len(r.gw.Received()); n != 0 {
		t.Fatalf("gateway got %d requests", n)
	}
}

// Two senders (two nodes) draining one outbox send each message once.
func TestTwoSendersSendEachOnce(t *testing.T) {
	r := newRig(t)
	const n = 120
	var ms []store.OutboxMessage
	for i := range n {
		ms = append(ms, msg(i))
	}
	r.enqueue(t, ms...)
	var wg sync.WaitGroup
	for _, owner := range []string{"n1", "n2"} {
		s := r.sender(t, owner, outbox.Config{Batch: 7})
		wg.Go(func() {
			for {
				k, err := s.Drain(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if k == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	refs := map[string]int{}
	for _, rec := range r.gw.Received() {
		refs[rec.Ref]++
	}
	if len(refs) != n || len(r.gw.Received()) != n {
		t.Fatalf("%d requests for %d messages, want %d", len(r.gw.Received()), len(refs), n)
	}
}

// Delivery reports posted in reverse, and a report that beats the send
// answer, end in the furthest state.
func TestStatusCallbacksOutOfOrder(t *testing.T) {
	r := newRig(t)
	ids := r.enqueue(t, msg(1), msg(2))
	drain(t, r.sender(t, "n1", outbox.Config{}))
	ctx := context.Background()
	var extra []smstest.Callback
	for _, rec := range r.gw.Received() {
		extra = append(extra, smstest.ExotelCallback(rec, "sent", "SENT_TO_OPERATOR", 20001))
	}
	if err := r.gw.SendCallbacks(ctx, true); err != nil { // delivered first
		t.Fatal(err)
	}
	for _, cb := range extra {
		if err := smstest.PostCallback(ctx, cb); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		wantState(t, r.state(t, id), store.MsgDelivered)
	}

	// The report arrives while the provider's answer is still on its way.
	id := r.enqueue(t, msg(3))[0]
	racing := providerFunc(func(ctx context.Context, m send.Message) send.Result {
		res := r.exotel(time.Second).Send(ctx, m)
		if err := r.gw.SendCallbacks(ctx, false); err != nil {
			t.Error(err)
		}
		return res
	})
	s, err := outbox.New(r.db, map[string]send.Provider{"exotel": racing}, outbox.Config{Owner: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	drain(t, s)
	m := r.state(t, id)
	wantState(t, m, store.MsgDelivered)
	if last := r.gw.Received()[2]; m.ProviderID != last.ID {
		t.Fatalf("provider id %q, want %q", m.ProviderID, last.ID)
	}
}

type providerFunc func(context.Context, send.Message) send.Result

func (providerFunc) Name() string                                           { return "exotel" }
func (f providerFunc) Send(ctx context.Context, m send.Message) send.Result { return f(ctx, m) }

func TestOutreachNeedsConsent(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	people := map[string]int64{}
	err := r.db.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"granted", "never", "withdrawn"} {
			id, err := store.CreatePerson(ctx, tx, store.Person{Name: name})
			if err != nil {
				return err
			}
			people[name] = id
			if name != "never" {
				err = store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: store.PurposeSMS, NoticeVersion: "v1", Channel: "missed_call"})
			}
			if err == nil && name == "withdrawn" {
				_, err = store.WithdrawConsent(ctx, tx, id, store.PurposeSMS)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	outreach := func(name string, i int) store.OutboxMessage {
		m := msg(i)
		m.Class, m.PersonID = store.ClassOutreach, people[name]
		return m
	}
	requested := msg(4)
	requested.PersonID = people["withdrawn"]
	ids := r.enqueue(t, outreach("granted", 1), outreach("never", 2), outreach("withdrawn", 3), requested)
	drain(t, r.sender(t, "n1", outbox.Config{}))
	wantState(t, r.state(t, ids[0]), store.MsgSent)
	for _, id := range ids[1:3] {
		m := r.state(t, id)
		wantState(t, m, store.MsgFailed)
		if !strings.Contains(m.Error, "consent") {
			t.Errorf("error %q", m.Error)
		}
	}
	wantState(t, r.state(t, ids[3]), store.MsgSent)
	if n := len(r.gw.Received()); n != 2 {
		t.Fatalf("gateway got %d requests, want 2", n)
	}
}

func TestDailyBudget(t *testing.T) {
	r := newRig(t)
	reg := prometheus.NewRegistry()
	ids := r.enqueue(t, msg(1), msg(2), msg(3))
	s := r.sender(t, "n1", outbox.Config{DailyBudget: map[string]int{"sms": 2}, Registerer: reg})
	drain(t, s)
	if n := len(r.gw.Received()); n != 2 {
		t.Fatalf("gateway got %d requests, want 2", n)
	}
	m := r.state(t, ids[2])
	wantState(t, m, store.MsgQueued)
	ist := time.FixedZone("IST", 5*3600+1800)
	if want := time.Date(2026, 2, 13, 0, 0, 0, 0, ist); !m.NextAttemptAt.Equal(want) || m.Attempts != 0 {
		t.Fatalf("deferred to %v after %d attempts, want %v", m.NextAttemptAt, m.Attempts, want)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP jodo_outbox_budget_used Sends started today on the channel, across all nodes, as last seen by this node.
# TYPE jodo_outbox_budget_used gauge
jodo_outbox_budget_used{channel="sms"} 2
`), "jodo_outbox_budget_used"); err != nil {
		t.Fatal(err)
	}
	r.clock.Set(time.Date(2026, 2, 13, 0, 0, 1, 0, ist))
	drain(t, s)
	wantState(t, r.state(t, ids[2]), store.MsgSent)
}

func TestRateLimitSpacesSends(t *testing.T) {
	r := newRig(t)
	r.enqueue(t, msg(1), msg(2), msg(3), msg(4), msg(5))
	s := r.sender(t, "n1", outbox.Config{RatePerSecond: map[string]float64{"exotel": 40}})
	began := time.Now()
	drain(t, s)
	if d := time.Since(began); d < 100*time.Millisecond {
		t.Fatalf("5 sends at 40/s took %v", d)
	}
	if _, err := outbox.New(r.db, nil, outbox.Config{Owner: "x", Batch: 100, RatePerSecond: map[string]float64{"exotel": 1}}); err == nil {
		t.Fatal("accepted a batch the rate cannot send within the lease")
	}
}

// Step, the worker loop's drain, sends what it claims but asks to be
// called again at once only after a full batch.
func TestStepReportsWorkLeftOnlyAfterAFullBatch(t *testing.T) {
	r := newRig(t)
	r.enqueue(t, msg(1), msg(2), msg(3), msg(4), msg(5))
	s := r.sender(t, "n1", outbox.Config{Batch: 3})
	for i, want := range []int{3, 0, 0} {
		n, err := s.Step(context.Background())
		if err != nil || n != want {
			t.Fatalf("step %d: %d %v, want %d", i+1, n, err, want)
		}
	}
	if got := len(r.gw.Received()); got != 5 {
		t.Fatalf("gateway got %d of 5", got)
	}
}
