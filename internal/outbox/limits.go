package outbox

import (
	"context"
	"sync"
	"time"
)

// Limits are a node's rate limits: one per provider and sending number (a
// WhatsApp business number is limited on its own; SMS has one sender). A
// provider's rate applies to each of its numbers. Inbound messages to a
// number can be charged to it too (Charge): Meta counts both directions.
// Safe for concurrent use; the sender and the webhooks share one.
type Limits struct {
	rates   map[string]float64
	mu      sync.Mutex
	buckets map[limitKey]*bucket
}

type limitKey struct{ provider, from string }

// NewLimits limits each provider, by name, to its rate per second and
// number; a missing or 0 rate is unlimited.
func NewLimits(rates map[string]float64) *Limits {
	return &Limits{rates: rates, buckets: map[limitKey]*bucket{}}
}

// get returns the bucket of provider's number from, nil when unlimited.
func (l *Limits) get(provider, from string) *bucket {
	if l == nil || l.rates[provider] <= 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	k := limitKey{provider, from}
	b := l.buckets[k]
	if b == nil {
		b = newBucket(l.rates[provider])
		l.buckets[k] = b
	}
	return b
}

// Wait returns when provider's number from may send next, or when ctx ends.
func (l *Limits) Wait(ctx context.Context, provider, from string) error {
	if b := l.get(provider, from); b != nil {
		return b.wait(ctx)
	}
	return nil
}

// Charge counts n inbound messages against provider's number from. The
// charge takes at most the next second of sends: a flood of inbound
// slows sending, it never stops it for longer.
func (l *Limits) Charge(provider, from string, n int) {
	if b := l.get(provider, from); b != nil {
		b.charge(n, time.Second)
	}
}

// Pause holds provider's number from back for d (the provider said it is
// over its throughput).
func (l *Limits) Pause(provider, from string, d time.Duration) {
	if b := l.get(provider, from); b != nil {
		b.pause(d)
	}
}

// bucket is a token bucket holding at most one token: sends through a
// number are spaced evenly at its rate, never bunched.
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

// charge takes n slots without waiting, pushing the next send back by at
// most limit from now.
func (b *bucket) charge(n int, limit time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	at := b.nextAt
	if at.Before(now) {
		at = now
	}
	next := at.Add(time.Duration(n) * b.every)
	if cap := now.Add(limit); next.After(cap) {
		next = cap
	}
	if next.After(b.nextAt) {
		b.nextAt = next
	}
}

// pause makes the next send wait at least d from now.
func (b *bucket) pause(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if at := time.Now().Add(d); at.After(b.nextAt) {
		b.nextAt = at
	}
}
