package api

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/respond"
)

// authed runs h with the actor of the request's bearer token; no token or
// a bad one is 401.
func (a *API) authed(h func(http.ResponseWriter, *http.Request, access.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		actor, err := access.Authenticate(r.Context(), a.db, r.Header.Get("Authorization"))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="jodo"`)
			respond.Error(w, r, a.log, err)
			return
		}
		h(w, r, actor)
	}
}
