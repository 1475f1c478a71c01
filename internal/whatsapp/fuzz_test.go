package whatsapp

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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
	f.Add(body(`{"id":"wamid.`+strings.Repeat("L", 300)+`","from":"919876543210","type":"text","text":{"body":"a\u0000b"}}`,
		`{"id":"w2","from":"abc<script>","type":"text"}`, `{"id":"w3","from":"`+strings.Repeat("9", 5000)+`"}`, `{"id":"w\u0000"}`))
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"` +
		strings.Repeat("s", 199) + `","status":"sent"},{"id":"w","status":"failed","errors":[{"code":1,"title":"t\u0000"}]}],"errors":[{"title":"\u0000"}]}}]}]}`))
	f.Add([]byte("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"\xff\\u0000\"},\"messages\":[{\"id\":\"w\"}]}}]}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(data)
		if err != nil && !storable(err.Error()) {
			t.Fatalf("error %q is not storable text", err)
		}
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
		// What the store keeps of a message: its id as the inbox key, the
		// sender's wa_id and business-scoped id as contact points, the
		// business number; the bot reads its text.
		if len(m.Key()) > MaxKey || !storable(m.ID) || !storable(m.BSUID) || !storable(m.PhoneNumberID) || !storable(m.DisplayPhoneNumber) {
			t.Fatalf("message ids are not storable: %.80q %.80q %.80q", m.ID, m.BSUID, m.PhoneNumberID)
		}
		if m.From != "" && !ValidWAID(m.From) {
			t.Fatalf("wa_id %.80q accepted", m.From)
		}
		if !storable(m.Text) || !storable(m.ProfileName) || !storable(m.Reply.Title) || !storable(m.Button.Text) {
			t.Fatalf("message text is not storable: %+v", m)
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
		if len(s.Key()) > MaxKey || !storable(s.Key()) {
			t.Fatalf("status key %.80q is not storable", s.Key())
		}
		for _, e := range s.Errors {
			checkError(t, e)
		}
		checkTime("status timestamp", s.Timestamp)
		checkTime("conversation expiry", s.Conversation.ExpiresAt)
	}
	for _, e := range n.Errors {
		checkError(t, e)
	}
	for _, r := range n.Rejected {
		if r.Reason == "" || !storable(r.Reason) || !json.Valid(r.Raw) {
			t.Fatalf("rejected item without a storable reason or JSON: %q %q", r.Reason, r.Raw)
		}
	}
}

// checkError holds for every error Parse reports: its texts become notes
// and outbox errors.
func checkError(t *testing.T, e Error) {
	t.Helper()
	if !storable(e.Title) || !storable(e.Message) || !storable(e.Details) || !storable(e.Href) {
		t.Fatalf("error texts are not storable: %+v", e)
	}
}

// storable is text both engines store: valid UTF-8 without NUL.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

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
