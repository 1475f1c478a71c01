package api

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
)

func (a *API) driveRoutes(mux *server.Mux) {
	a.guard(mux, "GET /api/v1/drives", access.ProgressRead, a.listDrives)
	a.guard(mux, "GET /api/v1/drives/{slug}/progress", access.ProgressRead, a.progress)
	a.guard(mux, "GET /api/v1/drives/{slug}/series", access.ProgressRead, a.series)
}

type driveJSON struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Timezone string `json:"timezone"`
	RootArea string `json:"root_area"`
}

// listDrives lists the drives the token's scope takes part in.
func (a *API) listDrives(w http.ResponseWriter, r *http.Request, actor access.Actor) {
	drives, err := drive.ForScope(r.Context(), a.db, actor.Scope(access.ProgressRead))
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	out := make([]driveJSON, 0, len(drives))
	for _, d := range drives {
		out = append(out, driveJSON{Slug: d.Slug, Name: d.Name, StartsOn: d.StartsOn, EndsOn: d.EndsOn, Timezone: d.Timezone, RootArea: d.RootArea})
	}
	respond.JSON(w, http.StatusOK, map[string]any{"drives": out})
}
