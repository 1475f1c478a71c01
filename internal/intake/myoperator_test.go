package intake

import (
	"net/url"
	"testing"
	"time"
)

// The documented sample is an answered call; what matters here is the shape.
var myOperatorSample = Call{
	Provider: "myoperator",
	CallID:   "5f114f490dbe2437",
	From:     "+919711636496",
	At:       time.Date(2020, 7, 17, 7, 12, 9, 0, time.UTC), // _st 1594969929
}

func TestParseMyOperatorFormSample(t *testing.T) {
	_, v := sampleForm(t, "myoperator_aftercall_post.txt")
	got, err := ParseMyOperator(v)
	if err != nil {
		t.Fatal(err)
	}
	checkCallEqual(t, got, myOperatorSample)
}

func TestParseMyOperatorJSONSample(t *testing.T) {
	got, err := ParseMyOperatorJSON(readSample(t, "myoperator_aftercall.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkCallEqual(t, got, myOperatorSample)
}

func TestParseMyOperatorVariants(t *testing.T) {
	for _, tc := range []struct {
		name, log string
		want      Call
	}{
		{
			name: "10-digit _cr when _cl is empty",
			log:  `{"_ai":"a1","_cl":"","_cr":"9711636496","_st":1594969929}`,
			want: Call{CallID: "a1", From: "9711636496", At: mustTime(t, "2020-07-17T07:12:09Z")},
		},
		{
			name: "times and ids as the other JSON type",
			log:  `{"_ai":12345,"_cl":"+919711636496","_st":"1594969929"}`,
			want: Call{CallID: "12345", From: "+919711636496", At: mustTime(t, "2020-07-17T07:12:09Z")},
		},
		{
			name: "no start time",
			log:  `{"_ai":"a1","_cl":"+919711636496","_st":null}`,
			want: Call{CallID: "a1", From: "+919711636496"},
		},
		{
			name: "fractional or absurd start time is zero",
			log:  `{"_ai":"a1","_st":1.5e300}`,
			want: Call{CallID: "a1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMyOperator(url.Values{"myoperator": {tc.log}})
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Provider = "myoperator"
			checkCallEqual(t, got, tc.want)
		})
	}
}

func TestParseMyOperatorRejects(t *testing.T) {
	for _, tc := range []struct {
		name     string
		v        url.Values
		wantText string
	}{
		{"no myoperator field", url.Values{"log": {`{"_ai":"a1"}`}}, "myoperator: form field myoperator is missing"},
		{"not JSON", url.Values{"myoperator": {"_ai=a1"}}, "myoperator: cannot read the call log"},
		{"JSON array", url.Values{"myoperator": {`[{"_ai":"a1"}]`}}, "myoperator: cannot read the call log"},
		{"id of the wrong type", url.Values{"myoperator": {`{"_ai":{"x":1}}`}}, "want text or a number"},
		{"no _ai", url.Values{"myoperator": {`{"_ci":"5cd40f6554442586","_cl":"+919711636496"}`}}, "myoperator: _ai is missing"},
		{"control character in caller", url.Values{"myoperator": {`{"_ai":"a1","_cl":"+91\u0007"}`}}, "myoperator: _cl is not printable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMyOperator(tc.v)
			checkMalformed(t, err, tc.wantText)
		})
	}
}
