package intake

import (
	"bufio"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// The sample files are HTTP requests written out by hand: '#' comment lines,
// a request line, headers, a blank line, then the body.

// sampleRequest returns a sample's request URL, headers and body.
func sampleRequest(t testing.TB, name string) (target string, header map[string]string, body string) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	header = map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(nil, 1<<20)
	inBody := false
	var b strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case inBody:
			b.WriteString(line)
		case strings.HasPrefix(line, "#"):
		case target == "":
			_, target, _ = strings.Cut(line, " ")
			target, _, _ = strings.Cut(target, " ")
		case line == "":
			inBody = true
		default:
			k, v, _ := strings.Cut(line, ":")
			header[k] = strings.TrimSpace(v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return target, header, b.String()
}

// sampleQuery returns the query parameters of a sample's request line.
func sampleQuery(t testing.TB, name string) (string, url.Values) {
	t.Helper()
	target, _, _ := sampleRequest(t, name)
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	v, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	return u.RawQuery, v
}

// sampleForm returns the form-encoded body of a sample.
func sampleForm(t testing.TB, name string) (string, url.Values) {
	t.Helper()
	_, _, body := sampleRequest(t, name)
	v, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	return body, v
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func checkCallEqual(t *testing.T, got, want Call) {
	t.Helper()
	if got.Provider != want.Provider || got.CallID != want.CallID || got.From != want.From || got.To != want.To || !got.At.Equal(want.At) {
		t.Errorf("call\n got %+v\nwant %+v", got, want)
	}
}

// checkMalformed asserts err is a malformed-request error whose text names
// the provider and the offending field.
func checkMalformed(t *testing.T, err error, wantText string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one containing %q", wantText)
	}
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("error %q does not wrap ErrMalformed", err)
	}
	if !strings.Contains(err.Error(), wantText) {
		t.Errorf("error %q; want it to contain %q", err, wantText)
	}
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
