package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
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

// meetsScope reports whether a drive rooted at root is one the actor takes
// part in: its root lies inside the actor's scope (a state token sees an
// AC's drive), or one of the actor's areas lies inside its root (an AC
// coordinator sees the state's drive, and reads its progress for their
// own areas only). A district root stands for its ACs, as in a scope.
func (a *API) meetsScope(ctx context.Context, actor access.Actor, root string) (bool, error) {
	roots, err := a.db.ScopeAreas(ctx, []string{root})
	if err != nil {
		return false, err
	}
	for _, r := range roots {
		if store.InScope(actor.Scope, r) || slices.ContainsFunc(actor.Scope, func(s store.Area) bool { return store.InScope([]store.Area{r}, s) }) {
			return true, nil
		}
	}
	return false, nil
}
