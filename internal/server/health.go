package server

import (
	"context"
	"net/http"
	"time"

	"github.com/jodo-org/jodo/internal/respond"
)

// healthz says the process is up; it touches nothing else, so a slow
// database never gets a live server killed.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether this server can do its work: the database answers
// and its schema is the one this binary expects.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.CheckSchema(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err)
		respond.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "database unreachable or schema not current"})
		return
	}
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
