package api_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jodo-org/jodo/internal/api"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// newDirectory is the people's use-cases over db, with a test key.
func newDirectory(tb testing.TB, db *store.DB) *directory.Directory {
	tb.Helper()
	d, err := directory.New(db, directory.Config{SecretKey: []byte("api test key, 32 bytes at least!")})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// startAPI serves the API's routes on db over real HTTP.
func startAPI(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	mux := server.NewMux()
	api.New(db, newDirectory(t, db), slog.New(slog.DiscardHandler)).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// getJSON GETs url, decodes the JSON body into v and returns the response
// (its body already read and closed).
func getJSON(t *testing.T, url string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", url, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: decode: %v", url, err)
	}
	return resp
}

// getAs GETs url with a bearer token ("": none); the caller closes the body.
func getAs(t *testing.T, token, url string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// decodeJSON decodes a JSON response body into v.
func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s %s: decode: %v", resp.Request.Method, resp.Request.URL, err)
	}
}
