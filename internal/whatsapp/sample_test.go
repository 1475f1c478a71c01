package whatsapp

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// The .txt samples are HTTP requests written out by hand: '#' comment lines,
// a request line, headers, a blank line, then the body.

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type sampleRequest struct {
	target    string            // the request line's URL
	header    map[string]string // by name as written
	body      []byte            // after the blank line, trailing newlines dropped
	appSecret string            // from a "# app secret:" comment
}

func readRequest(t testing.TB, name string) sampleRequest {
	t.Helper()
	r := sampleRequest{header: map[string]string{}}
	head, body, _ := strings.Cut(string(readSample(t, name)), "\n\n")
	r.body = []byte(strings.TrimRight(body, "\n"))
	for line := range strings.SplitSeq(head, "\n") {
		switch {
		case strings.HasPrefix(line, "# app secret:"):
			r.appSecret = strings.TrimSpace(strings.TrimPrefix(line, "# app secret:"))
		case strings.HasPrefix(line, "#"):
		case r.target == "":
			_, r.target, _ = strings.Cut(line, " ")
			r.target, _, _ = strings.Cut(r.target, " ")
		default:
			k, v, _ := strings.Cut(line, ":")
			r.header[k] = strings.TrimSpace(v)
		}
	}
	return r
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// compact is JSON without insignificant whitespace, to compare Raw with
// what was sent whatever the indentation.
func compact(t testing.TB, data []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		t.Fatalf("not JSON: %v: %s", err, data)
	}
	return b.String()
}

func mustParse(t testing.TB, body []byte) Notification {
	t.Helper()
	n, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
