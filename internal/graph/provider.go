package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/jodo-org/jodo/internal/sms"
)

// Provider is the Client as the outbox sender's provider "whatsapp": a
// message's From is the business number's phone_number_id, its body is
// sent as text. (Buttons, lists and templates need the message's shape in
// the outbox; they come with the conversation engine.)
type Provider struct{ C *Client }

// Name is "whatsapp".
func (Provider) Name() string { return "whatsapp" }

// Send sends m's body as a text message from m.From to m.To.
func (p Provider) Send(ctx context.Context, m sms.Message) sms.Result {
	if m.From == "" {
		return sms.Result{Outcome: sms.Rejected, Err: errors.New("graph: the message names no business number to send from")}
	}
	r := p.C.SendText(ctx, m.From, strings.TrimPrefix(m.To, "+"), m.Body)
	return sms.Result{Outcome: r.Outcome, ProviderID: r.MessageID, Err: r.Err, RetryAfter: r.RetryAfter}
}
