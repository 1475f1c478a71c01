package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// staticFile is an embedded file served under a name carrying its content
// hash ("join.3f2a9c1b.js"), so it can be cached for a year and a new
// binary's file is never mistaken for the old one.
type staticFile struct {
	body        []byte
	contentType string
}

// static maps a file's hashed name to it; staticNames a file's plain name
// to its hashed one. Built at start: a missing file fails start.
var static, staticNames = func() (map[string]staticFile, map[string]string) {
	files, names := map[string]staticFile{}, map[string]string{}
	entries, err := staticFiles.ReadDir("static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		body, err := staticFiles.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ct := mime.TypeByExtension(ext)
		if ext == ".ico" { // not in Go's table, and system tables differ
			ct = "image/x-icon"
		}
		files[hashed] = staticFile{body: body, contentType: ct}
		names[e.Name()] = "/static/" + hashed
	}
	return files, names
}()

// staticURL is the template function "static": the address of an embedded
// file by its plain name. An unknown name fails the template, at start
// for a page that always uses it.
func staticURL(name string) (string, error) {
	u, ok := staticNames[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return u, nil
}

// serveStatic answers GET /static/{name}.
func (h *Web) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := static[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(f.body)
}
