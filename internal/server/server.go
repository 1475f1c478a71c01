// Package server is Jodo's HTTP server: the mux, middleware, health,
// readiness and the metrics endpoint. The handlers of each area (api, web,
// hooks) live in their own packages, are built where the node is wired
// (internal/app) and handed to New, which registers their routes.
package server

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/store"
)

// Server holds what handlers share.
type Server struct {
	db       *store.DB
	log      *slog.Logger
	deps     Deps
	registry *prometheus.Registry
	metrics  *httpMetrics
	mux      *Mux
}

// Deps is what the server needs beyond the database and the log.
type Deps struct {
	Config *config.Config // where and behind what token metrics are served; nil: not on the public address
	// Registry is where the areas registered their metrics; nil: one of
	// the server's own.
	Registry *prometheus.Registry
}

// New builds the server and routes to areas beside its own endpoints.
func New(db *store.DB, log *slog.Logger, deps Deps, areas ...Area) *Server {
	reg := deps.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s := &Server{db: db, log: log, deps: deps, registry: reg, mux: NewMux()}
	s.metrics = newHTTPMetrics(s.registry)
	s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.registry.MustRegister(db.PoolCollectors()...)
	s.registry.MustRegister(store.Collectors()...)
	s.routes(areas)
	return s
}

// Registry is where other parts register their metrics.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// Handler is the whole server, wrapped in its middleware.
func (s *Server) Handler() http.Handler {
	return s.requestID(s.secureHeaders(s.compress(s.recoverPanics(s.observe(s.refuseUnreadable(s.mux.mux))))))
}
