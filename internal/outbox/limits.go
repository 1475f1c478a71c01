package outbox

import (
	"context"
	"sync"
	"time"
)

// bucket is a token bucket holding at most one token: sends through a
// provider are spaced evenly at its rate, never bunched.
type bucket struct {
	mu     sync.Mutex
	every  time.Duration
	nextAt time.Time
}

func newBucket(perSecond float64) *bucket {
	return &bucket{every: time.Duration(float64(time.Second) / perSecond)}
}

// wait returns when the next send may start, or when ctx ends.
func (b *bucket) wait(ctx context.Context) error {
	b.mu.Lock()
	now := time.Now()
	at := b.nextAt
	if at.Before(now) {
		at = now
	}
	b.nextAt = at.Add(b.every)
	b.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
