// Package assets owns the static files every area of the site serves: the
// files themselves (embedded, so they ship in the binary), their
// content-hashed names, and the handler for GET /static/{name}. The member
// pages use join.js and the icon; the console uses console.css, console.js
// and the vendored htmx (VENDOR.md says which version and how to update it).
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
)

//go:embed files
var files embed.FS

// file is an embedded file served under a name carrying its content hash
// ("join.3f2a9c1b.js"), so it can be cached for a year and a new binary's
// file is never mistaken for the old one.
type file struct {
	body        []byte
	contentType string
}

// contentTypes are the types of what is embedded, fixed here because
// systems' MIME tables differ (and .ico is not in Go's). Anything else (the
// licence) is plain text.
var contentTypes = map[string]string{
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".ico":   "image/x-icon",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".woff2": "font/woff2",
}

// byHash maps a file's hashed name to it; urls a file's plain name to its
// address. Built at start: an unreadable file fails start.
var byHash, urls = load()

func load() (map[string]file, map[string]string) {
	out, names := map[string]file{}, map[string]string{}
	entries, err := files.ReadDir("files")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		body, err := files.ReadFile("files/" + e.Name())
		if err != nil {
			panic(err)
		}
		hashed := hashedName(e.Name(), body)
		ct, ok := contentTypes[path.Ext(e.Name())]
		if !ok {
			ct = "text/plain; charset=utf-8"
		}
		out[hashed] = file{body: body, contentType: ct}
		names[e.Name()] = "/static/" + hashed
	}
	return out, names
}

// hashedName puts the first 8 hex digits of the body's SHA-256 before the
// name's extension: "htmx.min.js" becomes "htmx.min.1a2b3c4d.js".
func hashedName(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
}

// URL is the address of an embedded file by its plain name; templates use
// it as the function "static". An unknown name is an error, so a template
// naming a missing file fails when it runs (at start for a page that
// always uses it).
func URL(name string) (string, error) {
	u, ok := urls[name]
	if !ok {
		return "", fmt.Errorf("assets: no file %q", name)
	}
	return u, nil
}

// Handler answers GET /static/{name}.
var Handler http.Handler = http.HandlerFunc(Serve)

// Serve answers GET /static/{name}: the file under its hashed name, cached
// for a year; any other name is not found.
func Serve(w http.ResponseWriter, r *http.Request) {
	f, ok := byHash[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	write(w, f, "public, max-age=31536000, immutable")
}

// ServeFile answers an address browsers ask for by a fixed name (the icon
// at /favicon.ico) with the embedded file of that plain name, cached for a
// day since the name does not change with the content.
func ServeFile(name string) http.HandlerFunc {
	u, ok := urls[name]
	if !ok {
		panic("assets: no file " + name)
	}
	f := byHash[strings.TrimPrefix(u, "/static/")]
	return func(w http.ResponseWriter, r *http.Request) {
		write(w, f, "public, max-age=86400")
	}
}

func write(w http.ResponseWriter, f file, cache string) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", cache)
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(f.body)
}
