package hooks_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// waBody is a signed-ready webhook body with messages and statuses (JSON
// objects) for the business number +918047123456.
func waBody(messages, statuses []string) string {
	return `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{` +
		`"messaging_product":"whatsapp","metadata":{"display_phone_number":"918047123456","phone_number_id":"106540352242922"},` +
		`"messages":[` + strings.Join(messages, ",") + `],"statuses":[` + strings.Join(statuses, ",") + `]}}]}]}`
}

func waText(id, from string) string {
	return fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1763095530","type":"text","text":{"body":"hi"}}`, from, id)
}

func (w *hookWorld) postWhatsApp(t *testing.T, body string) (int, string) {
	t.Helper()
	return w.do(t, "POST", "/hooks/whatsapp", "application/json", body,
		map[string]string{"X-Hub-Signature-256": whatsapp.Signature([]byte(waSecret), []byte(body))})
}

// checkInboxStorable fails if any stored note is not valid UTF-8 without
// NUL or any key is longer than the column allows.
func (w *hookWorld) checkInboxStorable(t *testing.T) {
	t.Helper()
	for _, kn := range storetest.InboxNotes(t, w.db, false) {
		if len(kn.Key) > 200 || !utf8.ValidString(kn.Note) || strings.ContainsRune(kn.Note, 0) {
			t.Errorf("stored key %.40q (%d bytes), note %q", kn.Key, len(kn.Key), kn.Note)
		}
	}
}

// Issue 14 item 2: a signed message whose wa_id is not a number is kept as
// malformed, never becomes a contact point, and the rest of its POST is
// stored.
func TestWhatsAppWaIDCheckedOnArrival(t *testing.T) {
	w := newHookWorld(t)
	body := waBody([]string{
		waText("wamid.script", "abc<script>"),
		waText("wamid.long", strings.Repeat("9", 5000)),
		waText("wamid.good", "919812300001"),
	}, nil)
	if code, b := w.postWhatsApp(t, body); code != 200 {
		t.Fatalf("POST: %d %s", code, b)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Kind: store.KindWhatsAppMessage, Key: "wamid.good"}); n != 1 {
		t.Errorf("the good message is stored %d times", n)
	}
	if n := storetest.ContactCount(t, w.db, storetest.Contacts{Kind: "wa_id", NotValue: "919812300001"}); n != 0 {
		t.Errorf("%d contact points from bad wa_ids", n)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Provider: "whatsapp", Kind: "unreadable", NoteLike: "%wa_id%"}); n != 2 {
		t.Errorf("%d bad messages kept as malformed, want 2", n)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Unprocessed: true, NotKind: store.KindWhatsAppMessage}); n != 0 {
		t.Errorf("%d kept items are left for a worker", n)
	}
	w.checkInboxStorable(t)
}

// Issue 14 item 7: bad bytes from an authenticated sender are answered 400
// (kept as malformed) or, for one item of a WhatsApp POST, kept as
// malformed with the rest stored; never a 500.
func TestBadBytesAnsweredAtTheEdge(t *testing.T) {
	w := newHookWorld(t)
	// Invalid UTF-8 inside a MyOperator JSON value.
	if code, b := w.do(t, "POST", "/hooks/myoperator/"+myopSecret, "application/json", "{\"_ai\":[\"\xff\xfe\"],\"_cl\":\"+919711636496\"}", nil); code != 400 {
		t.Errorf("myoperator with invalid UTF-8: %d %s, want 400", code, b)
	}
	// The same in the form field, and a NUL.
	form := url.Values{"myoperator": {"{\"_ai\":{\"\xff\":1}}"}}.Encode()
	if code, b := w.do(t, "POST", "/hooks/myoperator/"+myopSecret, "application/x-www-form-urlencoded", form, nil); code != 400 {
		t.Errorf("myoperator form with invalid UTF-8: %d %s, want 400", code, b)
	}
	for _, c := range []struct{ name, path, ctype, body string }{
		{"exotel NUL", "/hooks/exotel/" + exoSecret, "application/x-www-form-urlencoded", "CallSid=a%00b&CallFrom=09876543210"},
		{"exotel invalid UTF-8", "/hooks/exotel/" + exoSecret, "application/x-www-form-urlencoded", "CallSid=%FF%FE&CallFrom=09876543210"},
		{"exotel long id", "/hooks/exotel/" + exoSecret, "application/x-www-form-urlencoded", "CallSid=" + strings.Repeat("a", 300)},
		{"generic NUL", "/hooks/missed-call/" + globalSecret, "application/json", `{"call_id":"x\u0000","from":"9876543210"}`},
		{"generic long id", "/hooks/missed-call/" + globalSecret, "application/json", `{"call_id":"` + strings.Repeat("i", 201) + `"}`},
		{"sms status long id", "/hooks/exotel/sms-status/" + smsSecret(), "application/x-www-form-urlencoded",
			"SmsSid=" + strings.Repeat("s", 190) + "&Status=sent&DetailedStatus=DELIVERED_TO_HANDSET&DetailedStatusCode=20005"},
		{"sms status NUL", "/hooks/exotel/sms-status/" + smsSecret(), "application/x-www-form-urlencoded", "SmsSid=a%00&Status=sent"},
	} {
		if code, b := w.do(t, "POST", c.path, c.ctype, c.body, nil); code != 400 {
			t.Errorf("%s: %d %s, want 400", c.name, code, b)
		}
	}
	// Twilio, signed.
	tw := url.Values{"CallSid": {"CA\x00"}, "From": {"+14155550100"}, "To": {"+14155550123"}}
	sig := intake.TwilioSignature(twilioToken, w.url+"/hooks/twilio/voice", tw)
	if code, b := w.do(t, "POST", "/hooks/twilio/voice", "application/x-www-form-urlencoded", tw.Encode(), map[string]string{"X-Twilio-Signature": sig}); code != 400 {
		t.Errorf("twilio NUL: %d %s, want 400", code, b)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Kind: "unreadable"}); n != 10 {
		t.Errorf("%d malformed requests kept, want 10", n)
	}

	// WhatsApp: an over-long message id, a status id over the key's
	// length, an id with a control character and an error title with a
	// NUL, beside a good message and status.
	body := waBody([]string{
		waText("wamid."+strings.Repeat("L", 300), "919812300002"),
		waText("wamid.tab\t", "919812300003"),
		waText("wamid.fine", "919812300004"),
	}, []string{
		`{"id":"wamid.` + strings.Repeat("S", 200) + `","status":"sent","timestamp":"1763095600","recipient_id":"919812300002"}`,
		`{"id":"wamid.out","status":"failed","timestamp":"1763095600","recipient_id":"919812300002","errors":[{"code":131026,"title":"bad\u0000title"}]}`,
	})
	if code, b := w.postWhatsApp(t, body); code != 200 {
		t.Fatalf("WhatsApp POST with bad items: %d %s", code, b)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Keys: []string{"wamid.fine", "wamid.out:failed"}}); n != 2 {
		t.Errorf("%d of the good message and status stored, want 2", n)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Provider: "whatsapp", Kind: "unreadable"}); n != 3 {
		t.Errorf("%d bad WhatsApp items kept, want 3", n)
	}
	w.checkInboxStorable(t)
}

// smsSecret is the delivery-report URL's secret for the test key.
func smsSecret() string { return hooks.SMSStatusSecret(strings.Repeat("k", 32)) }

// Authenticated senders' malformed requests are kept, but at most
// keptPerHour (100) per provider an hour and their first 16 KB; the rest
// are answered 400 and counted.
func TestMalformedKeptIsCapped(t *testing.T) {
	w := newHookWorld(t)
	big := `{"call_id": [` + strings.Repeat(`"x",`, 15000) + `]}`
	for i := range 105 {
		body := fmt.Sprintf(`{"call_id": %d, "from": [}`, i)
		if i == 0 {
			body = big
		}
		if code, b := w.do(t, "POST", "/hooks/missed-call/"+globalSecret, "application/json", body, nil); code != 400 {
			t.Fatalf("malformed request %d: %d %s", i, code, b)
		}
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Kind: "unreadable"}); n != 100 {
		t.Errorf("%d malformed requests kept in an hour, want 100", n)
	}
	if n := storetest.LargestPayload(t, w.db); n != 16<<10 {
		t.Errorf("the largest kept payload is %d bytes, want 16384", n)
	}
	_, metrics := w.do(t, "GET", "/metrics", "", "", map[string]string{"Authorization": "Bearer hooks-metrics-token"})
	if want := `jodo_hook_rejected_total{provider="generic",reason="malformed_dropped"} 5`; !strings.Contains(metrics, want) {
		t.Errorf("metrics lack %s", want)
	}
	// Another provider has its own allowance; the next hour, a new one.
	if code, _ := w.do(t, "POST", "/hooks/exotel/"+exoSecret, "application/x-www-form-urlencoded", "CallFrom=1", nil); code != 400 {
		t.Fatal("exotel malformed request not refused")
	}
	w.clock.Advance(time.Hour)
	if code, _ := w.do(t, "POST", "/hooks/missed-call/"+globalSecret, "application/json", `{"call_id": true}`, nil); code != 400 {
		t.Fatal("malformed request not refused")
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Kind: "unreadable"}); n != 102 {
		t.Errorf("%d malformed requests kept, want 102", n)
	}
}
