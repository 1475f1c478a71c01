package sms

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/sms/smstest"
)

func testExotel(base string, timeout time.Duration) *Exotel {
	return NewExotel(ExotelConfig{BaseURL: base, AccountSID: "jodo1", APIKey: "key", APIToken: "token",
		SenderID: "JODOIN", EntityID: "1101456789012345678", StatusCallback: "http://127.0.0.1:1/hooks/exotel/sms-status/s3cret",
		Client: &http.Client{Timeout: timeout}})
}

var testMessage = send.Message{To: "+919876543210", Body: "Thanks for your call. Join: https://jodo.example.in/j/k3Xq9aZ",
	TemplateID: "1107169876543210987", Ref: "outbox:42"}

func TestExotelSendsDLTFields(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	res := testExotel(g.URL, 5*time.Second).Send(context.Background(), testMessage)
	if res.Outcome != send.Accepted || res.Err != nil {
		t.Fatalf("Send = %+v", res)
	}
	got := g.Received()
	if len(got) != 1 {
		t.Fatalf("gateway received %d requests, want 1", len(got))
	}
	r := got[0]
	if r.ID != res.ProviderID || r.Path != "/v1/Accounts/jodo1/Sms/send.json" || r.User != "key" {
		t.Errorf("received %+v, provider id %q", r, res.ProviderID)
	}
	want := map[string]string{
		"From": "JODOIN", "To": "+919876543210", "Body": testMessage.Body,
		"DltEntityId": "1101456789012345678", "DltTemplateId": "1107169876543210987", "EncodingType": "plain",
		"StatusCallback": "http://127.0.0.1:1/hooks/exotel/sms-status/s3cret", "CustomField": "outbox:42",
	}
	for k, v := range want {
		if r.Form.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, r.Form.Get(k), v)
		}
	}
}

func TestExotelSendsHindiAsUnicode(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	m := testMessage
	m.Body = "जोड़ो से जुड़ने के लिए धन्यवाद। सदस्य बनें: https://jodo.example.in/j/k3Xq9aZ"
	if res := testExotel(g.URL, 5*time.Second).Send(context.Background(), m); res.Outcome != send.Accepted {
		t.Fatalf("Send = %+v", res)
	}
	r := g.Received()[0]
	if r.Body != m.Body || r.Form.Get("EncodingType") != "unicode" {
		t.Errorf("Body = %q EncodingType = %q", r.Body, r.Form.Get("EncodingType"))
	}
}

func TestExotelForcedUnicode(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	m := testMessage
	m.Unicode = true
	testExotel(g.URL, 5*time.Second).Send(context.Background(), m)
	if enc := g.Received()[0].Form.Get("EncodingType"); enc != "unicode" {
		t.Errorf("EncodingType = %q", enc)
	}
}

func TestExotelReadsSampleAnswer(t *testing.T) {
	sample, err := os.ReadFile("testdata/exotel_sms_send_response.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(sample) }))
	defer srv.Close()
	res := testExotel(srv.URL, 5*time.Second).Send(context.Background(), testMessage)
	if res.Outcome != send.Accepted || res.ProviderID != "b6a2c7e0d7f14b5a9e3c1f2d4a5b6c7d" {
		t.Errorf("Send = %+v", res)
	}
}

func TestExotelConnectionRefusedIsNotSent(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	res := testExotel("http://"+addr, 5*time.Second).Send(context.Background(), testMessage)
	if res.Outcome != send.NotSent || res.Err == nil {
		t.Errorf("Send = %+v, want not_sent", res)
	}
}

func TestExotelCancelledBeforeSendIsNotSent(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := testExotel(g.URL, 5*time.Second).Send(ctx, testMessage)
	if res.Outcome != send.NotSent || len(g.Received()) != 0 {
		t.Errorf("Send = %+v, gateway received %d", res, len(g.Received()))
	}
}

func TestExotelTooManyRequestsIsNotSent(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	g.FailNext(1, http.StatusTooManyRequests)
	e := testExotel(g.URL, 5*time.Second)
	res := e.Send(context.Background(), testMessage)
	if res.Outcome != send.NotSent || res.RetryAfter != time.Second {
		t.Errorf("Send = %+v, want not_sent after 1s", res)
	}
	if res := e.Send(context.Background(), testMessage); res.Outcome != send.Accepted {
		t.Errorf("second Send = %+v", res)
	}
	if n := len(g.Received()); n != 2 {
		t.Errorf("gateway received %d, want 2", n)
	}
}

func TestExotelServerErrorIsUnknown(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	g.FailNext(1, http.StatusInternalServerError)
	res := testExotel(g.URL, 5*time.Second).Send(context.Background(), testMessage)
	if res.Outcome != send.Unknown || res.Err == nil {
		t.Errorf("Send = %+v, want unknown", res)
	}
}

func TestExotelClientErrorIsRejected(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	g.FailNext(1, http.StatusBadRequest)
	res := testExotel(g.URL, 5*time.Second).Send(context.Background(), testMessage)
	if res.Outcome != send.Rejected || !strings.Contains(res.Err.Error(), "failure injected") {
		t.Errorf("Send = %+v, want rejected with the provider's message", res)
	}
}

func TestExotelTimeoutAfterWriteIsUnknown(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	g.Delay(2 * time.Second)
	res := testExotel(g.URL, 200*time.Millisecond).Send(context.Background(), testMessage)
	if res.Outcome != send.Unknown {
		t.Errorf("client timeout: Send = %+v, want unknown", res)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res = testExotel(g.URL, 5*time.Second).Send(ctx, testMessage)
	if res.Outcome != send.Unknown || !errors.Is(res.Err, context.DeadlineExceeded) {
		t.Errorf("context deadline: Send = %+v, want unknown", res)
	}
	got := g.Received()
	if len(got) != 2 || got[0].ID == "" {
		t.Errorf("gateway received %+v, want 2 accepted messages (they went out)", got)
	}
}

func TestExotelConnectionDroppedAfterWriteIsUnknown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	res := testExotel(srv.URL, 5*time.Second).Send(context.Background(), testMessage)
	if res.Outcome != send.Unknown {
		t.Errorf("Send = %+v, want unknown", res)
	}
}

func TestExotelAnswers(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		body   string
		want   send.Outcome
	}{
		{"exception in a 200", 200, `{"RestException":{"Status":400,"Message":"Invalid To"}}`, send.Rejected},
		{"failed at once", 200, `{"SMSMessage":{"Sid":"abc","Status":"failed_dnd"}}`, send.Rejected},
		{"no id", 200, `{"SMSMessage":{"Status":"queued"}}`, send.Unknown},
		{"not json", 200, `<html>ok</html>`, send.Unknown},
		{"no balance", 403, `{"RestException":{"Status":403,"Message":"Insufficient balance"}}`, send.Rejected},
		{"proxy 502", 502, `bad gateway`, send.Unknown},
		{"redirect not followed", 301, ``, send.Rejected},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c.status == 301 {
				w.Header().Set("Location", "/elsewhere")
			}
			w.WriteHeader(c.status)
			w.Write([]byte(c.body))
		}))
		res := testExotel(srv.URL, 5*time.Second).Send(context.Background(), testMessage)
		srv.Close()
		if res.Outcome != c.want {
			t.Errorf("%s: Send = %+v, want %s", c.name, res, c.want)
		}
	}
}

func TestExotelRefusesUnsendableMessages(t *testing.T) {
	g := smstest.NewFakeGateway()
	defer g.Close()
	e := testExotel(g.URL, 5*time.Second)
	for name, m := range map[string]send.Message{
		"no template": {To: "+919876543210", Body: "hi"},
		"no number":   {Body: "hi", TemplateID: "1"},
		"no body":     {To: "+919876543210", TemplateID: "1"},
		"too long":    {To: "+919876543210", TemplateID: "1", Body: strings.Repeat("a", 2001)},
	} {
		if res := e.Send(context.Background(), m); res.Outcome != send.Rejected {
			t.Errorf("%s: Send = %+v, want rejected", name, res)
		}
	}
	if n := len(g.Received()); n != 0 {
		t.Errorf("gateway received %d requests, want none", n)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 2, 12, 10, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"": 0, "5": 5 * time.Second, " 30 ": 30 * time.Second, "0": 0, "-1": 0, "soon": 0,
		"Thu, 12 Feb 2026 10:01:00 GMT": time.Minute, "Thu, 12 Feb 2026 09:00:00 GMT": 0,
	} {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
