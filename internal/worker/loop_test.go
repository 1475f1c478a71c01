package worker_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/worker"
)

// Several loops (on PostgreSQL: on several connections, as several nodes
// would) lease the same inbox: every item is processed exactly once.
func TestLoopsShareInboxWithoutDoubles(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	const items = 300
	for i := range items {
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := store.InsertInbox(ctx, tx, []store.InboxItem{{Provider: "t", Key: fmt.Sprint(i), Kind: "k", Payload: []byte("x")}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	done := make(chan struct{})
	var loops []*worker.Loop
	for n := range 4 {
		owner := fmt.Sprintf("node-%d", n)
		loops = append(loops, worker.NewLoop(owner, 10*time.Millisecond, slog.Default(), func(ctx context.Context) (int, error) {
			rows, err := db.LeaseInboxKind(ctx, owner, "k", db.Now().Add(time.Hour), 7, time.Minute)
			if err != nil || len(rows) == 0 {
				return 0, err
			}
			mu.Lock()
			for _, r := range rows {
				seen[r.ID]++
			}
			if len(seen) == items {
				select {
				case <-done:
				default:
					close(done)
				}
			}
			mu.Unlock()
			for _, r := range rows {
				if err := db.MarkInboxProcessed(ctx, r.ID, ""); err != nil {
					return 0, err
				}
			}
			return len(rows), nil
		}))
	}
	g := worker.Start(loops...)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("loops did not drain the inbox")
	}
	g.Stop()
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("item %d processed %d times", id, n)
		}
	}
}

// A lease that runs out goes to another worker, and not before.
func TestExpiredLeaseIsTakenOver(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 2, 12, 10, 0, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.InsertInbox(ctx, tx, []store.InboxItem{{Provider: "t", Key: "1", Kind: "k", Payload: []byte("x")}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lease := func(owner string) ([]store.InboxRow, error) {
		return db.LeaseInboxKind(ctx, owner, "k", clock.Now().Add(time.Hour), 10, time.Minute)
	}
	first, err := lease("a")
	if err != nil || len(first) != 1 {
		t.Fatalf("lease a: %v %v", first, err)
	}
	if again, _ := lease("b"); len(again) != 0 {
		t.Fatalf("b leased a row a still holds")
	}
	clock.Advance(2 * time.Minute)
	second, err := lease("b")
	if err != nil || len(second) != 1 || second[0].ID != first[0].ID {
		t.Fatalf("b after expiry: %v %v", second, err)
	}
}

// A settling loop drains once for a burst of wakes, settle after the first.
func TestSettleGathersWakes(t *testing.T) {
	const settle = 150 * time.Millisecond
	drained := make(chan time.Time, 10)
	l := worker.NewLoop("settle", time.Hour, slog.Default(), func(context.Context) (int, error) {
		drained <- time.Now()
		return 0, nil
	}).Settle(settle)
	g := worker.Start(l)
	defer g.Stop()
	nextDrain(t, drained, "the first drain, at start")
	woke := time.Now()
	for range 5 {
		l.Wake()
		time.Sleep(10 * time.Millisecond)
	}
	if d := nextDrain(t, drained, "the drain for the burst").Sub(woke); d < settle {
		t.Errorf("drained %v after the first wake, before the %v settle", d, settle)
	}
	// A wake of the burst left queued would drain again one settle later.
	select {
	case <-drained:
		t.Fatal("more than 2 drains for a start and a burst of 5 wakes")
	case <-time.After(3 * settle):
	}
}

// nextDrain waits, for at most 5 s, for the loop's next drain and returns
// when it began.
func nextDrain(t *testing.T, drained <-chan time.Time, what string) time.Time {
	t.Helper()
	select {
	case at := <-drained:
		return at
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	return time.Time{}
}

// WakeNow drains without settling, and cuts a settle in progress short.
func TestWakeNowSkipsTheSettle(t *testing.T) {
	drained := make(chan time.Time, 10)
	l := worker.NewLoop("now", time.Hour, slog.Default(), func(context.Context) (int, error) {
		drained <- time.Now()
		return 0, nil
	}).Settle(time.Hour)
	g := worker.Start(l)
	defer g.Stop()
	<-drained // the first drain, at start
	woke := time.Now()
	l.WakeNow()
	select {
	case at := <-drained:
		if d := at.Sub(woke); d > time.Second {
			t.Errorf("WakeNow drained after %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WakeNow did not drain")
	}
	l.Wake() // settles for an hour …
	time.Sleep(20 * time.Millisecond)
	l.WakeNow() // … unless cut short
	select {
	case <-drained:
	case <-time.After(5 * time.Second):
		t.Fatal("WakeNow did not cut a settle short")
	}
}
