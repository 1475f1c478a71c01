// Package api serves Jodo's JSON API under /api/v1: public reference data
// (areas) and, with a bearer token, drives and their progress. Handlers
// hold no SQL; access is scoped by the token's areas.
package api

import (
	"log/slog"

	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// API holds what the handlers share.
type API struct {
	db  *store.DB
	log *slog.Logger
}

// New returns the API handlers.
func New(db *store.DB, log *slog.Logger) *API { return &API{db: db, log: log} }

// Routes registers every API route on mux.
func (a *API) Routes(mux *server.Mux) {
	a.areaRoutes(mux)
	a.driveRoutes(mux)
}
