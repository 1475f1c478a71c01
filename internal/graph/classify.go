package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// answer is what Graph sends back: messages on a send, error on a refusal.
type answer struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
	Error *graphError `json:"error"`
}

type graphError struct {
	Message   string `json:"message"`
	Type      string `json:"type"`
	Code      int    `json:"code"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
	TraceID string `json:"fbtrace_id"`
}

// waits are how long to hold off after a code that says nothing went out,
// where PROVIDERS.md §1.7–1.8 gives one.
var waits = map[int]time.Duration{
	CodePairRateLimit:   6 * time.Second, // about one message per 6 s to a user
	CodeNumberUpgrading: time.Minute,     // "≤ 1 min"
}

// outcome is what an error code in the answer to a send means for the
// message, from the one table of codes (whatsapp.Classify): rate limits
// and a number being upgraded were refused before sending (NotSent);
// the other passing failures may come after the message was handed on
// (Unknown); everything else listed is a refusal (Rejected). ok is false
// for a code the table does not know.
func outcome(code int) (o send.Outcome, ok bool) {
	switch whatsapp.Classify(code) {
	case whatsapp.RateLimitedBusiness, whatsapp.RateLimitedPair:
		return send.NotSent, true
	case whatsapp.Retryable:
		if code == CodeNumberUpgrading {
			return send.NotSent, true
		}
		return send.Unknown, true
	case whatsapp.OutsideWindow, whatsapp.Undeliverable, whatsapp.Permanent, whatsapp.InvalidRequest, whatsapp.AccountProblem:
		return send.Rejected, true
	}
	return send.Unknown, false
}

// classify turns an exchange into a send.Result: ProviderID is the wamid,
// Code the Graph error code, RetryAfter the Retry-After header or else the
// wait documented for Code. Graph errors are judged by error.code, not the
// HTTP status (Meta answers 130429 with a 400); the status decides only
// for codes not listed here and answers without one.
func classify(x exchange) send.Result {
	if x.Status == 0 || (x.Err != nil && x.Status/100 == 2) {
		return transportResult(x)
	}
	var a answer
	jsonErr := json.Unmarshal(x.Body, &a)
	switch {
	case a.Error != nil && a.Error.Code != 0:
		return codeResult(x, a.Error)
	case x.Status/100 != 2:
		return statusResult(x)
	case jsonErr != nil:
		return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("graph: HTTP %d with an unreadable answer: %w", x.Status, jsonErr)}
	case len(a.Messages) == 0 || a.Messages[0].ID == "":
		return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("graph: HTTP %d: answer has no message id", x.Status)}
	}
	return send.Result{Outcome: send.Accepted, ProviderID: a.Messages[0].ID}
}

func codeResult(x exchange, e *graphError) send.Result {
	msg := e.Message
	if e.ErrorData.Details != "" {
		msg += ": " + e.ErrorData.Details
	}
	r := send.Result{Code: e.Code, Err: fmt.Errorf("graph: HTTP %d: %s (fbtrace_id %s)", x.Status, msg, e.TraceID)}
	o, known := outcome(e.Code)
	switch {
	case !known:
		r.Outcome, r.RetryAfter = statusResult(x).Outcome, retryAfter(x.Header)
	case o == send.NotSent:
		r.Outcome, r.RetryAfter = o, max(retryAfter(x.Header), waits[e.Code])
	default:
		r.Outcome = o
	}
	return r
}

// statusResult classifies a failure without a Graph error: 429 is a refusal
// before processing, 5xx may have come after the message was handed on,
// anything else (3xx, 4xx) a rejection.
func statusResult(x exchange) send.Result {
	err := fmt.Errorf("graph: HTTP %d without a Graph error", x.Status)
	switch {
	case x.Status == http.StatusTooManyRequests:
		return send.Result{Outcome: send.NotSent, Err: err, RetryAfter: retryAfter(x.Header)}
	case x.Status >= 500:
		return send.Result{Outcome: send.Unknown, Err: err}
	}
	return send.Result{Outcome: send.Rejected, Err: err}
}

// redact keeps the token out of r.Err: Graph quotes a malformed token in its
// error message, and errors end up in logs.
func redact(r send.Result, token string) send.Result {
	if r.Err != nil && token != "" && strings.Contains(r.Err.Error(), token) {
		r.Err = errors.New(strings.ReplaceAll(r.Err.Error(), token, "[token]"))
	}
	return r
}

// transportResult: no full answer. Whether the request was written is all
// that matters.
func transportResult(x exchange) send.Result {
	if !x.MayHave {
		return send.Result{Outcome: send.NotSent, Err: fmt.Errorf("graph: request not sent: %w", x.Err)}
	}
	if x.Status != 0 {
		return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("graph: reading the answer to HTTP %d: %w", x.Status, x.Err)}
	}
	return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("graph: no answer after the request was sent: %w", x.Err)}
}
