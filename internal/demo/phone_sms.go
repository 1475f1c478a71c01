package demo

import (
	"context"
	"crypto/rand"
	"slices"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/send"
)

// kept is how many messages the phone keeps per number, and for how many
// numbers: the demo runs for hours with a trickle of arrivals, and only
// the latest matter to the page.
const (
	keptPerNumber = 20
	keptNumbers   = 2000
)

// SMS is a text the demo "sent" to one of its live numbers.
type SMS struct {
	Body string
	At   time.Time
}

// Inbox is the SMS the demo "sent" to its live numbers, kept per number
// for the phone page and the trickle to read.
type Inbox struct{ texts latest[SMS] }

// NewInbox is an empty inbox.
func NewInbox() *Inbox { return &Inbox{texts: latest[SMS]{per: keptPerNumber}} }

// Around is the demo's SMS provider: it wraps the configured one (the log
// provider) and keeps what goes to the live numbers in the inbox instead
// of printing it, so the phone page can show it and the trickle's few a
// minute do not bury what jodo demo printed at start. Any other number
// goes to inner as before.
func (b *Inbox) Around(inner send.Provider) send.Provider { return inboxSender{b, inner} }

type inboxSender struct {
	inbox *Inbox
	inner send.Provider
}

// Name is the wrapped provider's: the outbox routes by it.
func (s inboxSender) Name() string { return s.inner.Name() }

// Send keeps a message to a live number and accepts it; passes any other on.
func (s inboxSender) Send(ctx context.Context, m send.Message) send.Result {
	if !IsLive(m.To) {
		return s.inner.Send(ctx, m)
	}
	s.inbox.keep(m.To, m.Body)
	return send.Result{Outcome: send.Accepted, ProviderID: "demo-" + rand.Text()[:16]}
}

func (b *Inbox) keep(to, body string) { b.texts.add(to, SMS{Body: body, At: time.Now()}) }

// Texts is what number has been sent, oldest first.
func (b *Inbox) Texts(number string) []SMS { return b.texts.get(number) }

// latest keeps the latest per items of each number, for the latest
// keptNumbers numbers.
type latest[T any] struct {
	per   int
	mu    sync.Mutex
	items map[string][]T
	order []string // numbers, oldest first, for forgetting
}

func (l *latest[T]) add(number string, v T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.items == nil {
		l.items = map[string][]T{}
	}
	if _, ok := l.items[number]; !ok {
		l.order = append(l.order, number)
		if len(l.order) > keptNumbers {
			delete(l.items, l.order[0])
			l.order = l.order[1:]
		}
	}
	list := append(l.items[number], v)
	l.items[number] = list[max(0, len(list)-l.per):]
}

func (l *latest[T]) get(number string) []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.items[number])
}
