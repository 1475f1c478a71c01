package sms

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/sendhttp"
)

// Exotel's answer to a send decides whether the message may be sent again,
// so a non-2xx answer is never Accepted and an Accepted one carries an id a
// delivery report can be matched to (what ParseExotelStatus accepts as
// SmsSid). What is recorded of it (the id, the error text) is storable in
// PostgreSQL's text: valid UTF-8 without NUL, and short whatever the
// answer's size.
func FuzzExotelAnswer(f *testing.F) {
	// maxErrorText bounds an error's text: three of Exotel's texts, each
	// cut to 256 bytes and quoted, and our words around them.
	const maxErrorText = 3*4*256 + 200
	sample, err := os.ReadFile("testdata/exotel_sms_send_response.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(200, sample)
	f.Add(200, []byte(`{"SMSMessage":{"Sid":"abc","Status":"failed","DetailedStatus":"FAILED_DND","DetailedStatusCode":22001}}`))
	f.Add(200, []byte(`{"SMSMessage":{"Sid":""}}`))
	f.Add(200, []byte(`{"RestException":{"Status":400,"Code":34001,"Message":"Invalid 'To' number"}}`))
	f.Add(400, []byte(`{"RestException":{"Status":400,"Message":"DLT template mismatch"}}`))
	f.Add(429, []byte(``))
	f.Add(503, []byte(`<html>Service Unavailable</html>`))
	f.Add(302, []byte(`{"SMSMessage":{"Sid":"abc"}}`))
	f.Add(200, []byte(`{"SMSMessage":{"Sid":"a\u0000b","Status":"queued"}}`))
	f.Add(200, []byte(`{"RestException":{"Message":"bad \u0000 text"}}`))
	f.Add(200, []byte("{\"SMSMessage\":{\"Sid\":\"\xff\xfe\"}}"))
	f.Add(400, []byte(`{"RestException":{"Message":"`+strings.Repeat(`\u0000\ud800`, 5000)+`"}}`))
	f.Add(200, []byte(`{"SMSMessage":{"Sid":"s","Status":"failed","DetailedStatus":"`+strings.Repeat("\x7f\xff", 9000)+`","DetailedStatusCode":"\u0000"}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 || len(body) > sendhttp.MaxAnswer {
			return // net/http refuses such a status; sendhttp reads no more
		}
		r := exotelResult(exchange{Status: status, Header: http.Header{}, Body: body, MayHave: true})
		switch {
		case status/100 != 2 && r.Outcome == send.Accepted:
			t.Fatalf("HTTP %d accepted", status)
		case status == http.StatusTooManyRequests && r.Outcome != send.NotSent:
			t.Fatalf("HTTP 429 is %v, want not sent", r.Outcome)
		case status >= 500 && r.Outcome != send.Unknown:
			t.Fatalf("HTTP %d is %v, want unknown", status, r.Outcome)
		case r.Outcome == send.Accepted && (r.ProviderID == "" || r.Err != nil):
			t.Fatalf("accepted without an id, or with an error: %+v", r)
		case r.Outcome != send.Accepted && r.Err == nil:
			t.Fatalf("%v without a reason", r.Outcome)
		}
		if r.ProviderID != "" {
			if len(r.ProviderID) > 256 || !printable(r.ProviderID) {
				t.Fatalf("provider id %.100q cannot be matched by a delivery report", r.ProviderID)
			}
			report := map[string][]string{"SmsSid": {r.ProviderID}, "Status": {"sent"}}
			if s, err := ParseExotelStatus(report); err != nil || s.ProviderID != r.ProviderID {
				t.Fatalf("a delivery report for id %q: %+v, %v", r.ProviderID, s, err)
			}
		}
		if r.Err != nil {
			msg := r.Err.Error()
			if !utf8.ValidString(msg) || strings.ContainsRune(msg, 0) || len(msg) > maxErrorText {
				t.Fatalf("error text of %d bytes cannot be stored: %.200q", len(msg), msg)
			}
			if errors.Is(r.Err, ErrMalformed) {
				t.Fatalf("a send answer's error %v claims a malformed delivery report", r.Err)
			}
		}
	})
}
