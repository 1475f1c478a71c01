package server

import (
	"net/http"
	"strings"

	"github.com/jodo-org/jodo/internal/api"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/web"
)

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if s.publicMetrics() {
		s.mux.Handle("GET /metrics", s.metricsEndpoint())
	}
	api.New(s.db, s.log).Routes(s.mux)
	if s.deps.Recorder != nil {
		hooks.New(hooks.Deps{
			DB: s.db, Recorder: s.deps.Recorder, Env: s.deps.Env, Log: s.log, Metrics: s.registry,
			SecretKey: s.deps.Config.SecretKey, HookSecret: s.deps.Config.HookSecret, TwilioToken: s.deps.Config.TwilioToken, BaseURL: s.deps.Config.BaseURL,
			WhatsAppVerifyToken: s.deps.Config.WhatsAppVerifyToken, WhatsAppAppSecret: s.deps.Config.WhatsAppAppSecret,
			WhatsApp: s.deps.WhatsApp,
		}).Routes(s.mux)
	}

	if cfg := s.deps.Config; cfg != nil && cfg.SecretKey != "" {
		key := []byte(cfg.SecretKey)
		d := web.Deps{DB: s.db, Links: links.New(key), SecretKey: key, BaseURL: cfg.BaseURL, Log: s.log}
		if cfg.SMS.Provider != "" && cfg.SMS.Provider != config.SMSNone {
			si, err := signin.New(s.db, signin.Config{SecretKey: key, Secure: strings.HasPrefix(cfg.BaseURL, "https://"),
				TrustedProxies: cfg.TrustedProxies, DailyBudget: cfg.SMS.SignInBudget, Countries: cfg.Countries,
				SMS: signin.OutboxSMS(cfg.SMS.Provider, cfg.SMS.SignInTemplates, s.deps.Wake)}, s.registry)
			if err != nil {
				s.log.Error("sign-in is off", "err", err)
			} else {
				d.Sessions, d.ClientIP = si, si.ClientIP
			}
		}
		web.New(d).Routes(s.mux)
	}

	s.mux.HandleFunc("/api/", s.notFound)
	s.mux.HandleFunc("/", s.notFound)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	respond.Error(w, r, s.log, apperr.New(apperr.NotFound, "There is nothing at this address."))
}
