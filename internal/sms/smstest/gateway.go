// Package smstest provides a fake SMS gateway for tests: a real HTTP server
// on loopback, kept out of the jodo binary.
package smstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/ist"
)

// FakeGateway is a real HTTP server on loopback that speaks Exotel's Send SMS
// API and receives MSG91 Flow requests, for tests in this and other packages.
// It records every request, can fail or delay them, and queues Exotel status
// callbacks that a test posts when, and in the order, it likes.
//
// Point ExotelConfig.BaseURL (or the MSG91 base URL) at URL.
type FakeGateway struct {
	URL string

	srv   *httptest.Server
	done  chan struct{}
	close sync.Once

	mu        sync.Mutex
	received  []ReceivedSMS
	callbacks []Callback
	failN     int
	failCode  int
	delay     time.Duration
}

// ReceivedSMS is one request the gateway received, failed ones included.
type ReceivedSMS struct {
	Provider   string     // "exotel" or "msg91"
	Path       string     // request path
	User       string     // Exotel's basic-auth user (API key), or MSG91's authkey
	Form       url.Values // Exotel's form fields, as decoded
	JSON       []byte     // MSG91's body, as sent
	To         string     // Exotel To; MSG91 recipients' mobiles, comma-separated
	From       string     // Exotel From; MSG91 sender
	Body       string     // Exotel Body; MSG91 sends variables only
	TemplateID string     // Exotel DltTemplateId; MSG91 flow_id
	Ref        string     // Exotel CustomField
	ID         string     // the message id answered; "" when the request was failed
	HTTPStatus int        // the status answered
	At         time.Time
}

// Callback is a delivery report the gateway will post: a URL and a form.
type Callback struct {
	URL  string
	Form url.Values
}

// NewFakeGateway starts a gateway on 127.0.0.1. Close it when done.
func NewFakeGateway() *FakeGateway {
	g := &FakeGateway{done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/Accounts/{sid}/Sms/send", g.exotel)
	mux.HandleFunc("POST /v1/Accounts/{sid}/Sms/send.json", g.exotel)
	mux.HandleFunc("POST /api/v5/flow", g.msg91)
	mux.HandleFunc("POST /api/v5/flow/", g.msg91)
	g.srv = httptest.NewServer(mux)
	g.URL = g.srv.URL
	return g
}

// Close stops the gateway, cutting short any delayed answer.
func (g *FakeGateway) Close() {
	g.close.Do(func() {
		close(g.done)
		g.srv.Close()
	})
}

// Received is every request so far, in arrival order.
func (g *FakeGateway) Received() []ReceivedSMS {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.received)
}

// FailNext answers the next n requests with status (500, 429 with
// Retry-After: 1, 400 …) and an Exotel RestException; they are recorded but
// not accepted.
func (g *FakeGateway) FailNext(n int, status int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failN, g.failCode = n, status
}

// Delay holds every later answer for d (0 to stop). The message is accepted
// and recorded first, so a client that times out meanwhile leaves a message
// that did go out — the case the sender must not resend.
func (g *FakeGateway) Delay(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.delay = d
}

// Callbacks is the delivery reports queued and not yet sent: one "delivered"
// report per accepted Exotel message that named a StatusCallback.
func (g *FakeGateway) Callbacks() []Callback {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.callbacks)
}

// SendCallbacks posts the queued reports, in arrival order or reversed, and
// clears the queue. It stops at the first report the receiver does not
// answer with 2xx.
func (g *FakeGateway) SendCallbacks(ctx context.Context, reversed bool) error {
	g.mu.Lock()
	cbs := g.callbacks
	g.callbacks = nil
	g.mu.Unlock()
	if reversed {
		slices.Reverse(cbs)
	}
	for _, cb := range cbs {
		if err := PostCallback(ctx, cb); err != nil {
			return err
		}
	}
	return nil
}

// ExotelCallback is the StatusCallback Exotel would post for r, e.g.
// ("sent", "DELIVERED_TO_HANDSET", 20005) or ("failed", "DLT_TEMPLATE_DOES_NOT_MATCH", 23185).
func ExotelCallback(r ReceivedSMS, status, detailed string, code int) Callback {
	return Callback{URL: r.Form.Get("StatusCallback"), Form: url.Values{
		"SmsSid":             {r.ID},
		"To":                 {exotelNumber(r.To)},
		"Status":             {status},
		"SmsUnits":           {"1"},
		"DetailedStatus":     {detailed},
		"DetailedStatusCode": {fmt.Sprint(code)},
		"DateSent":           {time.Now().In(ist.Zone).Format("2006-01-02 15:04:05")},
		"CustomField":        {r.Ref},
	}}
}

// PostCallback posts one report as a form, the way Exotel does.
func PostCallback(ctx context.Context, cb Callback) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cb.URL, strings.NewReader(cb.Form.Encode()))
	if err != nil {
		return fmt.Errorf("fake gateway: callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("fake gateway: callback: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("fake gateway: callback to %s: HTTP %d", cb.URL, resp.StatusCode)
	}
	return nil
}

func (g *FakeGateway) exotel(w http.ResponseWriter, r *http.Request) {
	user, _, _ := r.BasicAuth()
	_ = r.ParseForm()
	f := r.PostForm
	rec := ReceivedSMS{Provider: "exotel", Path: r.URL.Path, User: user, Form: f,
		To: f.Get("To"), From: f.Get("From"), Body: f.Get("Body"),
		TemplateID: f.Get("DltTemplateId"), Ref: f.Get("CustomField")}
	status, problem := g.verdict(user != "", "API key and token required")
	if status == http.StatusOK {
		for _, k := range []string{"From", "To", "Body", "DltEntityId"} {
			if f.Get(k) == "" {
				status, problem = http.StatusBadRequest, k+" is required"
			}
		}
	}
	if status != http.StatusOK {
		g.record(rec, status)
		g.answer(w, r, status, map[string]any{"RestException": map[string]any{"Status": status, "Message": problem}})
		return
	}
	rec = g.record(rec, status)
	now := time.Now().In(ist.Zone).Format("2006-01-02 15:04:05")
	g.answer(w, r, status, map[string]any{"SMSMessage": map[string]any{
		"Sid": rec.ID, "AccountSid": r.PathValue("sid"), "From": "08047123456/" + rec.From, "To": exotelNumber(rec.To),
		"DateCreated": now, "DateUpdated": now, "DateSent": nil, "Body": rec.Body, "Direction": "outbound-api",
		"Uri": "/v1/Accounts/" + r.PathValue("sid") + "/SMS/Messages/" + rec.ID + ".json", "ApiVersion": nil,
		"Price": nil, "Status": "queued", "DetailedStatusCode": 21010, "DetailedStatus": "PENDING_TO_OPERATOR", "SmsUnits": nil,
	}})
}

func (g *FakeGateway) msg91(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var flow struct {
		FlowID     string              `json:"flow_id"`
		Sender     string              `json:"sender"`
		Recipients []map[string]string `json:"recipients"`
	}
	jsonErr := json.Unmarshal(body, &flow)
	var mobiles []string
	for _, rc := range flow.Recipients {
		mobiles = append(mobiles, rc["mobiles"])
	}
	rec := ReceivedSMS{Provider: "msg91", Path: r.URL.Path, User: r.Header.Get("authkey"), JSON: bytes.Clone(body),
		To: strings.Join(mobiles, ","), From: flow.Sender, TemplateID: flow.FlowID}
	status, problem := g.verdict(rec.User != "", "authkey required")
	if status == http.StatusOK && (jsonErr != nil || flow.FlowID == "" || len(mobiles) == 0) {
		status, problem = http.StatusBadRequest, "flow_id and recipients required"
	}
	rec = g.record(rec, status)
	if status != http.StatusOK {
		g.answer(w, r, status, map[string]any{"type": "error", "message": problem})
		return
	}
	g.answer(w, r, status, map[string]any{"type": "success", "message": rec.ID})
}

// verdict is the status to answer: a queued failure first, then 401 when the
// request carried no credentials.
func (g *FakeGateway) verdict(authed bool, unauthed string) (int, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.failN > 0 {
		g.failN--
		return g.failCode, "failure injected by the fake gateway"
	}
	if !authed {
		return http.StatusUnauthorized, unauthed
	}
	return http.StatusOK, ""
}

// record keeps rec; an accepted one gets an id and, for Exotel with a
// StatusCallback, a queued delivery report.
func (g *FakeGateway) record(rec ReceivedSMS, status int) ReceivedSMS {
	rec.HTTPStatus, rec.At = status, time.Now()
	if status == http.StatusOK {
		rec.ID = newSid()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.received = append(g.received, rec)
	if rec.ID != "" && rec.Provider == "exotel" && rec.Form.Get("StatusCallback") != "" {
		g.callbacks = append(g.callbacks, ExotelCallback(rec, "sent", "DELIVERED_TO_HANDSET", 20005))
	}
	return rec
}

// answer waits out any delay (cut short if the client goes or the gateway
// closes), then writes v as JSON.
func (g *FakeGateway) answer(w http.ResponseWriter, r *http.Request, status int, v any) {
	g.mu.Lock()
	d := g.delay
	g.mu.Unlock()
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-g.done:
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// exotelNumber is how Exotel echoes an Indian number: 0 and ten digits.
func exotelNumber(to string) string {
	if rest, ok := strings.CutPrefix(to, "+91"); ok && len(rest) == 10 {
		return "0" + rest
	}
	return to
}

func newSid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
