package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/jodo-org/jodo/internal/api"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/web"
)

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	api.New(s.db, s.log).Routes(s.mux)
	if s.deps.Recorder != nil {
		hooks.New(hooks.Deps{
			DB: s.db, Recorder: s.deps.Recorder, Env: s.deps.Env, Log: s.log, Metrics: s.registry,
			SecretKey: s.deps.Config.SecretKey, HookSecret: s.deps.Config.HookSecret, TwilioToken: s.deps.Config.TwilioToken, BaseURL: s.deps.Config.BaseURL,
		}).Routes(s.mux)
	}

	if s.deps.Config != nil && s.deps.Config.SecretKey != "" {
		key := []byte(s.deps.Config.SecretKey)
		web.New(web.Deps{DB: s.db, Links: links.New(key, s.deps.Config.BaseURL), SecretKey: key,
			BaseURL: s.deps.Config.BaseURL, Log: s.log}).Routes(s.mux)
	}

	s.mux.HandleFunc("/api/", s.notFound)
	s.mux.HandleFunc("/", s.notFound)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	respond.Error(w, r, s.log, apperr.New(apperr.NotFound, "There is nothing at this address."))
}
