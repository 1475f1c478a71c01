package api

import (
	"net/http"
	"strconv"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/respond"
)

// getPerson answers GET /api/v1/people/{id}: the person's page as the
// token's scope shows it (directory.View), numbers masked. A person who
// takes part nowhere in the scope is not_found, as one who does not exist.
func (a *API) getPerson(w http.ResponseWriter, r *http.Request, actor access.Actor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		respond.Error(w, r, a.log, apperr.New(apperr.Invalid, "a person's id is a positive number, not %q", r.PathValue("id")))
		return
	}
	person, err := a.people.View(r.Context(), actor, id)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	respond.JSON(w, http.StatusOK, toPersonJSON(person))
}
