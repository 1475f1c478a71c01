package whatsapp

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// A Graph error body is read into valid UTF-8 fields that say what the body
// says (written back as a body, they read the same), and anything else is
// ErrMalformed with nothing read.
func FuzzParseError(f *testing.F) {
	for _, name := range []string{"whatsapp_error_130429.json", "whatsapp_error_131047.json", "whatsapp_error_131056.json"} {
		f.Add(readSample(f, name))
	}
	f.Add([]byte(`{"error":{"code":0}}`))
	f.Add([]byte(`{"error":{"code":null,"message":"x"}}`))
	f.Add([]byte(`{"error":{"code":1.5}}`))
	f.Add([]byte(`{"error":{"code":190,"message":"bad \u0000 token \ud800","error_subcode":463}}`))
	f.Add([]byte("{\"error\":{\"code\":4,\"message\":\"\xff\xfe\"}}"))
	f.Add([]byte(`{"error":"string"}`))
	f.Add([]byte(`<html>502 Bad Gateway</html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := ParseError(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) || e != (APIError{}) {
				t.Fatalf("error %v (%T) with %+v; want ErrMalformed and nothing read", err, err, e)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted a body that is not JSON: %q", body)
		}
		for _, s := range []string{e.Type, e.Message, e.Details, e.FBTraceID, e.Error()} {
			if !utf8.ValidString(s) {
				t.Fatalf("%+v has text that is not UTF-8: %q", e, s)
			}
		}
		if !strings.Contains(e.Error(), strconv.Itoa(e.Code)) {
			t.Fatalf("%q does not name code %d", e.Error(), e.Code)
		}
		e.Class()
		again, err := ParseError(errorBody(t, e))
		if err != nil || again != e {
			t.Fatalf("%+v written back read as %+v, %v", e, again, err)
		}
	})
}

// errorBody is e as Graph would send it.
func errorBody(t *testing.T, e APIError) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"error": map[string]any{
		"message": e.Message, "type": e.Type, "code": e.Code, "error_subcode": e.Subcode,
		"error_data": map[string]any{"messaging_product": "whatsapp", "details": e.Details}, "fbtrace_id": e.FBTraceID,
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
