package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/sms"
)

// answer is what Graph sends back: messages on a send, success on a read
// receipt, error on a refusal.
type answer struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
	Success bool        `json:"success"`
	Error   *graphError `json:"error"`
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

// Codes that mean "not taken, try later": nothing went out (PROVIDERS.md
// §1.7–1.8), with the wait the document gives, if any.
var tryLater = map[int]time.Duration{
	4:                   0, // app-level call limit
	80007:               0, // WABA-level rate limit
	CodeThroughput:      0,
	CodePairRateLimit:   6 * time.Second, // about one message per 6 s to a user
	CodeNumberUpgrading: time.Minute,     // "≤ 1 min"
}

// Codes that say something failed without saying it failed before sending.
var mayHaveSent = map[int]bool{
	1:           true, // API Unknown: "possible server error"
	2:           true, // API Service: downtime or overload
	CodeGeneric: true,
	131016:      true, // service unavailable
}

// permanent reports the codes that are refusals whatever the HTTP status:
// the same request would fail the same way.
func permanent(code int) bool {
	switch {
	case code >= 132000 && code < 133000: // template errors
		return true
	case code >= 200 && code < 300: // API permission
		return true
	}
	switch code {
	case 3, 10, CodeInvalidParameter, CodeTokenExpired, 368, CodeUndeliverable, 131031,
		CodeReEngagement, CodeSpamRateLimit, CodeEcosystemEngagement, 131050, 131051, 131052, 133010:
		return true
	}
	return false
}

// classify turns an exchange into a Result. Graph errors are judged by
// error.code, not the HTTP status (Meta answers 130429 with a 400); the
// status decides only for codes not listed here and answers without one.
func classify(x exchange, wantID bool) Result {
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
		return Result{Outcome: sms.Unknown, Err: fmt.Errorf("graph: HTTP %d with an unreadable answer: %w", x.Status, jsonErr)}
	case wantID && (len(a.Messages) == 0 || a.Messages[0].ID == ""):
		return Result{Outcome: sms.Unknown, Err: fmt.Errorf("graph: HTTP %d: answer has no message id", x.Status)}
	case wantID:
		return Result{Outcome: sms.Accepted, MessageID: a.Messages[0].ID}
	case !a.Success:
		return Result{Outcome: sms.Unknown, Err: fmt.Errorf("graph: HTTP %d: answer does not say success", x.Status)}
	}
	return Result{Outcome: sms.Accepted}
}

func codeResult(x exchange, e *graphError) Result {
	msg := e.Message
	if e.ErrorData.Details != "" {
		msg += ": " + e.ErrorData.Details
	}
	r := Result{Code: e.Code, Err: fmt.Errorf("graph: HTTP %d: %s (fbtrace_id %s)", x.Status, msg, e.TraceID)}
	wait, later := tryLater[e.Code]
	switch {
	case later:
		r.Outcome, r.RetryAfter = sms.NotSent, max(retryAfter(x.Header), wait)
	case mayHaveSent[e.Code]:
		r.Outcome = sms.Unknown
	case permanent(e.Code):
		r.Outcome = sms.Rejected
	default:
		r.Outcome, r.RetryAfter = statusResult(x).Outcome, retryAfter(x.Header)
	}
	return r
}

// statusResult classifies a failure without a Graph error: 429 is a refusal
// before processing, 5xx may have come after the message was handed on,
// anything else (3xx, 4xx) a rejection.
func statusResult(x exchange) Result {
	err := fmt.Errorf("graph: HTTP %d without a Graph error", x.Status)
	switch {
	case x.Status == http.StatusTooManyRequests:
		return Result{Outcome: sms.NotSent, Err: err, RetryAfter: retryAfter(x.Header)}
	case x.Status >= 500:
		return Result{Outcome: sms.Unknown, Err: err}
	}
	return Result{Outcome: sms.Rejected, Err: err}
}

// redact keeps the token out of r.Err: Graph quotes a malformed token in its
// error message, and errors end up in logs.
func redact(r Result, token string) Result {
	if r.Err != nil && token != "" && strings.Contains(r.Err.Error(), token) {
		r.Err = errors.New(strings.ReplaceAll(r.Err.Error(), token, "[token]"))
	}
	return r
}

// transportResult: no full answer. Whether the request was written is all
// that matters.
func transportResult(x exchange) Result {
	if !x.MayHave {
		return Result{Outcome: sms.NotSent, Err: fmt.Errorf("graph: request not sent: %w", x.Err)}
	}
	if x.Status != 0 {
		return Result{Outcome: sms.Unknown, Err: fmt.Errorf("graph: reading the answer to HTTP %d: %w", x.Status, x.Err)}
	}
	return Result{Outcome: sms.Unknown, Err: fmt.Errorf("graph: no answer after the request was sent: %w", x.Err)}
}
