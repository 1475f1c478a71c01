package api

import (
	"net/http"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
)

// recruiterJSON is a place on the leaderboard: never a name; the person's
// id only for a token holding people.read over the area.
type recruiterJSON struct {
	Rank     int    `json:"rank"`
	Person   int64  `json:"person,omitempty"`
	Area     string `json:"area"`
	Direct   int64  `json:"direct"`
	Indirect int64  `json:"indirect"`
}

type recruitersJSON struct {
	Drive      string          `json:"drive"`
	Area       string          `json:"area"`
	Recruiters []recruiterJSON `json:"recruiters"`
}

func (a *API) recruiterRoutes(mux *server.Mux) {
	a.guard(mux, "GET /api/v1/drives/{slug}/recruiters", access.ProgressRead, a.recruiters)
}

// recruiters answers GET /api/v1/drives/{slug}/recruiters?area=: the top
// 50 recruiters of the area (the drive's root by default) by direct, then
// indirect recruits.
func (a *API) recruiters(w http.ResponseWriter, r *http.Request, actor access.Actor) {
	board, err := a.people.Recruiters(r.Context(), actor, r.PathValue("slug"), strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("area"))))
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	out := recruitersJSON{Drive: board.Drive.Slug, Area: board.Area.Code, Recruiters: []recruiterJSON{}}
	for i, row := range board.Rows {
		out.Recruiters = append(out.Recruiters, recruiterJSON{Rank: i + 1, Person: row.PersonID, Area: row.Area.Code,
			Direct: row.Direct, Indirect: row.Indirect})
	}
	respond.JSON(w, http.StatusOK, out)
}
