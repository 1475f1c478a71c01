package server

import (
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Pages, JSON, CSS and JS go out gzipped to a client that asks, and plain
// to one that does not; the card PNG and tiny answers (the webhooks')
// are never gzipped.
func TestCompression(t *testing.T) {
	s := New(storetest.Open(t, nil), slog.New(slog.DiscardHandler), Deps{})
	page := "<!doctype html><p>" + strings.Repeat("जोड़ो join ", 400)
	serve := func(path, contentType, body string) {
		s.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			io.WriteString(w, body)
		})
	}
	serve("/page", "text/html; charset=utf-8", page)
	serve("/json", "application/json", `{"a":"`+strings.Repeat("x", 4000)+`"}`)
	serve("/card.png", "image/png", strings.Repeat("\x89PNG", 1000))
	serve("/tiny", "application/json", `{"ok":true}`)
	h := s.Handler()
	for _, c := range []struct {
		path, accept string
		gzipped      bool
	}{
		{"/page", "gzip, deflate, br", true},
		{"/json", "gzip", true},
		{"/page", "", false},
		{"/page", "br", false},
		{"/page", "gzip;q=0", false},
		{"/page", "gzip; Q=0", false},
		{"/page", "gzip;q=0.", false},
		{"/page", "deflate, gzip;foo=1;q=0", false},
		{"/page", "gzip;q=0.5", true},
		{"/card.png", "gzip", false},
		{"/tiny", "gzip", false},
	} {
		req := httptest.NewRequest("GET", c.path, nil)
		if c.accept != "" {
			req.Header.Set("Accept-Encoding", c.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Header().Get("Content-Encoding") == "gzip"
		if got != c.gzipped || rec.Code != 200 || !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s (Accept-Encoding %q): %d, gzipped %v, want %v; %v", c.path, c.accept, rec.Code, got, c.gzipped, rec.Header())
			continue
		}
		body, zipped := rec.Body.Bytes(), rec.Body.Len()
		if got {
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
			if zipped >= len(body)/2 {
				t.Errorf("GET %s: %d bytes gzipped from %d", c.path, zipped, len(body))
			}
		}
		if c.path == "/page" && string(body) != page {
			t.Errorf("GET %s (Accept-Encoding %q): body changed", c.path, c.accept)
		}
	}
}

// A gzipped answer drops a Content-Length the handler set for the
// uncompressed body.
func TestCompressionDropsContentLength(t *testing.T) {
	s := New(storetest.Open(t, nil), slog.New(slog.DiscardHandler), Deps{})
	body := strings.Repeat("a", 5000)
	s.mux.HandleFunc("GET /f", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Header().Set("Content-Length", "5000")
		io.WriteString(w, body)
	})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/f") // the client asks for gzip and undoes it
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || string(got) != body || !resp.Uncompressed {
		t.Errorf("GET /f: %v, %d bytes, uncompressed by the client %v", err, len(got), resp.Uncompressed)
	}
}
