package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/intake"
)

// wrk's Lua script makes the calls exotelCall makes (the same ids,
// numbers and repeats, in order), each one Exotel's parser accepts with
// the current India time.
func TestWrkScriptMakesExotelCalls(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed (apt-get install -y wrk)")
	}
	var mu sync.Mutex
	var got []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/hooks/exotel/"+benchSecret {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		mu.Lock()
		got = append(got, r.URL.Query())
		mu.Unlock()
	}))
	defer srv.Close()
	r, err := wrkLoad(context.Background(), t.TempDir(), 1, time.Second, []string{srv.URL}, 4)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if r.OK < 30 || r.Failed != 0 || r.OK > int64(len(got)) {
		t.Fatalf("wrk: %+v, server saw %d calls", r, len(got))
	}
	// wrk calls request() once before it connects and drops that request.
	var first int64
	if _, err := fmt.Sscanf(got[0].Get("CallSid"), "bench40-%d", &first); err != nil || first > 5 {
		t.Fatalf("first call %q", got[0].Get("CallSid"))
	}
	for k, q := range got[:30] {
		want := exotelCall(srv.URL, first+int64(k), 40).URL.Query()
		c, err := intake.ParseExotel(q)
		if err != nil {
			t.Fatalf("call %d: %v", k+1, err)
		}
		if time.Since(c.At).Abs() > 2*time.Minute {
			t.Fatalf("call %d is at %s, not now", k+1, c.At)
		}
		for _, name := range []string{"CallStart", "Created", "StartTime", "CurrentTime"} {
			q.Del(name)
			want.Del(name)
		}
		if q.Encode() != want.Encode() {
			t.Fatalf("call %d:\n wrk  %s\n want %s", k+1, q.Encode(), want.Encode())
		}
	}
	at := func(i int64) string { return got[i-first].Get("CallSid") }
	if at(20) != at(13) || at(19) == at(13) {
		t.Fatal("the 20th call does not repeat the 13th, or the 19th does")
	}
}

func TestParseWrk(t *testing.T) {
	r, err := parseWrk("Running 5s test\nJODO-WRK requests=1000 duration_us=5000000 status_errors=10 socket_errors=2 p50_us=1500 p99_us=9000\n")
	if err != nil {
		t.Fatal(err)
	}
	want := Result{OK: 990, Failed: 12, Elapsed: 5 * time.Second, P50: 1500 * time.Microsecond, P99: 9 * time.Millisecond}
	if r != want {
		t.Fatalf("parseWrk = %+v, want %+v", r, want)
	}
	if _, err := parseWrk("wrk: connection refused\n"); err == nil {
		t.Fatal("parseWrk accepted output without a summary")
	}
}
