package api

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
)

// guard registers a route that runs h with the actor of the request's
// bearer token when its role carries need: no token or a bad one is 401,
// a role without need 403. Where in its scope the actor may use need is
// the handler's to check, with actor.Scope(need).
func (a *API) guard(mux *server.Mux, pattern string, need access.Permission, h func(http.ResponseWriter, *http.Request, access.Actor)) {
	mux.Guard(pattern, need, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor, err := access.Authenticate(r.Context(), a.db, r.Header.Get("Authorization"))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="jodo"`)
			respond.Error(w, r, a.log, err)
			return
		}
		if !actor.Can(need) {
			respond.Error(w, r, a.log, apperr.New(apperr.Forbidden, "This token's role does not allow this (it needs %s; see docs/access.md).", need))
			return
		}
		h(w, r, actor)
	}))
}
