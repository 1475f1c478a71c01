package intake

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseExotelObservedShape(t *testing.T) {
	_, v := sampleQuery(t, "exotel_passthru.txt")
	got, err := ParseExotel(v)
	if err != nil {
		t.Fatal(err)
	}
	checkCallEqual(t, got, Call{
		Provider: "exotel",
		CallID:   "a7c39f1e2b8d4c6e9f0a1b2c3d4e5f6a",
		From:     "09876543210",
		To:       "08047123456",
		At:       mustTime(t, "2025-11-14T10:15:30+05:30"),
	})
	if name := got.At.Location().String(); name != "Asia/Kolkata" {
		t.Errorf("At is in %s; want Asia/Kolkata", name)
	}
}

func TestParseExotelNewerShape(t *testing.T) {
	_, v := sampleQuery(t, "exotel_passthru_iso.txt")
	got, err := ParseExotel(v)
	if err != nil {
		t.Fatal(err)
	}
	checkCallEqual(t, got, Call{
		Provider: "exotel",
		CallID:   "b8d40a2f3c9e4d7f8a1b2c3d4e5f6a7b",
		From:     "+919876543210",
		To:       "+918047123456",
		At:       mustTime(t, "2026-02-12T10:00:00+05:30"),
	})
}

func TestParseExotelVariants(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		want        Call
	}{
		{
			name:  "legacy From and To only",
			query: "CallSid=s1&From=09876543210&To=08047123456",
			want:  Call{CallID: "s1", From: "09876543210", To: "08047123456"},
		},
		{
			name:  "CallFrom wins over From",
			query: "CallSid=s1&CallFrom=09876543210&From=00000000000",
			want:  Call{CallID: "s1", From: "09876543210"},
		},
		{
			name:  "unescaped plus decodes to a space and is restored",
			query: "CallSid=s1&CallFrom=+919876543210&StartTime=2026-02-12T10:00:00+05:30",
			want:  Call{CallID: "s1", From: "+919876543210", At: mustTime(t, "2026-02-12T10:00:00+05:30")},
		},
		{
			name:  "quoted values",
			query: "CallSid=%22s1%22&CallFrom=%2209876543210%22",
			want:  Call{CallID: "s1", From: "09876543210"},
		},
		{
			name:  "Created when StartTime is absent",
			query: "CallSid=s1&Created=Fri%2C+14+Nov+2025+10%3A15%3A30",
			want:  Call{CallID: "s1", At: mustTime(t, "2025-11-14T10:15:30+05:30")},
		},
		{
			name:  "epoch placeholder counts as no time",
			query: "CallSid=s1&StartTime=1970-01-01+05%3A30%3A00&Created=Tue%2C+14+Nov+2023+10%3A15%3A30",
			want:  Call{CallID: "s1", At: mustTime(t, "2023-11-14T10:15:30+05:30")},
		},
		{
			name:  "unparseable time is zero",
			query: "CallSid=s1&StartTime=yesterday",
			want:  Call{CallID: "s1"},
		},
		{
			name:  "withheld caller is not an error",
			query: "CallSid=s1&CallFrom=&CallTo=08047123456",
			want:  Call{CallID: "s1", To: "08047123456"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseExotel(v)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Provider = "exotel"
			checkCallEqual(t, got, tc.want)
		})
	}
}

func TestParseExotelRejects(t *testing.T) {
	for _, tc := range []struct {
		name     string
		v        url.Values
		wantText string
	}{
		{"no parameters", url.Values{}, "exotel: CallSid is missing"},
		{"blank CallSid", url.Values{"CallSid": {`  "" `}, "CallFrom": {"09876543210"}}, "exotel: CallSid is missing"},
		{"NUL in caller", url.Values{"CallSid": {"s1"}, "CallFrom": {"098\x00765"}}, "exotel: CallFrom is not printable"},
		{"invalid UTF-8 id", url.Values{"CallSid": {"s\xff1"}}, "exotel: CallSid is not printable"},
		{"huge id", url.Values{"CallSid": {strings.Repeat("a", 200)}}, "exotel: CallSid is longer than"},
		{"huge called number", url.Values{"CallSid": {"s1"}, "CallTo": {strings.Repeat("1", 100)}}, "exotel: CallTo is longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseExotel(tc.v)
			checkMalformed(t, err, tc.wantText)
		})
	}
}
