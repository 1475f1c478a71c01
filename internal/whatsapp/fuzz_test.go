package whatsapp

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

var payloadSamples = []string{
	"whatsapp_text.json",
	"whatsapp_text.compact.json",
	"whatsapp_button_reply.json",
	"whatsapp_list_reply.json",
	"whatsapp_list_reply.compact.json",
	"whatsapp_image.json",
	"whatsapp_status_sent.json",
	"whatsapp_status_delivered.json",
	"whatsapp_status_read.json",
	"whatsapp_status_failed.json",
	"whatsapp_status_sent_legacy_cbp.json",
}

func FuzzParse(f *testing.F) {
	for _, name := range payloadSamples {
		f.Add(readSample(f, name))
	}
	f.Add(body(message("reaction", `,"reaction":{"message_id":"wamid.OURS","emoji":"\ud83d\udc4d"}`)))
	f.Add(body(message("unsupported", `,"errors":[{"code":131051}]`), message("poll_vote", `,"poll_vote":{}`)))
	f.Add(body(`{"id":"w","timestamp":253402300799,"type":"location","location":{"latitude":1e308,"longitude":-0}}`))
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"w","status":"x","timestamp":""}],"errors":[{"code":-1}]}}]}]}`))
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"w","timestamp":"1"}]}}]}]}`))
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %q (%T) does not wrap ErrMalformed", err, err)
			}
			if !reflect.DeepEqual(n, Notification{}) {
				t.Fatalf("error %q came with %+v", err, n)
			}
			return
		}
		checkNotification(t, n)
		again, err := Parse(data)
		if err != nil || !reflect.DeepEqual(again, n) {
			t.Fatalf("the body parsed once, then gave %+v, %v", again, err)
		}
	})
}

// checkNotification holds for everything Parse accepts: what a store keys on
// is there, times are storable UTC, and each message keeps valid JSON.
func checkNotification(t *testing.T, n Notification) {
	t.Helper()
	checkTime := func(what string, at time.Time) {
		if !at.IsZero() && (at.Location() != time.UTC || at.Unix() < 0 || at.Year() > 9999) {
			t.Fatalf("%s %v is not a storable UTC time", what, at)
		}
	}
	for _, m := range n.Messages {
		if m.ID == "" || m.Key() != m.ID {
			t.Fatalf("message without a key: %+v", m)
		}
		if !json.Valid(m.Raw) || !strings.HasPrefix(string(m.Raw), "{") {
			t.Fatalf("Raw is not a JSON object: %s", m.Raw)
		}
		if m.Kind == "" {
			t.Fatalf("message without a Kind: %+v", m)
		}
		checkTime("message timestamp", m.Timestamp)
	}
	for _, s := range n.Statuses {
		if s.ID == "" || s.Status == "" || s.Key() != s.ID+":"+s.Status {
			t.Fatalf("status without a key: %+v", s)
		}
		checkTime("status timestamp", s.Timestamp)
		checkTime("conversation expiry", s.Conversation.ExpiresAt)
	}
}

func FuzzVerifySignature(f *testing.F) {
	req := readRequest(f, "whatsapp_signature.txt")
	signed := readSample(f, "whatsapp_text.compact.json")
	f.Add([]byte(req.appSecret), signed, req.header["X-Hub-Signature-256"])
	f.Add([]byte(req.appSecret), signed, "sha256="+strings.Repeat("0", 64))
	f.Add([]byte(""), []byte("{}"), "sha256=")
	f.Add([]byte("k"), []byte(""), "SHA256=ZZ")
	f.Add([]byte("k"), []byte("\xff"), "sha1=abcdef")
	f.Fuzz(func(t *testing.T, secret, body []byte, header string) {
		err := VerifySignature(secret, body, header)
		switch {
		case err == nil:
			if !strings.EqualFold(strings.TrimSpace(header), Signature(secret, body)) {
				t.Fatalf("accepted %q for a body whose signature is %s", header, Signature(secret, body))
			}
		case !errors.Is(err, ErrNoAppSecret) && !errors.Is(err, ErrSignatureMissing) &&
			!errors.Is(err, ErrSignatureMalformed) && !errors.Is(err, ErrSignatureMismatch):
			t.Fatalf("unexpected error %v", err)
		}
		own := VerifySignature(secret, body, Signature(secret, body))
		if (len(secret) > 0) != (own == nil) {
			t.Fatalf("a body's own signature: %v (secret %q)", own, secret)
		}
	})
}
