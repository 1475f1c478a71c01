package server

import (
	"net/http"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/respond"
)

// Area is the handlers of one part of the site (the API, the provider
// webhooks, the pages, the console), built where the node is wired: it
// registers its own routes.
type Area interface {
	Routes(mux *Mux)
}

// Route is a registered pattern and the permission its handler checks
// ("" where no role is asked: member pages, webhooks, health).
type Route struct {
	Pattern string
	Need    access.Permission
}

// Mux is the server's ServeMux that keeps the list of what is registered,
// so tests can walk every route the server really serves (the access
// matrix) instead of a list kept by hand.
type Mux struct {
	mux    *http.ServeMux
	routes []Route
}

// NewMux returns an empty Mux (tests serve one area with it).
func NewMux() *Mux { return &Mux{mux: http.NewServeMux()} }

// ServeHTTP routes r.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }

// Handle registers a route that asks for no role.
func (m *Mux) Handle(pattern string, h http.Handler) {
	m.mux.Handle(pattern, h)
	m.routes = append(m.routes, Route{Pattern: pattern})
}

// HandleFunc registers a route that asks for no role.
func (m *Mux) HandleFunc(pattern string, h http.HandlerFunc) { m.Handle(pattern, h) }

// Guard registers a route whose handler checks that its actor holds need
// in the area it is about. Guard only records the need: the handler
// enforces it, and the access matrix test checks that it does.
func (m *Mux) Guard(pattern string, need access.Permission, h http.Handler) {
	m.mux.Handle(pattern, h)
	m.routes = append(m.routes, Route{Pattern: pattern, Need: need})
}

// Routes lists every registered route in registration order.
func (s *Server) Routes() []Route { return append([]Route(nil), s.mux.routes...) }

// Guarded reports whether a pattern is one that must name its need: the
// console's and the API's routes.
func Guarded(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	return strings.HasPrefix(path, "/console") || strings.HasPrefix(path, "/api/v1/")
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
