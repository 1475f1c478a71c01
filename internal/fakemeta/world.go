package fakemeta

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Connect makes the fake behave like Meta toward one Jodo: every message
// it accepts is reported back as delivered, signed with appSecret, to the
// webhook url, and passed to seen (if not nil) as it arrives; and
// POST {URL}/simulate/inbound with form fields from (a wa_id) and text
// posts a signed inbound message from that person to the business number
// phone_number_id (form field, default PhoneNumberID). jodo demo uses this
// to stand in for WhatsApp on one machine.
func (f *FakeGraph) Connect(url, appSecret string, seen func(Request)) {
	f.mu.Lock()
	f.webhook, f.appSecret, f.seen = url, appSecret, seen
	f.mu.Unlock()
}

// accepted reports an accepted message as Connect asked.
func (f *FakeGraph) accepted(rec Request) {
	f.mu.Lock()
	url, secret, seen := f.webhook, f.appSecret, f.seen
	f.mu.Unlock()
	if seen != nil {
		seen(rec)
	}
	if url == "" || rec.MessageID == "" {
		return
	}
	go func() {
		select {
		case <-time.After(100 * time.Millisecond):
		case <-f.done:
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = f.PostStatus(ctx, url, secret, rec.MessageID, "delivered", 0)
	}()
}

// simulate answers POST /simulate/inbound.
func (f *FakeGraph) simulate(w http.ResponseWriter, r *http.Request) {
	from := strings.TrimPrefix(strings.TrimSpace(r.FormValue("from")), "+")
	text := r.FormValue("text")
	id := r.FormValue("phone_number_id")
	if id == "" {
		id = PhoneNumberID
	}
	display, known := f.display(id)
	f.mu.Lock()
	url, secret := f.webhook, f.appSecret
	f.mu.Unlock()
	switch {
	case url == "":
		http.Error(w, "the fake is not connected to a Jodo", http.StatusConflict)
		return
	case !known:
		http.Error(w, "unknown phone_number_id", http.StatusNotFound)
		return
	case from == "" || !allDigits(from) || text == "":
		http.Error(w, "give from (a WhatsApp number with country code) and text", http.StatusBadRequest)
		return
	}
	wamid, err := f.PostText(r.Context(), url, secret, "+"+display, id, from, text)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(wamid + "\n"))
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
