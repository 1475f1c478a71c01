// Package outbox owns sending: it leases due messages, sends each through
// its provider (a send.Provider: sms's for SMS, graph's for WhatsApp) once,
// records the answer, and keeps to providers' rate limits and each
// channel's daily budget.
//
// Sends are at-most-once. A message is committed as sending before its
// provider is called; only an answer that proves nothing went out (the
// request was never written, a 429) queues it again. Anything else that is
// not an answer becomes unknown, reconciled from status callbacks, never
// resent.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/store"
)

// Config tunes a Sender; zero fields take the defaults.
type Config struct {
	Owner       string        // unique per process (host and pid): leases are held by it
	Batch       int           // messages claimed at once (default 100, fewer if a provider's rate needs)
	Concurrency int           // provider calls in flight at once (default 8)
	Lease       time.Duration // how long a claim may stay unanswered (default 2m)
	MaxAttempts int           // tries for a message that never went out (default 5)
	Backoff     time.Duration // first retry delay, doubled per attempt up to 10m (default 5s)
	// RatePerSecond limits each provider, by name, and sending number on
	// this node (a steady rate, no bursts); missing or 0: unlimited. With N
	// nodes, give each node the provider's limit divided by N.
	RatePerSecond map[string]float64
	// Limits, if set, are the node's limits shared with the webhooks that
	// charge inbound messages to them; nil: made from RatePerSecond.
	Limits *Limits
	// Window is how long after a person's last message a free-form
	// WhatsApp message may go (default 24 h less a 10-minute margin).
	Window time.Duration
	// DailyBudget caps sends started per channel and day, across all
	// nodes; missing or 0: unlimited. Over it, messages wait for the next day.
	DailyBudget map[string]int
	Zone        *time.Location        // the budget's day (default IST)
	Registerer  prometheus.Registerer // where the metrics go; nil: nowhere
	// SecretKey keys the hashes that replace the provider ids of messages
	// sent to someone who erased their data while they were waiting
	// (forgotten as their answers are recorded: store.FinishMessages); nil:
	// they are not looked for.
	SecretKey []byte
}

// Sender drains the outbox.
type Sender struct {
	db        *store.DB
	providers map[string]send.Provider
	cfg       Config
	limits    *Limits
	m         *metrics
}

// New returns a Sender for the providers, by name. It refuses a batch that
// a provider's rate could not send before the lease runs out: a claim still
// waiting its turn would expire to unknown without having been sent.
func New(db *store.DB, providers map[string]send.Provider, cfg Config) (*Sender, error) {
	cfg = withDefaults(cfg)
	if cfg.Batch <= 0 {
		cfg.Batch = defaultBatch(cfg)
	}
	if cfg.Owner == "" {
		return nil, errors.New("outbox: the sender needs an owner name")
	}
	s := &Sender{db: db, providers: providers, cfg: cfg, limits: cfg.Limits}
	if s.limits == nil {
		s.limits = NewLimits(cfg.RatePerSecond)
	}
	for name, rate := range cfg.RatePerSecond {
		if rate <= 0 {
			continue
		}
		if wait := time.Duration(float64(cfg.Batch) / rate * float64(time.Second)); wait > cfg.Lease/2 {
			return nil, fmt.Errorf("outbox: a batch of %d at %g/s through %s takes %v, over half the %v lease", cfg.Batch, rate, name, wait, cfg.Lease)
		}
	}
	m, err := newMetrics(cfg)
	if err != nil {
		return nil, err
	}
	s.m = m
	return s, nil
}

func withDefaults(c Config) Config {
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 5
	}
	if c.Backoff <= 0 {
		c.Backoff = 5 * time.Second
	}
	if c.Window <= 0 {
		c.Window = 24*time.Hour - 10*time.Minute
	}
	if c.Zone == nil {
		c.Zone = ist.Zone
	}
	return c
}

// defaultBatch is large enough to keep Concurrency sends busy between two
// claims, and no larger than the slowest provider's rate can start in half
// the lease, so a rate limit never makes the default refused.
func defaultBatch(c Config) int {
	n := 100
	for _, rate := range c.RatePerSecond {
		if rate > 0 {
			n = min(n, max(1, int(rate*c.Lease.Seconds()/2)))
		}
	}
	return n
}

// Step is Drain for a worker.Loop: it reports work left only after a full
// batch, so under a steady trickle the loop waits for its next wake (which
// settles first) and claims what gathered meanwhile in one batch, instead
// of spinning through batches of one or two, each two write transactions.
func (s *Sender) Step(ctx context.Context) (int, error) {
	n, err := s.Drain(ctx)
	if n < s.cfg.Batch {
		n = 0
	}
	return n, err
}

// Drain turns abandoned claims into unknown, claims one batch of due
// messages, sends them (Concurrency at a time) and records every answer in
// one transaction; it reports how many it claimed (a worker.Drain). If a
// step fails, it records the answers it has and returns the error: the
// batch's other claims expire to unknown rather than risk a second send,
// and so do all of them if recording fails.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	now := s.db.Now()
	due, stale, err := s.db.OutboxWork(ctx, now)
	if err != nil {
		return 0, err
	}
	if stale {
		expired, err := s.db.ExpireSending(ctx, now)
		if err != nil {
			return 0, err
		}
		s.m.expired.Add(float64(expired))
	}
	if !due {
		return 0, nil
	}
	msgs, err := s.db.ClaimMessages(ctx, s.cfg.Owner, s.cfg.Batch, s.cfg.Lease)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	var a answers
	ready, err := s.permitted(ctx, msgs, &a)
	if err == nil {
		ready, err = s.whatsappReady(ctx, ready, &a)
	}
	if err == nil {
		ready, err = s.withinBudget(ctx, ready, &a)
	}
	if err == nil {
		err = s.sendAll(ctx, ready, &a)
	}
	return len(msgs), errors.Join(err, s.record(ctx, a.results))
}
