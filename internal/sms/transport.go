package sms

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/sendhttp"
)

// exchange is one provider call (sendhttp.Exchange).
type exchange = sendhttp.Exchange

// do sends req once (sendhttp.Do).
func do(client *http.Client, req *http.Request) exchange { return sendhttp.Do(client, req) }

// transportResult classifies an exchange that failed before a full answer was
// read. Written or not is all that matters: a timeout or reset after the write
// may have delivered the message; before it, nothing can have.
func transportResult(provider string, x exchange) send.Result {
	if !x.MayHave {
		return send.Result{Outcome: send.NotSent, Err: fmt.Errorf("sms: %s: request not sent: %w", provider, x.Err)}
	}
	if x.Status != 0 {
		return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("sms: %s: reading the answer to HTTP %d: %w", provider, x.Status, x.Err)}
	}
	return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("sms: %s: no answer after the request was sent: %w", provider, x.Err)}
}

// statusResult classifies an HTTP status that is not a success: 429 is a
// refusal before processing, other 4xx (and 3xx) a rejection, 5xx unknown —
// a gateway can fail after handing the message on.
func statusResult(provider string, x exchange, detail string) send.Result {
	err := fmt.Errorf("sms: %s: HTTP %d%s", provider, x.Status, detail)
	switch {
	case x.Status == http.StatusTooManyRequests:
		return send.Result{Outcome: send.NotSent, Err: err, RetryAfter: retryAfter(x.Header.Get("Retry-After"), time.Now())}
	case x.Status >= 500:
		return send.Result{Outcome: send.Unknown, Err: err}
	default:
		return send.Result{Outcome: send.Rejected, Err: err}
	}
}

// retryAfter reads a Retry-After header (sendhttp.RetryAfter).
func retryAfter(v string, now time.Time) time.Duration { return sendhttp.RetryAfter(v, now) }

// errEmptyID is an accepted answer that carries no id to reconcile with.
var errEmptyID = errors.New("answer has no message id")
