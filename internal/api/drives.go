package api

import (
	"context"
	"net/http"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
)

func (a *API) driveRoutes(mux *server.Mux) {
	a.guard(mux, "GET /api/v1/drives", access.ProgressRead, a.listDrives)
	a.guard(mux, "GET /api/v1/drives/{slug}/progress", access.ProgressRead, a.progress)
}

type driveJSON struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Timezone string `json:"timezone"`
	RootArea string `json:"root_area"`
}

// listDrives lists the drives the token's scope meets (meetsScope).
func (a *API) listDrives(w http.ResponseWriter, r *http.Request, actor access.Actor) {
	drives, err := a.db.Drives(r.Context())
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	out := make([]driveJSON, 0, len(drives))
	for _, d := range drives {
		meets, err := a.meetsScope(r.Context(), actor, d.RootArea)
		if err != nil {
			respond.Error(w, r, a.log, err)
			return
		}
		if !meets {
			continue
		}
		out = append(out, driveJSON{Slug: d.Slug, Name: d.Name, StartsOn: d.StartsOn, EndsOn: d.EndsOn, Timezone: d.Timezone, RootArea: d.RootArea})
	}
	respond.JSON(w, http.StatusOK, map[string]any{"drives": out})
}

// meetsScope reports whether a drive rooted at root is one the actor
// takes part in (access.Meets).
func (a *API) meetsScope(ctx context.Context, actor access.Actor, root string) (bool, error) {
	return access.Meets(ctx, a.db, actor.Scope(access.ProgressRead), root)
}
