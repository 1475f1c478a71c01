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

// Another is a worker sharing w's engine and metrics under its own lease
// owner, for another loop on the same node: leases must tell loops apart,
// or one loop could release what another leased after a lease ran out.
func (w *Worker) Another(n int) *Worker {
	o := *w
	o.cfg.Owner = fmt.Sprintf("%s/%d", w.cfg.Owner, n)
	return &o
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
// answers them all in one transaction; it reports how many it leased. The
// batch is first answered straight through; if that fails, it is answered
// again with each conversation in a savepoint, so one that fails (its
// first message set aside) or whose lease ran out does not hold up the
// rest.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	convs, err := w.db.LeaseConversations(ctx, w.cfg.Owner, w.cfg.Batch, w.cfg.Lease)
	if err != nil || len(convs) == 0 {
		return 0, err
	}
	var b batch
	err = w.db.Update(ctx, func(tx *store.Tx) error { return w.answerAll(ctx, tx, convs, false, &b) })
	if err != nil && ctx.Err() == nil {
		err = w.db.Update(ctx, func(tx *store.Tx) error { return w.answerAll(ctx, tx, convs, true, &b) })
	}
	if err != nil {
		return 0, fmt.Errorf("bot: answering %d conversations: %w", len(convs), err)
	}
	for outcome, n := range b.tally {
		w.steps.WithLabelValues(outcome).Add(float64(n))
	}
	for _, d := range b.delays {
		w.delay.Observe(d.Seconds())
	}
	if len(b.replies) > 0 && w.cfg.Replied != nil {
		w.cfg.Replied()
	}
	return len(convs), nil
}

// batch is what answering a batch of conversations came to.
type batch struct {
	replies   []store.OutboxMessage
	processed []store.Processed
	releases  []store.Release // conversations answered straight through, to release together
	tally     map[string]int
	delays    []time.Duration
	// chatMerged: a chat was folded into another person (a join code),
	// whose chat context read for the batch may be out of date now;
	// answered: the people a step has answered in this batch (one person
	// may write to two business numbers), whose contexts may be, too.
	chatMerged bool
	answered   map[int64]bool
}

// add takes in what one conversation, answered on its own, came to.
func (b *batch) add(one batch) {
	b.replies, b.processed = append(b.replies, one.replies...), append(b.processed, one.processed...)
	b.delays = append(b.delays, one.delays...)
	b.chatMerged = b.chatMerged || one.chatMerged
	for k, n := range one.tally {
		b.tally[k] += n
	}
}

// errLeaseLost: a conversation's lease ran out while it was being
// answered, and another worker has it.
var errLeaseLost = errors.New("bot: the conversation's lease ran out")

// errUnqueueable: a conversation's replies could not be queued (its wa_id
// is no phone number, say), so none of its messages can be answered.
var errUnqueueable = errors.New("its replies cannot be queued")

// answerAll answers convs in tx, then queues every reply and marks every
// message answered in one statement each. Isolated, each conversation runs
// in a savepoint and queues its own replies there: one that fails, or
// whose replies cannot be queued, is undone and set aside alone.
func (w *Worker) answerAll(ctx context.Context, tx *store.Tx, convs []store.ConversationWork, isolated bool, b *batch) error {
	*b = batch{tally: map[string]int{}, answered: map[int64]bool{}} // Update may run this again
	ids := make([]int64, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	// Who each person is, read for all at once with their messages: good
	// for their first message; a later one's step reads it again, after
	// what the first one changed.
	keys := make([]store.ChatKey, len(convs))
	for i, c := range convs {
		keys[i] = store.ChatKey{PersonID: c.PersonID, DriveID: c.DriveID}
	}
	pending, chats, err := store.PendingWork(ctx, tx, ids, keys)
	if err != nil {
		return err
	}
	for _, c := range convs {
		if !isolated {
			st, err := w.answer(ctx, tx, c, pending[c.ID], chats, b)
			if err != nil {
				return err
			}
			b.releases = append(b.releases, store.Release{ID: c.ID, State: st.String(), Seq: c.Seq})
			continue
		}
		one := batch{tally: map[string]int{}, chatMerged: b.chatMerged, answered: b.answered}
		err := store.Isolate(ctx, tx, func() error {
			st, err := w.answer(ctx, tx, c, pending[c.ID], chats, &one)
			if err != nil {
				return err
			}
			if err := store.QueueMessages(ctx, tx, one.replies); err != nil {
				return fmt.Errorf("%w: %w", errUnqueueable, err)
			}
			held, err := store.ReleaseConversation(ctx, tx, w.cfg.Owner, store.Release{ID: c.ID, State: st.String(), Seq: c.Seq})
			if err == nil && !held {
				err = errLeaseLost
			}
			return err
		})
		switch {
		case errors.Is(err, errLeaseLost):
			continue // another worker answers it
		case err != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err := w.poisoned(ctx, tx, c, pending[c.ID], err); err != nil {
				return err
			}
			b.tally["failed"]++
			continue
		}
		b.add(one)
	}
	held, err := store.ReleaseConversations(ctx, tx, w.cfg.Owner, b.releases)
	if err == nil && !held {
		err = errLeaseLost // some lease ran out: answer again, isolated, without it
	}
	if err != nil {
		return err
	}
	if err := store.MarkProcessedMany(ctx, tx, b.processed); err != nil || isolated {
		return err // isolated, each conversation queued its own replies
	}
	return store.QueueMessages(ctx, tx, b.replies)
}

// answer answers c's waiting messages in order, in tx, adding the replies
// to queue and the messages to mark to b, and returns c's new state.
func (w *Worker) answer(ctx context.Context, tx *store.Tx, c store.ConversationWork, msgs []store.InboxRow,
	chats map[store.ChatKey]store.ChatContext, b *batch) (State, error) {
	st := ParseState(c.State)
	chat, known := chats[store.ChatKey{PersonID: c.PersonID, DriveID: c.DriveID}]
	for _, m := range msgs {
		wm, err := whatsapp.ReadMessage(m.Payload)
		if err != nil || wm.From == "" {
			b.tally["unreadable"]++
			b.processed = append(b.processed, store.Processed{ID: m.ID, Note: "not answered: the message names no WhatsApp number to reply to"})
			continue
		}
		var res Outcome
		if known && !b.chatMerged && !b.answered[c.PersonID] {
			res, err = w.engine.StepInChat(ctx, tx, c, st, FromWhatsApp(wm), chat)
			known = false
		} else {
			res, err = w.engine.Step(ctx, tx, c, st, FromWhatsApp(wm))
		}
		if err != nil {
			return st, fmt.Errorf("message %d: %w", m.ID, err)
		}
		for _, r := range res.Replies {
			body, err := Outgoing(r, "").Encode()
			if err != nil {
				return st, fmt.Errorf("message %d: reply: %w", m.ID, err)
			}
			b.replies = append(b.replies, store.OutboxMessage{PersonID: res.PersonID, Channel: store.ChannelWhatsApp, Provider: "whatsapp",
				Class: store.ClassRequested, Body: body, To: "+" + strings.TrimPrefix(wm.From, "+"), From: c.Business, DriveID: c.DriveID})
		}
		note := res.Note
		if len(res.Replies) == 0 && note == "" {
			note = "not answered: the person said STOP"
		}
		b.processed = append(b.processed, store.Processed{ID: m.ID, Note: note})
		if len(res.Replies) > 0 {
			b.tally["answered"]++
		} else {
			b.tally["silent"]++
		}
		b.delays = append(b.delays, tx.Now.Sub(m.ReceivedAt))
		if res.PersonID != c.PersonID {
			b.chatMerged = true
		}
		b.answered[c.PersonID], b.answered[res.PersonID] = true, true
		st, c.PersonID = res.State, res.PersonID
	}
	return st, nil
}

// poisoned sets aside the first waiting message of a conversation the
// engine failed on, so the rest of it, and everyone else, is answered;
// when its replies could not be queued, every message read is set aside,
// since no reply to that sender can be. The failure is logged without the
// message's content.
func (w *Worker) poisoned(ctx context.Context, tx *store.Tx, c store.ConversationWork, msgs []store.InboxRow, cause error) error {
	w.cfg.Log.Error("bot: a conversation could not be answered; set aside", "conversation", c.ID, "err", cause)
	note := "not answered: " + cut(cause.Error(), 200)
	aside, seq := msgs[:min(len(msgs), 1)], int64(store.KeepWaiting)
	if errors.Is(cause, errUnqueueable) {
		aside, seq = msgs, c.Seq
	}
	done := make([]store.Processed, len(aside))
	for i, m := range aside {
		done[i] = store.Processed{ID: m.ID, Note: note}
	}
	if err := store.MarkProcessedMany(ctx, tx, done); err != nil {
		return err
	}
	_, err := store.ReleaseConversation(ctx, tx, w.cfg.Owner, store.Release{ID: c.ID, State: c.State, Seq: seq})
	return err
}
