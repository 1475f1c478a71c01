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
type Inbox struct {
	mu    sync.Mutex
	texts map[string][]SMS
	order []string // numbers, oldest first, for forgetting
}

// NewInbox is an empty inbox.
func NewInbox() *Inbox { return &Inbox{texts: map[string][]SMS{}} }

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

func (b *Inbox) keep(to, body string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.texts[to]; !ok {
		b.order = append(b.order, to)
		if len(b.order) > keptNumbers {
			delete(b.texts, b.order[0])
			b.order = b.order[1:]
		}
	}
	list := append(b.texts[to], SMS{Body: body, At: time.Now()})
	b.texts[to] = list[max(0, len(list)-keptPerNumber):]
}

// Texts is what number has been sent, oldest first.
func (b *Inbox) Texts(number string) []SMS {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.texts[number])
}
