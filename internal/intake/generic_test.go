package intake

import (
	"strings"
	"testing"
)

func TestParseGenericSample(t *testing.T) {
	got, err := ParseGeneric(readSample(t, "generic_call.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkCallEqual(t, got, Call{
		Provider: "generic",
		CallID:   "c-20260212-0001",
		From:     "+919876543210",
		To:       "18001234567",
		At:       mustTime(t, "2026-02-12T04:30:00Z"),
	})
}

func TestParseGenericVariants(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Call
	}{
		{"only call_id", `{"call_id":"x"}`, Call{CallID: "x"}},
		{"UTC with fraction", `{"call_id":"x","at":"2026-02-12T04:30:00.250Z"}`, Call{CallID: "x", At: mustTime(t, "2026-02-12T04:30:00.25Z")}},
		{"empty at", `{"call_id":"x","at":""}`, Call{CallID: "x"}},
		{"spaces trimmed", `{"call_id":" x ","from":" 09876543210 "}`, Call{CallID: "x", From: "09876543210"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseGeneric([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Provider = "generic"
			checkCallEqual(t, got, tc.want)
		})
	}
}

func TestParseGenericRejects(t *testing.T) {
	for _, tc := range []struct{ name, body, wantText string }{
		{"empty body", ``, "generic: cannot read the JSON body"},
		{"not an object", `["x"]`, "generic: cannot read the JSON body"},
		{"trailing data", `{"call_id":"x"} {}`, "generic: cannot read the JSON body"},
		{"number id", `{"call_id":7}`, "generic: cannot read the JSON body"},
		{"no call_id", `{"from":"+919876543210"}`, "generic: call_id is missing"},
		{"time without offset", `{"call_id":"x","at":"2026-02-12T10:00:00"}`, "generic: at \"2026-02-12T10:00:00\" is not an RFC 3339 time"},
		{"date only", `{"call_id":"x","at":"2026-02-12"}`, "is not an RFC 3339 time"},
		{"unix time", `{"call_id":"x","at":"1770870600"}`, "is not an RFC 3339 time"},
		{"NUL in caller", `{"call_id":"x","from":"98\u0000"}`, "generic: from is not printable"},
		{"long id", `{"call_id":"` + strings.Repeat("x", 129) + `"}`, "generic: call_id is longer than 128 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseGeneric([]byte(tc.body))
			checkMalformed(t, err, tc.wantText)
		})
	}
}
