package server

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/respond"
)

// MetricsHandler serves /metrics for a listen address of its own
// (JODO_METRICS_ADDR), with the security headers of every answer and,
// when JODO_METRICS_TOKEN is set, only to "Authorization: Bearer TOKEN".
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metricsEndpoint())
	mux.HandleFunc("/", s.notFound)
	return s.secureHeaders(mux)
}

// publicMetrics reports whether the public address serves /metrics: only
// behind a token, and only when no address of its own is configured.
// Metrics tell an attacker the load, the queues and what fails.
func (s *Server) publicMetrics() bool {
	cfg := s.deps.Config
	return cfg != nil && cfg.MetricsAddr == "" && cfg.MetricsToken != ""
}

// metricsEndpoint is the Prometheus handler behind the token, if one is set.
func (s *Server) metricsEndpoint() http.Handler {
	h := promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})
	if s.deps.Config == nil || s.deps.Config.MetricsToken == "" {
		return h
	}
	want := []byte(s.deps.Config.MetricsToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="jodo-metrics"`)
			respond.Error(w, r, s.log, apperr.New(apperr.Unauthorized, "Send the metrics token as: Authorization: Bearer TOKEN"))
			return
		}
		h.ServeHTTP(w, r)
	})
}
