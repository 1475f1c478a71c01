package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// The pages as sent to a phone that accepts gzip (every browser): gzipped,
// and the form with its districts and ACs in a few KB. The sizes logged
// are docs/performance.md's "Page weight".
func TestPageWeightOverTheWire(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	base, _, _ := start(t, "demo", storetest.URL(t), &out)
	form := demoJoinLink(t, base, &out)
	for _, c := range []struct {
		path string
		max  int
	}{
		{strings.TrimPrefix(form, base), 6 << 10},
		{"/signin", 2 << 10},
		{"/d/jh-warriors/join", 2 << 10},
	} {
		plain, _ := sent(t, base+c.path, "")
		gzipped, encoding := sent(t, base+c.path, "gzip")
		t.Logf("%s: %d bytes plain, %d gzipped", c.path, plain, gzipped)
		if encoding != "gzip" || gzipped > c.max {
			t.Errorf("GET %s with Accept-Encoding gzip: %d bytes, Content-Encoding %q; want gzip under %d", c.path, gzipped, encoding, c.max)
		}
	}
}

// sent GETs url asking for encoding and returns the bytes of the body as
// sent and its Content-Encoding.
func sent(t *testing.T, url, encoding string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding) // set by hand, the client leaves the body as sent
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, _ := io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return int(n), resp.Header.Get("Content-Encoding")
}

// demoJoinLink gives the demo a missed call and returns the registration
// link of the SMS its log provider prints.
func demoJoinLink(t *testing.T, base string, out *syncBuffer) string {
	t.Helper()
	hook := ""
	for line := range strings.SplitSeq(out.String(), "\n") {
		if i := strings.Index(line, base+"/hooks/missed-call/"); i >= 0 {
			hook, _, _ = strings.Cut(line[i:], " ")
		}
	}
	call := `{"call_id":"weight-1","from":"+919876543210","to":"18000000000"}`
	resp, err := http.Post(hook, "application/json", strings.NewReader(call))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo missed call %q: %v %v", hook, resp, err)
	}
	resp.Body.Close()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if link := joinLink.FindString(out.String()); link != "" {
			return link
		}
	}
	t.Fatalf("no registration link printed:\n%s", out.String())
	return ""
}
