// Package outbox owns sending: it leases due messages, sends each through
// its provider once, records the answer, and keeps to providers' rate limits
// and each channel's daily budget.
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
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/store"
)

// Config tunes a Sender; zero fields take the defaults.
type Config struct {
	Owner       string        // unique per process (host and pid): leases are held by it
	Batch       int           // messages claimed at once (default 20)
	Lease       time.Duration // how long a claim may stay unanswered (default 2m)
	MaxAttempts int           // tries for a message that never went out (default 5)
	Backoff     time.Duration // first retry delay, doubled per attempt up to 10m (default 5s)
	// RatePerSecond limits each provider, by name, on this node (a steady
	// rate, no bursts); missing or 0: unlimited. With N nodes, give each
	// node the provider's limit divided by N.
	RatePerSecond map[string]float64
	// DailyBudget caps sends started per channel and day, across all
	// nodes; missing or 0: unlimited. Over it, messages wait for the next day.
	DailyBudget map[string]int
	Zone        *time.Location        // the budget's day (default IST)
	Registerer  prometheus.Registerer // where the metrics go; nil: nowhere
}

// Sender drains the outbox.
type Sender struct {
	db        *store.DB
	providers map[string]sms.Provider
	cfg       Config
	limits    map[string]*bucket
	m         *metrics
}

// New returns a Sender for the providers, by name. It refuses a batch that
// a provider's rate could not send before the lease runs out: a claim still
// waiting its turn would expire to unknown without having been sent.
func New(db *store.DB, providers map[string]sms.Provider, cfg Config) (*Sender, error) {
	cfg = withDefaults(cfg)
	if cfg.Owner == "" {
		return nil, errors.New("outbox: the sender needs an owner name")
	}
	s := &Sender{db: db, providers: providers, cfg: cfg, limits: map[string]*bucket{}}
	for name, rate := range cfg.RatePerSecond {
		if rate <= 0 {
			continue
		}
		if wait := time.Duration(float64(cfg.Batch) / rate * float64(time.Second)); wait > cfg.Lease/2 {
			return nil, fmt.Errorf("outbox: a batch of %d at %g/s through %s takes %v, over half the %v lease", cfg.Batch, rate, name, wait, cfg.Lease)
		}
		s.limits[name] = newBucket(rate)
	}
	m, err := newMetrics(cfg)
	if err != nil {
		return nil, err
	}
	s.m = m
	return s, nil
}

func withDefaults(c Config) Config {
	if c.Batch <= 0 {
		c.Batch = 20
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
	if c.Zone == nil {
		c.Zone = time.FixedZone("IST", 5*3600+1800)
	}
	return c
}

// Drain turns abandoned claims into unknown, claims one batch of due
// messages and sends them; it reports how many it claimed (a worker.Drain).
// If recording an answer fails, it stops: the batch's remaining claims
// expire to unknown rather than risk a second send.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	expired, err := s.db.ExpireSending(ctx, s.db.Now())
	if err != nil {
		return 0, err
	}
	s.m.expired.Add(float64(expired))
	msgs, err := s.db.ClaimMessages(ctx, s.cfg.Owner, s.cfg.Batch, s.cfg.Lease)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	ready, err := s.permitted(ctx, msgs)
	if err != nil {
		return len(msgs), err
	}
	if ready, err = s.withinBudget(ctx, ready); err != nil {
		return len(msgs), err
	}
	for _, m := range ready {
		if err := s.send(ctx, m); err != nil {
			return len(msgs), err
		}
	}
	return len(msgs), nil
}

// send calls the provider once and records what its answer allows.
func (s *Sender) send(ctx context.Context, m store.OutboxMessage) error {
	p, ok := s.providers[m.Provider]
	if !ok {
		return s.finish(ctx, m, store.SendResult{Outcome: store.SendFailed, Error: fmt.Sprintf("no %s provider is configured", m.Provider)})
	}
	if b := s.limits[m.Provider]; b != nil {
		if err := b.wait(ctx); err != nil {
			return err
		}
	}
	r := p.Send(ctx, sms.Message{To: m.To, Body: m.Body, TemplateID: m.Template, Ref: strconv.FormatInt(m.ID, 10)})
	s.m.sends.WithLabelValues(m.Provider, r.Outcome.String()).Inc()
	return s.finish(ctx, m, s.decide(m, r))
}

// decide maps a provider's answer to what is recorded. Rejected is final:
// the provider read the request and refused it (bad number, template
// mismatch, no balance), and the same request would be refused again;
// staff requeue by hand once the cause is fixed.
func (s *Sender) decide(m store.OutboxMessage, r sms.Result) store.SendResult {
	msg := ""
	if r.Err != nil {
		msg = r.Err.Error()
	}
	switch r.Outcome {
	case sms.Accepted:
		return store.SendResult{Outcome: store.SendSent, ProviderID: r.ProviderID}
	case sms.Rejected:
		return store.SendResult{Outcome: store.SendFailed, ProviderID: r.ProviderID, Error: msg}
	case sms.NotSent:
		if m.Attempts >= s.cfg.MaxAttempts {
			return store.SendResult{Outcome: store.SendFailed, Error: fmt.Sprintf("gave up after %d attempts: %s", m.Attempts, msg)}
		}
		return store.SendResult{Outcome: store.SendRetry, Error: msg, RetryAfter: max(r.RetryAfter, s.backoff(m.Attempts))}
	}
	return store.SendResult{Outcome: store.SendUnknown, Error: msg}
}

func (s *Sender) backoff(attempts int) time.Duration {
	d := s.cfg.Backoff << min(attempts-1, 16)
	return min(d, 10*time.Minute)
}

func (s *Sender) finish(ctx context.Context, m store.OutboxMessage, r store.SendResult) error {
	_, err := s.db.FinishMessage(ctx, m.ID, s.cfg.Owner, r)
	if err != nil {
		return fmt.Errorf("outbox: recording message %d as %s: %w", m.ID, r.Outcome, err)
	}
	s.m.finished.WithLabelValues(string(r.Outcome)).Inc()
	return nil
}
