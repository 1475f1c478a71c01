// Package sms owns SMS providers' wire formats and India's DLT rules:
// rendering registered templates, counting parts, sending through a provider
// (Exotel, or a log for development), and reading its delivery reports.
//
// It holds no state and no SQL. The outbox sender decides what to do with a
// Result; this package only says, as exactly as the transport allows, whether
// a message can have gone out.
package sms

import (
	"context"
	"time"
)

// Message is one SMS to send.
type Message struct {
	To         string // E.164, e.g. +919876543210
	Body       string // the rendered text; must match the DLT template exactly
	TemplateID string // DLT template id (19 digits)
	Unicode    bool   // force UCS-2; a body that needs it is sent as Unicode anyway
	Ref        string // our outbox id, echoed back in delivery reports where the provider supports it
	From       string // the sender where a provider has several (WhatsApp phone_number_id); "" for SMS
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
	RetryAfter time.Duration // from a 429's Retry-After; 0 when the provider gave none
	Code       int           // the provider's error code, when its answer carried one (WhatsApp's Graph codes)
}

// Provider sends one message. Send never panics and never returns without a
// Result; it does not retry (that is the sender's decision).
type Provider interface {
	Name() string
	Send(ctx context.Context, m Message) Result
}
