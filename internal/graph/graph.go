// Package graph is a client for the WhatsApp Business Cloud API on Meta's
// Graph API: it sends text, reply buttons, lists and templates from a
// business phone number.
//
// Like package sms it holds no state and never retries. Each send says, as
// exactly as the transport allows, whether the message can have gone out, in
// the send.Outcome classes the at-most-once outbox sender uses; Provider is
// the client as a send.Provider.
package graph

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

// DefaultBaseURL is the Graph API version PROVIDERS.md §1.6 pins; the version
// is part of the base URL so a deployment can move to a newer one.
const DefaultBaseURL = "https://graph.facebook.com/v24.0"

// Config is one Graph API access: a system-user or business token that may
// send from the business numbers it is given.
type Config struct {
	BaseURL string       // default DefaultBaseURL; a local fake in tests
	Token   string       // sent as a Bearer token, never logged or put in errors
	HTTP    *http.Client // should have a timeout; nil gets one of 30 seconds
}

// Client sends messages through the Cloud API. It is safe for concurrent use.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// New returns a Client for c.
func New(c Config) *Client {
	base := strings.TrimRight(c.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{base: base, token: c.Token, http: hc} // sendhttp.Do never follows redirects
}

// ErrInvalid marks a message refused before sending: over a documented limit,
// missing a field, or given an option that does not apply to its kind.
var ErrInvalid = errors.New("invalid message")

// Graph error codes a caller may act on (PROVIDERS.md §1.7).
const (
	CodeInvalidParameter    = 100    // a bug in the request
	CodeTokenExpired        = 190    // refresh the token
	CodeThroughput          = 130429 // the number's messages per second
	CodeGeneric             = 131000 // "something went wrong"
	CodeUndeliverable       = 131026 // not on WhatsApp, old app, blocked: fall back to SMS
	CodeReEngagement        = 131047 // outside the 24-hour window: send a template
	CodeSpamRateLimit       = 131048 // number restricted for quality: stop
	CodeEcosystemEngagement = 131049 // marketing held back: do not retry soon
	CodePairRateLimit       = 131056 // too many to this one user: wait, then retry them
	CodeNumberUpgrading     = 131057 // throughput upgrade under way, about a minute
)
