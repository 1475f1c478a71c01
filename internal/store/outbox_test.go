package store_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

func (f *driveFixture) enqueue(t testing.TB, m store.OutboxMessage) int64 {
	t.Helper()
	var id int64
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		ids, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{m})
		if err == nil {
			id = ids[0]
		}
		return err
	})
	return id
}

func smsTo(to string) store.OutboxMessage {
	return store.OutboxMessage{Channel: "sms", Provider: "exotel", Class: store.ClassRequested,
		Template: "1107170000000000001", Body: "Welcome", To: to}
}

func (f *driveFixture) message(t testing.TB, id int64) store.OutboxMessage {
	t.Helper()
	m, ok := storetest.Message(t, f.db, id)
	if !ok {
		t.Fatalf("message %d not found", id)
	}
	return m
}

func (f *driveFixture) claim(t testing.TB, owner string, limit int) []store.OutboxMessage {
	t.Helper()
	ms, err := f.db.ClaimMessages(context.Background(), owner, limit, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func (f *driveFixture) finish(t testing.TB, id int64, owner string, r store.SendResult) bool {
	t.Helper()
	n, err := f.db.FinishMessages(context.Background(), owner, []store.MessageResult{{ID: id, SendResult: r}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func (f *driveFixture) status(t testing.TB, u store.StatusUpdate) bool {
	t.Helper()
	if u.Provider == "" {
		u.Provider = "exotel"
	}
	ok, err := f.db.ApplyStatus(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func wantState(t testing.TB, m store.OutboxMessage, state, providerID string) {
	t.Helper()
	if m.State != state || m.ProviderID != providerID {
		t.Fatalf("message %d: state %q provider id %q; want %q %q (error %q)", m.ID, m.State, m.ProviderID, state, providerID, m.Error)
	}
}

func TestEnqueueValidates(t *testing.T) {
	f := newDriveFixture(t)
	for _, m := range []store.OutboxMessage{
		{Channel: "fax", Provider: "exotel", Class: store.ClassRequested, Body: "x", To: "+919876543210"},
		{Channel: "sms", Provider: "exotel", Class: "spam", Body: "x", To: "+919876543210"},
		{Channel: "sms", Provider: "exotel", Class: store.ClassOutreach, Body: "x", To: "+919876543210"},
		{Channel: "sms", Provider: "exotel", Class: store.ClassRequested, Body: "x", To: "9876543210"},
	} {
		err := f.db.Update(context.Background(), func(tx *store.Tx) error {
			_, err := store.EnqueueMessages(context.Background(), tx, []store.OutboxMessage{m})
			return err
		})
		wantCode(t, err, apperr.Invalid)
	}
}

// A claim commits sending with the attempt counted; the answer moves it on
// only for the owner; a retry waits out its delay; a deferral is no attempt.
func TestClaimAndFinish(t *testing.T) {
	f := newDriveFixture(t)
	a := f.enqueue(t, smsTo("+919876543210"))
	b := f.enqueue(t, smsTo("+919876543211"))
	later := smsTo("+919876543212")
	later.NextAttemptAt = fixtureStart.Add(time.Hour)
	f.enqueue(t, later)

	got := f.claim(t, "n1", 10)
	if len(got) != 2 || got[0].ID != a || got[1].ID != b || got[0].State != store.MsgSending || got[0].Attempts != 1 {
		t.Fatalf("claimed %+v", got)
	}
	if again := f.claim(t, "n2", 10); len(again) != 0 {
		t.Fatalf("claimed sending messages again: %+v", again)
	}
	if f.finish(t, a, "n2", store.SendResult{Outcome: store.SendSent, ProviderID: "x"}) {
		t.Fatal("a non-owner recorded an answer")
	}
	if !f.finish(t, a, "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "sid-a"}) {
		t.Fatal("owner's answer not recorded")
	}
	sent := f.message(t, a)
	wantState(t, sent, store.MsgSent, "sid-a")
	if !sent.SentAt.Equal(fixtureStart) {
		t.Errorf("sent_at %v", sent.SentAt)
	}

	f.finish(t, b, "n1", store.SendResult{Outcome: store.SendRetry, Error: "429", RetryAfter: 30 * time.Second})
	wantState(t, f.message(t, b), store.MsgQueued, "")
	if got := f.claim(t, "n1", 10); len(got) != 0 {
		t.Fatalf("claimed before the retry delay: %+v", got)
	}
	f.clock.Advance(30 * time.Second)
	got = f.claim(t, "n1", 10)
	if len(got) != 1 || got[0].ID != b || got[0].Attempts != 2 {
		t.Fatalf("retry claim %+v", got)
	}
	f.finish(t, b, "n1", store.SendResult{Outcome: store.SendDeferred, Error: "budget", RetryAfter: time.Second})
	f.clock.Advance(time.Second)
	if got := f.claim(t, "n1", 10); len(got) != 1 || got[0].Attempts != 2 {
		t.Fatalf("a deferral counted as an attempt: %+v", got)
	}
}

// A claim takes at most limit messages, whatever plan the database picks
// (on PostgreSQL, a rescanned LIMIT subquery once claimed all seven here).
func TestClaimTakesAtMostLimit(t *testing.T) {
	f := newDriveFixture(t)
	f.enqueue(t, smsTo("+919876543299"))
	f.claim(t, "crashed", 1)
	f.clock.Advance(2 * time.Minute)
	if _, err := f.db.ExpireSending(context.Background(), f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		f.enqueue(t, smsTo("+9198765432"+strconv.Itoa(10+i)))
	}
	if got := f.claim(t, "n1", 6); len(got) != 6 {
		t.Fatalf("claimed %d, limit 6", len(got))
	}
	if got := f.claim(t, "n1", 6); len(got) != 1 {
		t.Fatalf("claimed %d of the 1 left", len(got))
	}
}

// A crash between claiming and the answer leaves unknown, never queued; an
// acceptance arriving late still records the provider id.
func TestExpireSendingIsUnknownNeverRequeued(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	a := f.enqueue(t, smsTo("+919876543210"))
	b := f.enqueue(t, smsTo("+919876543211"))
	f.claim(t, "crashed", 10)
	if n, _ := f.db.ExpireSending(ctx, f.clock.Now()); n != 0 {
		t.Fatalf("expired %d messages inside their lease", n)
	}
	f.clock.Advance(2 * time.Minute)
	if n, err := f.db.ExpireSending(ctx, f.clock.Now()); n != 2 || err != nil {
		t.Fatalf("expired %d, %v", n, err)
	}
	wantState(t, f.message(t, a), store.MsgUnknown, "")
	if got := f.claim(t, "n2", 10); len(got) != 0 {
		t.Fatalf("unknown messages claimed again: %+v", got)
	}
	if f.finish(t, a, "crashed", store.SendResult{Outcome: store.SendRetry}) {
		t.Fatal("a late retry requeued an unknown message")
	}
	if !f.finish(t, b, "crashed", store.SendResult{Outcome: store.SendSent, ProviderID: "sid-b"}) {
		t.Fatal("a late acceptance was dropped")
	}
	wantState(t, f.message(t, b), store.MsgSent, "sid-b")
}

// One call records a batch's answers, each row under the guards a single
// answer has: only the owner's sending rows move, a late acceptance still
// lands on an unknown row, a delivered row stays. An invalid outcome
// anywhere records nothing.
func TestFinishMessagesBatch(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	late := f.enqueue(t, smsTo("+919876543299"))
	f.claim(t, "crashed", 1)
	var ids []int64
	for i := range 7 {
		ids = append(ids, f.enqueue(t, smsTo("+9198765432"+strconv.Itoa(10+i))))
	}
	f.clock.Advance(2 * time.Minute)
	if n, err := f.db.ExpireSending(ctx, f.clock.Now()); n != 1 || err != nil {
		t.Fatalf("expired %d, %v", n, err)
	}
	for _, m := range f.claim(t, "n1", 6) {
		t.Logf("n1 %d", m.ID)
	}
	for _, m := range f.claim(t, "n2", 1) {
		t.Logf("n2 %d", m.ID)
	}
	t.Logf("ids %v late %d", ids, late)
	f.status(t, store.StatusUpdate{ProviderID: "sid-4", Ref: ids[4], State: store.MsgDelivered})

	bad := []store.MessageResult{{ID: ids[1], SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "x"}},
		{ID: ids[2], SendResult: store.SendResult{Outcome: "lost"}}}
	_, err := f.db.FinishMessages(ctx, "n1", bad, nil)
	wantCode(t, err, apperr.Invalid)
	wantState(t, f.message(t, ids[1]), store.MsgSending, "")

	results := []store.MessageResult{ // out of id order on purpose
		{ID: ids[3], SendResult: store.SendResult{Outcome: store.SendUnknown, Error: "timeout"}},
		{ID: ids[1], SendResult: store.SendResult{Outcome: store.SendFailed, ProviderID: "sid-1", Error: "HTTP 400"}},
		{ID: ids[0], SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "sid-0"}},
		{ID: ids[2], SendResult: store.SendResult{Outcome: store.SendRetry, Error: "429", RetryAfter: time.Minute}},
		{ID: ids[4], SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "sid-4"}},       // delivered first
		{ID: ids[5], SendResult: store.SendResult{Outcome: store.SendDeferred, RetryAfter: time.Hour}}, // n1's
		{ID: ids[6], SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "sid-6"}},       // n2's
	}
	if n, err := f.db.FinishMessages(ctx, "n1", results, nil); n != 5 || err != nil {
		t.Fatalf("recorded %d, %v; want 5", n, err)
	}
	if n, err := f.db.FinishMessages(ctx, "crashed", []store.MessageResult{
		{ID: late, SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "sid-late"}}}, nil); n != 1 || err != nil {
		t.Fatalf("late acceptance: %d, %v", n, err)
	}
	wantState(t, f.message(t, ids[0]), store.MsgSent, "sid-0")
	wantState(t, f.message(t, ids[1]), store.MsgFailed, "sid-1")
	retry := f.message(t, ids[2])
	wantState(t, retry, store.MsgQueued, "")
	if want := f.clock.Now().Add(time.Minute); !retry.NextAttemptAt.Equal(want) || retry.Attempts != 1 {
		t.Errorf("retry at %v after %d attempts, want %v after 1", retry.NextAttemptAt, retry.Attempts, want)
	}
	wantState(t, f.message(t, ids[3]), store.MsgUnknown, "")
	wantState(t, f.message(t, ids[4]), store.MsgDelivered, "sid-4")
	if m := f.message(t, ids[5]); m.State != store.MsgQueued || m.Attempts != 0 {
		t.Errorf("deferred message %+v", m)
	}
	wantState(t, f.message(t, ids[6]), store.MsgSending, "")
	wantState(t, f.message(t, late), store.MsgSent, "sid-late")
}

// A report that wins the race against the send answer takes the message out
// of sending; the answer then changes nothing.
func TestStatusBeforeFinish(t *testing.T) {
	f := newDriveFixture(t)
	a := f.enqueue(t, smsTo("+919876543210"))
	f.claim(t, "n1", 1)
	if !f.status(t, store.StatusUpdate{ProviderID: "sid-a", Ref: a, State: store.MsgDelivered}) {
		t.Fatal("report during sending not applied")
	}
	if f.finish(t, a, "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "sid-a"}) {
		t.Fatal("the send answer moved a delivered message")
	}
	if f.finish(t, a, "n1", store.SendResult{Outcome: store.SendUnknown, Error: "timeout"}) {
		t.Fatal("a timeout moved a delivered message")
	}
	wantState(t, f.message(t, a), store.MsgDelivered, "sid-a")
}

// Reports move forward only, repeats are no-ops, failed is final, and an
// unknown message is resolved by a report carrying our ref.
func TestStatusForwardOnly(t *testing.T) {
	f := newDriveFixture(t)
	a := f.enqueue(t, smsTo("+919876543210"))
	b := f.enqueue(t, smsTo("+919876543211"))
	c := f.enqueue(t, smsTo("+919876543212"))
	f.claim(t, "n1", 3)
	f.finish(t, a, "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "sid-a"})
	f.finish(t, b, "n1", store.SendResult{Outcome: store.SendUnknown, Error: "HTTP 500"})
	f.finish(t, c, "n1", store.SendResult{Outcome: store.SendFailed, Error: "HTTP 400"})

	steps := []struct {
		u    store.StatusUpdate
		want bool
	}{
		{store.StatusUpdate{ProviderID: "sid-a", State: store.MsgDelivered}, true},
		{store.StatusUpdate{ProviderID: "sid-a", State: store.MsgDelivered}, false}, // repeat
		{store.StatusUpdate{ProviderID: "sid-a", State: store.MsgSent}, false},      // late
		{store.StatusUpdate{ProviderID: "sid-a", State: store.MsgFailed}, false},    // after delivery
		{store.StatusUpdate{ProviderID: "sid-a", State: store.MsgRead}, true},
		{store.StatusUpdate{ProviderID: "sid-b", Ref: b, State: store.MsgFailed, Error: "23185"}, true},
		{store.StatusUpdate{ProviderID: "sid-b", State: store.MsgDelivered}, false},
		{store.StatusUpdate{ProviderID: "sid-c", Ref: c, State: store.MsgDelivered}, false},
	}
	for i, s := range steps {
		if got := f.status(t, s.u); got != s.want {
			t.Fatalf("step %d %+v: applied %v, want %v", i, s.u, got, s.want)
		}
	}
	wantState(t, f.message(t, a), store.MsgRead, "sid-a")
	m := f.message(t, b)
	wantState(t, m, store.MsgFailed, "sid-b")
	if m.Error != "23185" {
		t.Errorf("error %q", m.Error)
	}
	wantState(t, f.message(t, c), store.MsgFailed, "")

	_, err := f.db.ApplyStatus(context.Background(), store.StatusUpdate{Provider: "exotel", ProviderID: "nope", Ref: 999, State: store.MsgSent})
	wantCode(t, err, apperr.NotFound)
	_, err = f.db.ApplyStatus(context.Background(), store.StatusUpdate{Provider: "exotel", ProviderID: "sid-a", State: store.MsgQueued})
	wantCode(t, err, apperr.Invalid)
}

func TestChargeBudget(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	for _, step := range []struct{ want, granted, used int }{{3, 3, 3}, {3, 2, 5}, {1, 0, 5}} {
		granted, used, err := f.db.ChargeBudget(ctx, "sms", fixtureDay, step.want, 5)
		if err != nil || granted != step.granted || used != int64(step.used) {
			t.Fatalf("charge %d: granted %d used %d (%v); want %d %d", step.want, granted, used, err, step.granted, step.used)
		}
	}
	if granted, _, _ := f.db.ChargeBudget(ctx, "whatsapp", fixtureDay, 1, 5); granted != 1 {
		t.Fatal("channels share a budget")
	}
}

// Concurrent claimers (on PostgreSQL, truly concurrent) never share a row.
func TestConcurrentClaimsAreDisjoint(t *testing.T) {
	f := newDriveFixture(t)
	const n = 60
	for i := range n {
		f.enqueue(t, smsTo("+9198765432"+strconv.Itoa(10+i)))
	}
	var mu sync.Mutex
	seen := map[int64]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		owner := "n" + strconv.Itoa(w)
		wg.Go(func() {
			for {
				got, err := f.db.ClaimMessages(context.Background(), owner, 5, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					if prev, dup := seen[m.ID]; dup {
						t.Errorf("message %d claimed by %s and %s", m.ID, prev, owner)
					}
					seen[m.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("claimed %d of %d", len(seen), n)
	}
}

// A provider's error words are stored whatever bytes they hold: NUL or
// bytes that are not UTF-8 (PostgreSQL refuses both in text, which failed
// the whole batch of answers) become readable text, cut to a bound.
func TestProviderErrorsAreStorable(t *testing.T) {
	f := newDriveFixture(t)
	a := f.enqueue(t, smsTo("+919876543210"))
	b := f.enqueue(t, smsTo("+919876543211"))
	f.claim(t, "n1", 10)
	if !f.finish(t, a, "n1", store.SendResult{Outcome: store.SendFailed, Error: "WhatsApp 131000: \x00bad\xff" + strings.Repeat("x", 5000)}) {
		t.Fatal("the failure was not recorded")
	}
	got := f.message(t, a)
	if !utf8.ValidString(got.Error) || strings.ContainsRune(got.Error, 0) || len(got.Error) > 1000 || !strings.HasPrefix(got.Error, "WhatsApp 131000:  bad") {
		t.Errorf("stored error %.80q (%d bytes)", got.Error, len(got.Error))
	}
	f.finish(t, b, "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "sid-b"})
	if !f.status(t, store.StatusUpdate{ProviderID: "sid-b", State: store.MsgFailed, Error: "undeliverable\x00\xfe"}) {
		t.Fatal("the failed status was not applied")
	}
	if e := f.message(t, b).Error; e != "undeliverable \uFFFD" {
		t.Errorf("stored status error %q", e)
	}
}
