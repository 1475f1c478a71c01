package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/jodo-org/jodo/internal/send"
)

// Provider is the Client as the outbox sender's send.Provider "whatsapp": a
// message's From is the business number's phone_number_id and its body an
// Outgoing (Encode), sent by kind.
type Provider struct{ C *Client }

// Name is "whatsapp".
func (Provider) Name() string { return "whatsapp" }

// Send sends m's Outgoing from m.From to m.To.
func (p Provider) Send(ctx context.Context, m send.Message) send.Result {
	if m.From == "" {
		return send.Result{Outcome: send.Rejected, Err: errors.New("graph: the message names no business number to send from")}
	}
	o, err := DecodeOutgoing(m.Body)
	if err != nil {
		return send.Result{Outcome: send.Rejected, Err: err}
	}
	return p.C.send(ctx, m.From, strings.TrimPrefix(m.To, "+"), o)
}
