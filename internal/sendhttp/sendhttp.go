// Package sendhttp makes one provider call for an at-most-once sender and
// says, as exactly as net/http allows, whether any of the request can have
// reached the provider: the line between "safe to retry" and "may have gone
// out, never resend". SMS gateways and the WhatsApp Cloud API both use it.
package sendhttp

import (
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxAnswer bounds how much of a provider's answer is read.
const MaxAnswer = 64 << 10

// Exchange is one request and what came back: a status and body read in
// full, or a transport error, plus whether the request can have reached
// the provider.
type Exchange struct {
	Status  int
	Header  http.Header
	Body    []byte
	MayHave bool // the request was written, or a write was under way when Do returned
	Err     error
}

// writeTracker follows httptrace's view of the request. net/http writes on
// its own goroutine, which can still be writing (or not yet have reported)
// when Do returns on a timeout, so "a connection was obtained but no write
// result came back" counts as possibly sent. A failed write on one
// connection that net/http then retries on another resets to the new
// attempt.
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

// Do sends req once, without following redirects (a redirect would turn
// the POST into a GET that sends nothing, or send twice), and reads up to
// MaxAnswer of the answer. A nil client gets a 30-second timeout.
func Do(client *http.Client, req *http.Request) Exchange {
	var w writeTracker
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), w.trace()))
	resp, err := noRedirects(client).Do(req)
	if err != nil {
		return Exchange{Err: err, MayHave: w.mayHaveSent()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer))
	return Exchange{Status: resp.StatusCode, Header: resp.Header, Body: body, Err: err, MayHave: true}
}

func noRedirects(client *http.Client) *http.Client {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// RetryAfter reads a Retry-After header: seconds or an HTTP date. Anything
// else, a time already past or more than a day, is 0 (no usable hint).
func RetryAfter(v string, now time.Time) time.Duration {
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
	if t, err := http.ParseTime(v); err == nil && t.After(now) && t.Sub(now) <= 24*time.Hour {
		return t.Sub(now)
	}
	return 0
}
