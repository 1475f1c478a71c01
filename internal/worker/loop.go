// Package worker runs in-process background loops that drain domain tables
// (inbox, outbox, conversations) in batches. A loop is woken right after the
// commits that give it work and also polls, so rows leased by a crashed node
// or written by another node are picked up too.
package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Drain processes one batch and says how many items it handled; a loop
// drains again at once while there is work.
type Drain func(ctx context.Context) (int, error)

// Loop is one named background worker.
type Loop struct {
	name   string
	drain  Drain
	poll   time.Duration
	settle time.Duration
	wake   chan struct{}
	now    chan struct{}
	log    *slog.Logger
}

// NewLoop returns a loop that runs drain when woken or every poll.
func NewLoop(name string, poll time.Duration, log *slog.Logger, drain Drain) *Loop {
	return &Loop{name: name, drain: drain, poll: poll, wake: make(chan struct{}, 1), now: make(chan struct{}, 1), log: log}
}

// Settle makes the loop wait d after a wake before draining, so the work
// of commits that follow closely is taken in one batch. Call it before Run.
func (l *Loop) Settle(d time.Duration) *Loop {
	l.settle = d
	return l
}

// SharingWakes makes l take its wakes from the same queue as other's:
// of loops draining the same work, a wake then goes to one that is idle,
// not to one still busy with its last batch. Call it before Run.
func (l *Loop) SharingWakes(other *Loop) *Loop {
	l.wake, l.now = other.wake, other.now
	return l
}

// Wake asks the loop to drain soon; it never blocks, and many wakes
// before the loop runs collapse into one.
func (l *Loop) Wake() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// WakeNow asks the loop to drain without settling (cutting a settle in
// progress short): for work that comes batched already and is waited for,
// such as the bot's replies.
func (l *Loop) WakeNow() {
	select {
	case l.now <- struct{}{}:
	default:
	}
}

// Run drains until ctx ends. A batch in progress finishes first: callers
// cancel ctx only after HTTP has stopped handing out work.
func (l *Loop) Run(ctx context.Context) {
	t := time.NewTicker(l.poll)
	defer t.Stop()
	for {
		l.drainAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-l.now:
		case <-l.wake:
			if l.settle > 0 {
				select {
				case <-ctx.Done():
					return
				case <-l.now:
				case <-time.After(l.settle):
				}
				select { // wakes while settling are served by this drain
				case <-l.wake:
				default:
				}
			}
		case <-t.C:
		}
	}
}

func (l *Loop) drainAll(ctx context.Context) {
	for ctx.Err() == nil {
		// The batch itself runs to completion even if ctx ends mid-way, so
		// no lease is left half-processed by a shutdown.
		n, err := l.drain(context.WithoutCancel(ctx))
		if err != nil {
			l.log.Error("worker batch failed", "worker", l.name, "err", err)
			return
		}
		if n == 0 {
			return
		}
	}
}

// Group runs loops and waits for them on Stop.
type Group struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start runs every loop in its own goroutine.
func Start(loops ...*Loop) *Group {
	ctx, cancel := context.WithCancel(context.Background())
	g := &Group{cancel: cancel}
	for _, l := range loops {
		g.wg.Go(func() { l.Run(ctx) })
	}
	return g
}

// Stop ends the loops after their current batch and waits for them.
func (g *Group) Stop() {
	g.cancel()
	g.wg.Wait()
}
