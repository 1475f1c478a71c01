package server

import "net/http"

// secureHeaders gives every answer (JSON, health, metrics, error pages,
// the mux's own redirects and 405s) nosniff and a Content-Security-Policy
// that allows nothing. Pages and error pages replace the policy with
// their own, which allow what they use and no more.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		next.ServeHTTP(w, r)
	})
}
