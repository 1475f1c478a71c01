// Package api serves Jodo's JSON API under /api/v1: public reference data
// (areas) and, with a bearer token, drives, their progress and people.
// Handlers hold no SQL; every route but the areas checks the token's role
// (access.Table), and access is scoped by the token's areas.
package api

import (
	"log/slog"

	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// API holds what the handlers share.
type API struct {
	db     *store.DB
	people *directory.Directory
	log    *slog.Logger
}

// New returns the API handlers; people answers the people routes.
func New(db *store.DB, people *directory.Directory, log *slog.Logger) *API {
	return &API{db: db, people: people, log: log}
}

// Routes registers every API route on mux.
func (a *API) Routes(mux *server.Mux) {
	a.areaRoutes(mux)
	a.driveRoutes(mux)
	a.peopleRoutes(mux)
	a.postRoutes(mux)
	a.recruiterRoutes(mux)
	a.groupRoutes(mux)
}
