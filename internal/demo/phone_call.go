package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Live is what the phone page and the trickle act through: Jodo's own
// webhooks, at the address the server listens on, as a provider would call
// them, and what the fake providers kept for the live numbers.
type Live struct {
	SMS        *Inbox
	Chat       *Chat
	HookSecret string // the missed-call webhook's secret
	TollFree   string // the drive's missed-call number, as the provider sends it

	mu   sync.Mutex
	base string
}

// client is the providers' side of the webhooks: short, as theirs are.
var client = &http.Client{Timeout: 10 * time.Second}

// Listening tells Live where the server is, once it listens.
func (l *Live) Listening(url string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.base = url
}

// URL is the server's address ("" before it listens).
func (l *Live) URL() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.base
}

// Call gives the drive a missed call from number through the generic
// missed-call webhook, each a new call.
func (l *Live) Call(ctx context.Context, number string) error {
	if !IsLive(number) {
		return ErrNotLive
	}
	base := l.URL()
	if base == "" {
		return errors.New("demo: the server is not listening yet")
	}
	body, _ := json.Marshal(map[string]string{"call_id": "demo-" + rand.Text()[:16], "from": number, "to": l.TollFree})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/hooks/missed-call/"+l.HookSecret, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("demo: call: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if ue, ok := err.(*url.Error); ok {
		err = ue.Err // its address carries the webhook's secret, which is not for the log
	}
	if err != nil {
		return fmt.Errorf("demo: call: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("demo: call: HTTP %d", resp.StatusCode)
	}
	return nil
}
