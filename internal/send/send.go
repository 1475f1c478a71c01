// Package send is what every outbound channel's provider has in common
// with the at-most-once outbox sender: one message in, one Result out, and
// an Outcome that says whether the message can have gone out.
//
// The outbox sender uses it; the channel packages (sms for SMS gateways,
// graph for WhatsApp's Cloud API) implement Provider and know nothing of
// each other. It is not part of outbox because outbox reads graph's
// messages (their fallback templates), and the channel packages must not
// depend on the sender. It holds no state, no wire format and no SQL.
package send

import (
	"context"
	"time"
)

// Message is one outbound message as a provider gets it.
type Message struct {
	To         string // E.164, e.g. +919876543210
	From       string // the sender where a provider has several (a WhatsApp business number's id); "" for one
	Body       string // what the channel's package sends: an SMS's text, a WhatsApp message's encoding
	TemplateID string // the template registered for Body, where the channel registers them (DLT for SMS)
	Ref        string // our outbox id, echoed back in delivery reports where the provider supports it
	Unicode    bool   // SMS: force UCS-2; a body that needs it is sent as Unicode anyway
}

// Outcome says what a send attempt did, in the terms the at-most-once sender
// needs: may it try again?
//
// The zero value is Unknown, so a Result nobody filled in never permits a
// resend.
type Outcome int

const (
	// Unknown: the request was written but no usable answer came back (a
	// timeout, a reset, a 5xx). The message may have gone out; never blindly
	// resend, reconcile from delivery reports instead.
	Unknown Outcome = iota
	// Accepted: the provider took the message; Result.ProviderID is its id.
	Accepted
	// Rejected: the provider answered that it did not accept the message
	// (bad number, template mismatch, no balance). Nothing went out; retrying
	// the same request will usually fail the same way.
	Rejected
	// NotSent: the request never reached the provider (connection refused,
	// never written) or was turned away before processing (429). Safe to
	// retry, after Result.RetryAfter when set.
	NotSent
)

func (o Outcome) String() string {
	switch o {
	case Accepted:
		return "accepted"
	case Rejected:
		return "rejected"
	case NotSent:
		return "not_sent"
	default:
		return "unknown"
	}
}

// Result is what one Send did.
type Result struct {
	Outcome    Outcome
	ProviderID string        // set when Accepted
	Err        error         // why, for every outcome but Accepted
	RetryAfter time.Duration // the wait the provider asked for (a 429's Retry-After) or documents for Code; 0: none
	Code       int           // the provider's error code, when its answer carried one (WhatsApp's Graph codes)
}

// Provider sends one message. Send never panics and never returns without a
// Result; it does not retry (that is the sender's decision).
type Provider interface {
	Name() string
	Send(ctx context.Context, m Message) Result
}
