package whatsapp

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrorSamples(t *testing.T) {
	for _, c := range []struct {
		file  string
		want  APIError
		class ErrorClass
	}{
		{"whatsapp_error_130429.json", APIError{
			Code: 130429, Type: "OAuthException", Message: "(#130429) Rate limit hit",
			Details: "Cloud API message throughput has been reached.", FBTraceID: "Az8or2yhqkZfEZ-_4Qn_Bam",
		}, RateLimitedBusiness},
		{"whatsapp_error_131056.json", APIError{
			Code: 131056, Type: "OAuthException", Message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
			Details:   "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
			FBTraceID: "AmX3qzC9nR1tY0pLk2Hb7Qe",
		}, RateLimitedPair},
		{"whatsapp_error_131047.json", APIError{
			Code: 131047, Type: "OAuthException", Message: "(#131047) Re-engagement message",
			Details:   "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
			FBTraceID: "A9c1dLqP0vWm3sTt8xYz2Kf",
		}, OutsideWindow},
	} {
		got, err := ParseError(readSample(t, c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.file, got, c.want)
		}
		if got.Class() != c.class {
			t.Errorf("%s: class %s; want %s", c.file, got.Class(), c.class)
		}
		if !strings.Contains(got.Error(), c.want.Message) {
			t.Errorf("%s: Error() = %q", c.file, got.Error())
		}
	}
}

func TestParseErrorShapes(t *testing.T) {
	got, err := ParseError([]byte(`{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"x","is_transient":false}}`))
	if err != nil || got.Code != 190 || got.Subcode != 463 || got.Class() != AccountProblem {
		t.Errorf("with a subcode: %+v, %v", got, err)
	}
	if got, err := ParseError([]byte(`{"error":{"message":"We were unable to authenticate the app user.","code":0}}`)); err != nil || got.Code != 0 {
		t.Errorf("code 0: %+v, %v", got, err)
	}
	for _, body := range []string{``, `<html>502 Bad Gateway</html>`, `{}`, `null`, `[]`, `{"error":null}`, `{"error":"boom"}`, `{"error":{}}`, `{"error":{"message":"no code"}}`, `{"error":{"code":"190"}}`} {
		if got, err := ParseError([]byte(body)); !errors.Is(err, ErrMalformed) || got != (APIError{}) {
			t.Errorf("ParseError(%q) = %+v, %v; want ErrMalformed", body, got, err)
		}
	}
}
