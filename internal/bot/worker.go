package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// Worker answers conversations: it leases those with unanswered messages,
// answers each one's messages in the order they arrived, and in the same
// transaction queues the replies, saves the state and marks the messages
// answered. A message is answered once, or (if the node dies first) by
// whoever leases the conversation next.
type Worker struct {
	db     *store.DB
	engine *Engine
	cfg    WorkerConfig
	steps  *prometheus.CounterVec
	delay  prometheus.Histogram
}

// WorkerConfig tunes a Worker; zero fields take the defaults.
type WorkerConfig struct {
	Owner      string        // unique per process: leases are held by it
	Batch      int           // conversations leased at once (default 100)
	Lease      time.Duration // how long a lease lasts (default 1m)
	Replied    func()        // called after replies were queued (wakes the sender); may be nil
	Log        *slog.Logger  // may be nil
	Registerer prometheus.Registerer
}

// NewWorker returns a Worker answering with engine.
func NewWorker(db *store.DB, engine *Engine, cfg WorkerConfig) (*Worker, error) {
	if cfg.Owner == "" {
		return nil, errors.New("bot: the worker needs an owner name")
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{db: db, engine: engine, cfg: cfg,
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jodo_bot_steps_total",
			Help: "Inbound messages the bot answered, by outcome (answered, silent: after STOP or erased, unreadable, failed)."}, []string{"outcome"}),
		delay: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "jodo_bot_step_seconds",
			Help:    "From a message's receipt to its replies being queued.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}),
	}
	if cfg.Registerer != nil {
		if err := errors.Join(cfg.Registerer.Register(w.steps), cfg.Registerer.Register(w.delay)); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Step answers one batch of conversations (a worker.Drain): it reports a
// full batch as more work to do.
func (w *Worker) Step(ctx context.Context) (int, error) {
	n, err := w.Drain(ctx)
	if n < w.cfg.Batch {
		n = 0
	}
	return n, err
}

// Drain leases up to a batch of conversations with unanswered messages and
// answers them all in one transaction; it reports how many it leased.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	waiting, err := w.db.ConversationsWaiting(ctx, w.db.Now())
	if err != nil || !waiting {
		return 0, err
	}
	convs, err := w.db.LeaseConversations(ctx, w.cfg.Owner, w.cfg.Batch, w.cfg.Lease)
	if err != nil || len(convs) == 0 {
		return 0, err
	}
	var replies []store.OutboxMessage
	var tally map[string]int
	var delays []time.Duration
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		replies, tally, delays = nil, map[string]int{}, nil // Update may run this again
		for _, c := range convs {
			var mine []store.OutboxMessage
			err := store.Isolate(ctx, tx, func() error {
				var err error
				mine, err = w.answer(ctx, tx, c, tally, &delays)
				return err
			})
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if err := w.poisoned(ctx, tx, c, err); err != nil {
					return err
				}
				tally["failed"]++
				continue
			}
			replies = append(replies, mine...)
		}
		return store.EnqueueMessages(ctx, tx, replies)
	})
	if err != nil {
		return 0, fmt.Errorf("bot: answering %d conversations: %w", len(convs), err)
	}
	for outcome, n := range tally {
		w.steps.WithLabelValues(outcome).Add(float64(n))
	}
	for _, d := range delays {
		w.delay.Observe(d.Seconds())
	}
	if len(replies) > 0 && w.cfg.Replied != nil {
		w.cfg.Replied()
	}
	return len(convs), nil
}

// answer answers c's waiting messages in order, in tx, and returns the
// replies to queue.
func (w *Worker) answer(ctx context.Context, tx *store.Tx, c store.ConversationWork, tally map[string]int, delays *[]time.Duration) ([]store.OutboxMessage, error) {
	held, err := store.HoldConversation(ctx, tx, c.ID, w.cfg.Owner)
	if err != nil || !held {
		return nil, err // the lease ran out and another worker has it
	}
	msgs, err := store.PendingMessages(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	st := ParseState(c.State)
	var out []store.OutboxMessage
	for _, m := range msgs {
		wm, err := whatsapp.ReadMessage(m.Payload)
		if err != nil || wm.From == "" {
			tally["unreadable"]++
			if err := store.MarkProcessed(ctx, tx, m.ID, "not answered: the message names no WhatsApp number to reply to"); err != nil {
				return nil, err
			}
			continue
		}
		res, err := w.engine.Step(ctx, tx, c, st, FromWhatsApp(wm))
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", m.ID, err)
		}
		for _, r := range res.Replies {
			body, err := Outgoing(r, "").Encode()
			if err != nil {
				return nil, fmt.Errorf("message %d: reply: %w", m.ID, err)
			}
			out = append(out, store.OutboxMessage{PersonID: res.PersonID, Channel: store.PurposeWhatsApp, Provider: "whatsapp",
				Class: store.ClassRequested, Body: body, To: "+" + strings.TrimPrefix(wm.From, "+"), From: c.Business, DriveID: c.DriveID})
		}
		note := res.Note
		if len(res.Replies) == 0 && note == "" {
			note = "not answered: the person said STOP"
		}
		if err := store.MarkProcessed(ctx, tx, m.ID, note); err != nil {
			return nil, err
		}
		if len(res.Replies) > 0 {
			tally["answered"]++
		} else {
			tally["silent"]++
		}
		*delays = append(*delays, tx.Now.Sub(m.ReceivedAt))
		st, c.PersonID = res.State, res.PersonID
	}
	return out, store.ReleaseConversation(ctx, tx, c.ID, w.cfg.Owner, st.String())
}

// poisoned sets aside the first waiting message of a conversation the
// engine failed on, so the rest of it, and everyone else, is answered.
// The failure is logged without the message's content.
func (w *Worker) poisoned(ctx context.Context, tx *store.Tx, c store.ConversationWork, cause error) error {
	w.cfg.Log.Error("bot: a message could not be answered; set aside", "conversation", c.ID, "err", cause)
	msgs, err := store.PendingMessages(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	if len(msgs) > 0 {
		if err := store.MarkProcessed(ctx, tx, msgs[0].ID, "not answered: "+cut(cause.Error(), 200)); err != nil {
			return err
		}
	}
	return store.ReleaseConversation(ctx, tx, c.ID, w.cfg.Owner, c.State)
}
