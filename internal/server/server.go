// Package server assembles Jodo's HTTP server: routes, middleware, health,
// metrics. Handlers of each area (api, web, hooks) live in their own
// packages and are registered in routes.go.
package server

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/store"
)

// Server holds what handlers share.
type Server struct {
	db       *store.DB
	log      *slog.Logger
	deps     Deps
	registry *prometheus.Registry
	metrics  *httpMetrics
	mux      *http.ServeMux
}

// Deps is what the handlers need beyond the database and the log.
type Deps struct {
	Config   *config.Config
	Env      config.Env
	Recorder *intake.Recorder // missed calls; nil serves no call webhooks
	Wake     func()           // tells the outbox sender a message was queued; may be nil
	// WhatsApp stores WhatsApp webhooks; nil serves no WhatsApp POSTs.
	WhatsApp *intake.WhatsAppRecorder
}

// New builds the server and its routes.
func New(db *store.DB, log *slog.Logger, deps Deps) *Server {
	s := &Server{db: db, log: log, deps: deps, registry: prometheus.NewRegistry(), mux: http.NewServeMux()}
	s.metrics = newHTTPMetrics(s.registry)
	s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.registry.MustRegister(db.PoolCollectors()...)
	s.registry.MustRegister(store.Collectors()...)
	s.routes()
	return s
}

// Registry is where other parts register their metrics.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// Handler is the whole server, wrapped in its middleware.
func (s *Server) Handler() http.Handler {
	return s.requestID(s.secureHeaders(s.recoverPanics(s.observe(s.refuseUnreadable(s.mux)))))
}
