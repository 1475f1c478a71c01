package api

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/respond"
)

func (a *API) driveRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/drives", a.authed(a.listDrives))
	mux.HandleFunc("GET /api/v1/drives/{slug}/progress", a.authed(a.progress))
}

type driveJSON struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Timezone string `json:"timezone"`
	RootArea string `json:"root_area"`
}

func (a *API) listDrives(w http.ResponseWriter, r *http.Request, _ access.Actor) {
	drives, err := a.db.Drives(r.Context())
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
