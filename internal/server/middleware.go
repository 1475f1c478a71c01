package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/logging"
	"github.com/jodo-org/jodo/internal/respond"
)

func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(logging.WithRequestID(r.Context(), id)))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				respond.Error(w, r, s.log, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and counts it by route pattern, never by raw
// path: paths can carry webhook secrets and would explode label counts.
// A webhook a provider delivered and Jodo stored (under 400) is logged at
// debug: in a launch storm they come by the thousand a second, each is in
// the inbox and the route's metrics, and at info their lines cost the
// intake a twentieth of its CPU (docs/performance.md, "Fourth session").
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		route := routeLabel(r.Pattern)
		s.metrics.observe(route, r.Method, sw.status, d)
		level := slog.LevelInfo
		if sw.status < 400 && strings.HasPrefix(route, "/hooks/") {
			level = slog.LevelDebug
		}
		s.log.Log(r.Context(), level, "request", "method", r.Method, "route", route,
			"path", redactedPath(r), "status", sw.status, "ms", d.Milliseconds())
	})
}

// routeLabel drops the method from a pattern ("GET /healthz" → "/healthz").
func routeLabel(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return path
	}
	return pattern
}

// redactedWildcards are the path wildcards never logged: webhook secrets,
// registration links' tokens, and membership numbers (/verify/{number},
// /card/{file}), which with a name make a member's identity, and referral
// codes (/r/{ref}), each a way to credit someone.
var redactedWildcards = []string{"secret", "token", "number", "file", "ref"}

// redactedPath is the request path with any wildcard of redactedWildcards
// replaced; the query string is never logged (it can carry tokens and
// signatures). A path that matched no route may still hold a secret (a
// provider configured with a stray suffix) or a number (a mistyped card
// link), so only its first segment is kept, and a webhook's first two.
func redactedPath(r *http.Request) string {
	for _, name := range redactedWildcards {
		if v := r.PathValue(name); v != "" {
			return strings.ReplaceAll(r.URL.Path, v, "REDACTED")
		}
	}
	if r.Pattern == "" || r.Pattern == "/" {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/hooks/"); ok {
			provider, _, _ := strings.Cut(rest, "/")
			return "/hooks/" + provider + "/REDACTED"
		}
		if first, rest, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); ok && rest != "" {
			return "/" + first + "/REDACTED"
		}
	}
	return r.URL.Path
}
