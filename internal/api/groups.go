package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
)

// groupJSON is a registered group as staff may read it: never its invite
// (only its owner sees that, on /me and in the bot).
type groupJSON struct {
	ID          int64     `json:"id"`
	Owner       int64     `json:"owner"`
	Area        string    `json:"area"`
	Kind        string    `json:"kind"`
	Name        string    `json:"group_name"`
	Language    string    `json:"language"`
	Size        string    `json:"size"`
	State       string    `json:"state"`
	ConfirmedAt time.Time `json:"confirmed_at"`
}

type groupsJSON struct {
	Drive  string      `json:"drive"`
	Area   string      `json:"area"`
	Live   int64       `json:"live"`
	Target *int64      `json:"target"`
	Groups []groupJSON `json:"groups"`
	Next   string      `json:"next,omitempty"`
}

func (a *API) groupRoutes(mux *server.Mux) {
	a.guard(mux, "GET /api/v1/drives/{slug}/groups", access.PeopleRead, a.groups)
}

// groups answers GET /api/v1/drives/{slug}/groups?area=&state=&kind=&language=&page=:
// the groups of the area in the token's scope, as the console lists them.
func (a *API) groups(w http.ResponseWriter, r *http.Request, actor access.Actor) {
	q := r.URL.Query()
	list, err := a.people.Groups(r.Context(), actor, directory.GroupFilter{Drive: r.PathValue("slug"),
		Area: strings.ToUpper(strings.TrimSpace(q.Get("area"))), State: q.Get("state"), Kind: q.Get("kind"),
		Language: q.Get("language"), Page: q.Get("page")})
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	out := groupsJSON{Drive: list.Drive.Slug, Area: list.Area.Code, Live: list.Live, Target: list.Target, Groups: []groupJSON{}, Next: list.Next}
	for _, g := range list.Rows {
		out.Groups = append(out.Groups, groupJSON{ID: g.ID, Owner: g.PersonID, Area: g.Area.Code, Kind: g.Kind, Name: g.Name,
			Language: g.Language, Size: g.Size, State: g.State, ConfirmedAt: g.ConfirmedAt.UTC()})
	}
	respond.JSON(w, http.StatusOK, out)
}
