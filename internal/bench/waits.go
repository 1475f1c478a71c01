package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// WaitSample counts what PostgreSQL's active backends of the bench
// database waited on, sampled every 10 ms during a run: Samples is
// backends seen active over all Ticks, Locks those waiting for a lock,
// CounterLocks those whose statement mentions the counter tables, and
// XID / CounterXID the Lock:transactionid waits among them (a row another
// transaction holds).
type WaitSample struct {
	Ticks, Samples      int
	Locks, CounterLocks int
	XID, CounterXID     int
}

func (w WaitSample) String() string {
	return fmt.Sprintf("lock waits: %d of %d samples (on counters: %d); Lock:transactionid %d (on counters: %d); %d ticks 10 ms apart",
		w.Locks, w.Samples, w.CounterLocks, w.XID, w.CounterXID, w.Ticks)
}

// sampleWaits samples the waits of the PostgreSQL database at url (not
// through a proxy) every 10 ms until the returned stop is called.
func sampleWaits(ctx context.Context, url string) (stop func() (WaitSample, error), err error) {
	db, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	var w WaitSample
	var sampleErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for range t.C { // stop ends ctx, and with it the loop within a tick
			waits, err := db.SampleWaits(ctx)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				sampleErr = err
				return
			}
			w.Ticks++
			w.Samples += len(waits)
			for _, s := range waits {
				if !s.Lock() {
					continue
				}
				xid := s.Event == "transactionid"
				w.Locks, w.XID = w.Locks+1, w.XID+b2i(xid)
				if s.Counter {
					w.CounterLocks, w.CounterXID = w.CounterLocks+1, w.CounterXID+b2i(xid)
				}
			}
		}
	})
	return func() (WaitSample, error) {
		cancel()
		wg.Wait()
		db.Close()
		return w, sampleErr
	}, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
