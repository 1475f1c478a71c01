package sms

import (
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseExotelStatusSample(t *testing.T) {
	raw, err := os.ReadFile("testdata/exotel_sms_status_callback.form")
	if err != nil {
		t.Fatal(err)
	}
	v, err := url.ParseQuery(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseExotelStatus(v)
	if err != nil {
		t.Fatal(err)
	}
	want := Status{ProviderID: "b6a2c7e0d7f14b5a9e3c1f2d4a5b6c7d", Status: StatusDelivered,
		Detail: "sent DELIVERED_TO_HANDSET 20005", Ref: "missedcall:a7c39f1e2b8d4c6e9f0a1b2c3d4e5f6a", Units: 1,
		At: time.Date(2025, 11, 14, 4, 46, 5, 0, time.UTC)}
	if !s.At.Equal(want.At) {
		t.Errorf("At = %v, want %v (IST)", s.At, want.At)
	}
	s.At = want.At
	if s != want {
		t.Errorf("ParseExotelStatus =\n%+v, want\n%+v", s, want)
	}
}

func TestParseExotelStatusStates(t *testing.T) {
	for _, c := range []struct {
		status, detailed, code string
		want, errorCode        string
	}{
		{"sent", "DELIVERED_TO_OPERATOR", "20006", StatusSent, ""},
		{"sent", "", "20000", StatusDelivered, ""},
		{"Sent", "DELIVERED_TO_HANDSET", "", StatusDelivered, ""},
		{"queued", "PENDING_TO_OPERATOR", "21010", StatusSent, ""},
		{"submitted", "", "", StatusSent, ""},
		{"failed", "DLT_TEMPLATE_DOES_NOT_MATCH", "23185", StatusFailed, "23185"},
		{"failed_dnd", "", "", StatusFailed, "failed_dnd"},
	} {
		s, err := ParseExotelStatus(url.Values{"SmsSid": {"x"}, "Status": {c.status},
			"DetailedStatus": {c.detailed}, "DetailedStatusCode": {c.code}})
		if err != nil || s.Status != c.want || s.ErrorCode != c.errorCode {
			t.Errorf("%s/%s/%s: got %+v, %v; want %s %q", c.status, c.detailed, c.code, s, err, c.want, c.errorCode)
		}
	}
}

func TestParseExotelStatusRejects(t *testing.T) {
	for name, v := range map[string]url.Values{
		"no sid":         {"Status": {"sent"}},
		"unknown status": {"SmsSid": {"x"}, "Status": {"exploded"}},
		"no status":      {"SmsSid": {"x"}},
		"control chars":  {"SmsSid": {"x\x00y"}, "Status": {"sent"}},
		"huge sid":       {"SmsSid": {strings.Repeat("x", 300)}, "Status": {"sent"}},
	} {
		if _, err := ParseExotelStatus(v); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzParseExotelStatus(f *testing.F) {
	if raw, err := os.ReadFile("testdata/exotel_sms_status_callback.form"); err == nil {
		f.Add(strings.TrimSpace(string(raw)))
	}
	f.Add("SmsSid=a&Status=failed&DetailedStatusCode=23185")
	f.Add("SmsSid=%ff&Status=sent&DateSent=1970-01-01+05%3A30%3A00")
	f.Fuzz(func(t *testing.T, q string) {
		v, _ := url.ParseQuery(q)
		s, err := ParseExotelStatus(v)
		if err != nil {
			return
		}
		if s.ProviderID == "" || (s.Status != StatusSent && s.Status != StatusDelivered && s.Status != StatusFailed) {
			t.Fatalf("ParseExotelStatus(%q) = %+v", q, s)
		}
	})
}
