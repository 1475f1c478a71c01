package assets_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/assets"
)

// mux routes as the areas do: /static/{name} to the handler, the icon by
// its fixed name.
func mux() *http.ServeMux {
	m := http.NewServeMux()
	m.Handle("GET /static/{name}", assets.Handler)
	m.HandleFunc("GET /favicon.ico", assets.ServeFile("favicon.ico"))
	return m
}

func get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	mux().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Result(), rec.Body.Bytes()
}

// Each file's address is its name with the first 8 hex digits of its
// content's SHA-256 before the extension: the same on every call and every
// build of the same content, and a different address for new content.
func TestHashedNames(t *testing.T) {
	for _, name := range []string{"join.js", "favicon.ico", "htmx.min.js", "htmx.LICENSE", "console.css", "console.js"} {
		body, err := os.ReadFile("files/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		ext := name[strings.LastIndexByte(name, '.'):]
		want := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		u1, err1 := assets.URL(name)
		u2, err2 := assets.URL(name)
		if err1 != nil || err2 != nil || u1 != want || u2 != want {
			t.Errorf("URL(%q) = %q, %q (%v, %v), want %q", name, u1, u2, err1, err2, want)
		}
	}
	if u, err := assets.URL("nope.js"); err == nil {
		t.Errorf("URL of a missing file = %q, want an error", u)
	}
}

// A file is served under its hashed name with its type, nosniff and a
// year's immutable caching, byte for byte as embedded.
func TestServe(t *testing.T) {
	types := map[string]string{
		"join.js":      "text/javascript; charset=utf-8",
		"console.js":   "text/javascript; charset=utf-8",
		"htmx.min.js":  "text/javascript; charset=utf-8",
		"console.css":  "text/css; charset=utf-8",
		"favicon.ico":  "image/x-icon",
		"htmx.LICENSE": "text/plain; charset=utf-8",
	}
	for name, ct := range types {
		u, _ := assets.URL(name)
		resp, body := get(t, u)
		want, _ := os.ReadFile("files/" + name)
		if resp.StatusCode != http.StatusOK || string(body) != string(want) {
			t.Errorf("%s: %d, %d bytes, want 200 and the file's %d", u, resp.StatusCode, len(body), len(want))
		}
		h := resp.Header
		if h.Get("Content-Type") != ct || h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: Content-Type %q (want %q), Cache-Control %q, nosniff %q", u, h.Get("Content-Type"), ct, h.Get("Cache-Control"), h.Get("X-Content-Type-Options"))
		}
	}
}

// Only hashed names are served: a plain name, a stale hash, a path outside
// the files are not found, and not cached for a year.
func TestServeUnknown(t *testing.T) {
	for _, path := range []string{"/static/join.js", "/static/join.00000000.js", "/static/files", "/static/..%2fassets.go", "/static/"} {
		resp, _ := get(t, path)
		if resp.StatusCode != http.StatusNotFound || strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d, Cache-Control %q, want 404 not cached", path, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
}

// /favicon.ico answers with the icon, cached for a day only (its name does
// not change with its content).
func TestServeFile(t *testing.T) {
	resp, body := get(t, "/favicon.ico")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/x-icon" ||
		resp.Header.Get("Cache-Control") != "public, max-age=86400" || !strings.HasPrefix(string(body), "\x00\x00\x01\x00") {
		t.Errorf("/favicon.ico: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
	defer func() {
		if recover() == nil {
			t.Error("ServeFile of a missing file did not panic")
		}
	}()
	assets.ServeFile("nope.ico")
}

// The embedded htmx is the one VENDOR.md names: its sha256, its version,
// and its licence kept beside it.
func TestVendoredHTMX(t *testing.T) {
	m := fromVendor(t, "version \\*\\*([0-9.]+)\\*\\*(?s:.*)htmx.min.js sha256 \\| `([0-9a-f]{64})`", "an htmx version and sha256")
	version, sum := string(m[1]), string(m[2])
	u, _ := assets.URL("htmx.min.js")
	resp, body := get(t, u)
	got := sha256.Sum256(body)
	if resp.StatusCode != http.StatusOK || hex.EncodeToString(got[:]) != sum {
		t.Errorf("served htmx.min.js has sha256 %x, VENDOR.md says %s", got, sum)
	}
	if !strings.Contains(string(body), `version:"`+version+`"`) {
		t.Errorf("htmx.min.js is not version %s", version)
	}
	u, _ = assets.URL("htmx.LICENSE")
	_, licence := get(t, u)
	if !strings.HasPrefix(string(licence), "Zero-Clause BSD") {
		t.Errorf("htmx.LICENSE begins %q", licence[:min(len(licence), 40)])
	}
}

// fromVendor is what pattern finds in VENDOR.md; the test fails when it
// finds nothing, saying what was looked for.
func fromVendor(t *testing.T, pattern, what string) [][]byte {
	t.Helper()
	vendor, err := os.ReadFile("VENDOR.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(pattern).FindSubmatch(vendor)
	if m == nil {
		t.Fatalf("VENDOR.md names no %s", what)
	}
	return m
}
