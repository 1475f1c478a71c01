package outbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// answers gathers a batch's results, from several sends at once, until
// they are recorded together.
type answers struct {
	mu      sync.Mutex
	results []store.MessageResult
	bodies  map[int64]string // what goes instead of a message's body (a template outside the window)
}

// add keeps r for message id; a message sent with another body records it.
func (a *answers) add(id int64, r store.SendResult) {
	a.mu.Lock()
	if body, ok := a.bodies[id]; ok && r.Body == "" && (r.Outcome == store.SendSent || r.Outcome == store.SendUnknown) {
		r.Body = body
	}
	a.results = append(a.results, store.MessageResult{ID: id, SendResult: r})
	a.mu.Unlock()
}

// rewrite notes that message id goes with body instead of its own.
func (a *answers) rewrite(id int64, body string) {
	a.mu.Lock()
	if a.bodies == nil {
		a.bodies = map[int64]string{}
	}
	a.bodies[id] = body
	a.mu.Unlock()
}

// sendAll sends msgs with at most Concurrency provider calls in flight,
// started in claim order (a claim holds at most one WhatsApp message per
// person: store.ClaimMessages keeps a conversation's replies in order).
// Once ctx ends it starts no more: those messages get no answer and stay
// claimed.
func (s *Sender) sendAll(ctx context.Context, msgs []store.OutboxMessage, a *answers) error {
	queue := make(chan store.OutboxMessage, len(msgs))
	for _, m := range msgs {
		queue <- m
	}
	close(queue)
	errs := make([]error, min(s.cfg.Concurrency, len(msgs)))
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			for m := range queue {
				r, err := s.send(ctx, m)
				if errs[w] = err; err != nil {
					return
				}
				a.add(m.ID, r)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// send waits for its number's turn, calls the provider once (twice when a
// WhatsApp message outside the window goes again as its template) and
// says what to record.
func (s *Sender) send(ctx context.Context, m store.OutboxMessage) (store.SendResult, error) {
	p, ok := s.providers[m.Provider]
	if !ok {
		return store.SendResult{Outcome: store.SendFailed, Error: fmt.Sprintf("no %s provider is configured", m.Provider)}, nil
	}
	r, err := s.call(ctx, p, m)
	if err != nil {
		return store.SendResult{}, err
	}
	if m.Channel == store.ChannelWhatsApp {
		return s.afterWhatsApp(ctx, p, m, r)
	}
	return s.decide(m, r), nil
}

// call makes one provider call for m, after its number's turn.
func (s *Sender) call(ctx context.Context, p send.Provider, m store.OutboxMessage) (send.Result, error) {
	if err := s.limits.Wait(ctx, m.Provider, m.From); err != nil {
		return send.Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return send.Result{}, err
	}
	r := p.Send(ctx, send.Message{To: m.To, Body: m.Body, TemplateID: m.Template, Ref: strconv.FormatInt(m.ID, 10), From: m.From})
	s.m.sends.WithLabelValues(m.Provider, r.Outcome.String()).Inc()
	return r, nil
}

// decide maps a provider's answer to what is recorded. Rejected is final:
// the provider read the request and refused it (bad number, template
// mismatch, no balance), and the same request would be refused again;
// nothing resends it (a failed message keeps only its summary, its
// secrets masked): the person asks again once the cause is fixed.
func (s *Sender) decide(m store.OutboxMessage, r send.Result) store.SendResult {
	msg := ""
	if r.Err != nil {
		msg = r.Err.Error()
	}
	if r.Code != 0 && m.Channel == store.ChannelWhatsApp {
		msg = fmt.Sprintf("WhatsApp %d (%s): %s", r.Code, whatsapp.Classify(r.Code), msg)
	}
	switch r.Outcome {
	case send.Accepted:
		return store.SendResult{Outcome: store.SendSent, ProviderID: r.ProviderID}
	case send.Rejected:
		return store.SendResult{Outcome: store.SendFailed, ProviderID: r.ProviderID, Error: msg}
	case send.NotSent:
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

// record writes a batch's answers in one transaction, forgetting in it
// what went to someone who erased their data meanwhile.
func (s *Sender) record(ctx context.Context, results []store.MessageResult) error {
	var keyed func(string) string
	if s.cfg.SecretKey != nil {
		keyed = store.KeyedHash(s.cfg.SecretKey)
	}
	if _, err := s.db.FinishMessages(ctx, s.cfg.Owner, results, keyed); err != nil {
		return fmt.Errorf("outbox: recording %d answers: %w", len(results), err)
	}
	for _, r := range results {
		s.m.finished.WithLabelValues(string(r.Outcome)).Inc()
	}
	return nil
}
