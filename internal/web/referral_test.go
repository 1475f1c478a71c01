package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/web"
)

// /r/ answers 20 requests a minute from one network (an IPv6 /64 is one
// client), then 429; another address is not limited by it.
func TestReferralLinksAreRateLimited(t *testing.T) {
	mux := server.NewMux()
	web.New(web.Deps{SecretKey: []byte("key"), BaseURL: "https://jodo.example.in", Log: slog.New(slog.DiscardHandler), Sessions: signedInAs{person: 1}}).Routes(mux)
	get := func(addr string) int {
		req := httptest.NewRequest(http.MethodGet, "/r/short", nil)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 20 {
		if code := get(fmt.Sprintf("[2409:40e1:1a:2b::%x]:443", i+1)); code != http.StatusSeeOther {
			t.Fatalf("request %d: HTTP %d", i+1, code)
		}
	}
	if code := get("[2409:40e1:1a:2b::ffff]:443"); code != http.StatusTooManyRequests {
		t.Errorf("request %d from the same /64: HTTP %d, want 429", 21, code)
	}
	if code := get("49.36.12.201:443"); code != http.StatusSeeOther {
		t.Errorf("another client: HTTP %d", code)
	}
}
