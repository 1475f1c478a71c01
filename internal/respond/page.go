package respond

import "net/http"

// PrivatePage writes a rendered page that is one person's (the console's,
// the demo's phone): kept by no cache, sending no referrer, never sniffed
// or indexed, under csp, and varying with htmx's header, as its polled
// parts are the same address.
func PrivatePage(w http.ResponseWriter, status int, csp string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Content-Security-Policy", csp)
	h.Set("Vary", "HX-Request")
	w.WriteHeader(status)
	w.Write(body)
}
