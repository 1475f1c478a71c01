package sms

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"sync"

	"github.com/jodo-org/jodo/internal/send"
)

// Log is the development provider: it accepts every message, gives it an id
// and writes it, full text and links included, to w. It must never run where
// real people's numbers arrive (the sender's configuration refuses it behind
// https).
type Log struct {
	mu sync.Mutex
	w  io.Writer
}

// NewLog returns a Log writing to w.
func NewLog(w io.Writer) *Log { return &Log{w: w} }

// Name is "log".
func (l *Log) Name() string { return "log" }

// Send writes the message and reports it Accepted. A failed write is Rejected:
// nobody saw it, so the message did not "go out".
func (l *Log) Send(_ context.Context, m send.Message) send.Result {
	id := "log-" + rand.Text()[:16]
	enc, parts := Parts(m.Body)
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := fmt.Fprintf(l.w, "sms %s to=%s template=%s ref=%s %s/%d parts\n%s\n\n", id, m.To, m.TemplateID, m.Ref, enc, parts, m.Body)
	if err != nil {
		return send.Result{Outcome: send.Rejected, Err: fmt.Errorf("sms: log: %w", err)}
	}
	return send.Result{Outcome: send.Accepted, ProviderID: id}
}
