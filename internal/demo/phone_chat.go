package demo

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
)

// Bubble is one message of a WhatsApp chat with the drive's number: the
// person's (Mine) or the bot's, with the buttons or list rows it offers.
type Bubble struct {
	Mine    bool
	Text    string
	Options []Option
	List    bool // the options are a list's rows, not reply buttons
	At      time.Time
}

// Option is a reply button or a list row: its id and title as the bot gave
// them, which is what WhatsApp sends back when it is tapped.
type Option struct{ ID, Title string }

// Chat is the WhatsApp side of the demo's live numbers: it posts what
// they say or tap to Jodo's signed webhook as Meta would, and keeps the
// transcript of each chat from both ends (what they sent, and what the
// fake Graph API accepted for them).
type Chat struct {
	phoneNumberID, display string

	mu                 sync.Mutex
	webhook, appSecret string
	chats              latest[Bubble]
}

// NewChat is a chat with the business number phoneNumberID, shown as
// display (E.164).
func NewChat(phoneNumberID, display string) *Chat {
	return &Chat{phoneNumberID: phoneNumberID, display: display, chats: latest[Bubble]{per: 2 * keptPerNumber}}
}

// Connect points the chat at Jodo's WhatsApp webhook, signing with
// appSecret (the fake Graph API's Connect, seen from the person's side).
func (c *Chat) Connect(webhook, appSecret string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.webhook, c.appSecret = webhook, appSecret
}

// Seen keeps a message the fake Graph API accepted, when it is to a live
// number; it reports whether it was.
func (c *Chat) Seen(r fakemeta.Request) bool {
	to := "+" + strings.TrimPrefix(r.To, "+")
	if !IsLive(to) || r.MessageID == "" {
		return false
	}
	text, opts := fakemeta.Shown(r)
	b := Bubble{Text: text, At: r.At}
	for _, o := range opts {
		b.Options = append(b.Options, Option{ID: o[0], Title: o[1]})
	}
	if in, ok := r.JSON["interactive"].(map[string]any); ok {
		b.List = in["type"] == "list"
	}
	c.keep(to, b)
	return true
}

// ErrNotLive refuses a number outside the demo's live range.
var ErrNotLive = errors.New("demo: not one of the demo's live numbers")

// Say posts a text from number to the drive's WhatsApp number.
func (c *Chat) Say(ctx context.Context, number, text string) error {
	return c.post(ctx, number, Bubble{Mine: true, Text: text}, func(wa, wamid string) []byte {
		return fakemeta.TextBody("+"+c.display, c.phoneNumberID, wa, wamid, text, time.Now())
	})
}

// Tap posts number's tap on a button (list false) or a list row.
func (c *Chat) Tap(ctx context.Context, number string, o Option, list bool) error {
	return c.post(ctx, number, Bubble{Mine: true, Text: o.Title}, func(wa, wamid string) []byte {
		return fakemeta.TapBody("+"+c.display, c.phoneNumberID, wa, wamid, o.ID, o.Title, list, time.Now())
	})
}

func (c *Chat) post(ctx context.Context, number string, mine Bubble, body func(wa, wamid string) []byte) error {
	if !IsLive(number) {
		return ErrNotLive
	}
	c.mu.Lock()
	url, secret := c.webhook, c.appSecret
	c.mu.Unlock()
	if url == "" {
		return errors.New("demo: WhatsApp is not connected")
	}
	wa := strings.TrimPrefix(number, "+")
	mine.At = time.Now()
	c.keep(number, mine)
	return fakemeta.PostWebhook(ctx, url, secret, body(wa, fakemeta.NewWAMID(wa, true)))
}

func (c *Chat) keep(number string, b Bubble) { c.chats.add(number, b) }

// Transcript is number's chat, oldest first.
func (c *Chat) Transcript(number string) []Bubble { return c.chats.get(number) }
