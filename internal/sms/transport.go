package sms

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxResponse bounds how much of a provider's answer is read.
const maxResponse = 64 << 10

// exchange is one request and what came back: either a response (status and
// body, read in full) or a transport error, plus whether any of the request
// can have reached the provider — the line between NotSent and Unknown.
type exchange struct {
	status  int
	header  http.Header
	body    []byte
	mayHave bool // the request was written, or a write was under way when Do returned
	err     error
}

// writeTracker follows httptrace's view of the request. net/http writes on
// its own goroutine, which can still be writing (or not yet have reported)
// when Do returns on a timeout, so "a connection was obtained but no write
// result came back" counts as possibly sent. A failed write on one
// connection that net/http then retries on another resets to the new attempt.
type writeTracker struct {
	mu      sync.Mutex
	conn    bool // a connection was handed to this request
	pending bool // ...and its write has not reported yet
	written bool // some attempt's write completed
}

func (w *writeTracker) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) {
			w.mu.Lock()
			w.conn, w.pending = true, true
			w.mu.Unlock()
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			w.mu.Lock()
			w.pending = false
			if info.Err == nil {
				w.written = true
			}
			w.mu.Unlock()
		},
	}
}

func (w *writeTracker) mayHaveSent() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.written || (w.conn && w.pending)
}

// do sends req once, without following redirects, and reads the answer.
func do(client *http.Client, req *http.Request) exchange {
	var w writeTracker
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), w.trace()))
	resp, err := noRedirects(client).Do(req)
	if err != nil {
		return exchange{err: err, mayHave: w.mayHaveSent()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	return exchange{status: resp.StatusCode, header: resp.Header, body: body, err: err, mayHave: true}
}

// noRedirects copies client so a redirect comes back as a response: following
// one would turn the POST into a GET that sends nothing, or send twice.
func noRedirects(client *http.Client) *http.Client {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// transportResult classifies an exchange that failed before a full answer was
// read. Written or not is all that matters: a timeout or reset after the write
// may have delivered the message; before it, nothing can have.
func transportResult(provider string, x exchange) Result {
	if !x.mayHave {
		return Result{Outcome: NotSent, Err: fmt.Errorf("sms: %s: request not sent: %w", provider, x.err)}
	}
	if x.status != 0 {
		return Result{Outcome: Unknown, Err: fmt.Errorf("sms: %s: reading the answer to HTTP %d: %w", provider, x.status, x.err)}
	}
	return Result{Outcome: Unknown, Err: fmt.Errorf("sms: %s: no answer after the request was sent: %w", provider, x.err)}
}

// statusResult classifies an HTTP status that is not a success: 429 is a
// refusal before processing, other 4xx (and 3xx) a rejection, 5xx unknown —
// a gateway can fail after handing the message on.
func statusResult(provider string, x exchange, detail string) Result {
	err := fmt.Errorf("sms: %s: HTTP %d%s", provider, x.status, detail)
	switch {
	case x.status == http.StatusTooManyRequests:
		return Result{Outcome: NotSent, Err: err, RetryAfter: retryAfter(x.header.Get("Retry-After"), time.Now())}
	case x.status >= 500:
		return Result{Outcome: Unknown, Err: err}
	default:
		return Result{Outcome: Rejected, Err: err}
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date. Anything
// else, or a time already past, is 0 (the provider gave no usable hint).
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s <= 0 || s > 24*3600 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// errEmptyID is an accepted answer that carries no id to reconcile with.
var errEmptyID = errors.New("answer has no message id")
