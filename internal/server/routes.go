package server

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/respond"
)

// Area is the handlers of one part of the site (the API, the provider
// webhooks, the pages), built where the node is wired: it registers its
// own routes.
type Area interface {
	Routes(mux *http.ServeMux)
}

func (s *Server) routes(areas []Area) {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if s.publicMetrics() {
		s.mux.Handle("GET /metrics", s.metricsEndpoint())
	}
	for _, a := range areas {
		a.Routes(s.mux)
	}
	s.mux.HandleFunc("/api/", s.notFound)
	s.mux.HandleFunc("/", s.notFound)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	respond.Error(w, r, s.log, apperr.New(apperr.NotFound, "There is nothing at this address."))
}
