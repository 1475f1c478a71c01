package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// get answers GET path on h with an optional bearer token.
func get(t *testing.T, h http.Handler, path, token string) (int, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// /metrics is never public: on the public address only behind
// JODO_METRICS_TOKEN; with JODO_METRICS_ADDR only on that address (behind
// the token too, if one is set); with neither, nowhere public.
func TestMetricsAreNotPublic(t *testing.T) {
	db := storetest.Open(t, nil)
	const tok = "metrics-t0ken-0123456789"
	for _, tc := range []struct {
		name    string
		cfg     *config.Config
		public  map[string]int // token → status on the public address
		ownAddr map[string]int // token → status on MetricsHandler
	}{
		{"neither", &config.Config{}, map[string]int{"": 404, tok: 404}, map[string]int{"": 200}},
		{"token", &config.Config{MetricsToken: tok}, map[string]int{"": 401, "wrong": 401, tok: 200}, map[string]int{"": 401, tok: 200}},
		{"addr", &config.Config{MetricsAddr: "127.0.0.1:0"}, map[string]int{"": 404}, map[string]int{"": 200}},
		{"both", &config.Config{MetricsAddr: "127.0.0.1:0", MetricsToken: tok}, map[string]int{"": 404, tok: 404}, map[string]int{"": 401, "wrong": 401, tok: 200}},
	} {
		s := New(db, slog.New(slog.DiscardHandler), Deps{Config: tc.cfg})
		for where, want := range map[string]map[string]int{"public": tc.public, "own address": tc.ownAddr} {
			h := s.Handler()
			if where == "own address" {
				h = s.MetricsHandler()
			}
			for token, status := range want {
				code, body := get(t, h, "/metrics", token)
				if code != status {
					t.Errorf("%s, %s, token %q: %d, want %d", tc.name, where, token, code, status)
				}
				if served := strings.Contains(body, "go_goroutines"); served != (status == 200) {
					t.Errorf("%s, %s, token %q: metrics served %v with status %d", tc.name, where, token, served, code)
				}
			}
		}
	}
}
