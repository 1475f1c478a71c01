package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
)

type personRowJSON struct {
	ID              int64     `json:"id"`
	ParticipationID int64     `json:"participation_id"`
	Name            string    `json:"name"`
	MembershipNo    string    `json:"membership_no"`
	Drive           string    `json:"drive"`
	Area            string    `json:"area"`
	AreaName        string    `json:"area_name"`
	Stage           string    `json:"stage"`
	Channel         string    `json:"channel"`
	FirstSeen       time.Time `json:"first_seen"`
	Phone           string    `json:"phone"` // masked
}

type peopleJSON struct {
	People     []personRowJSON `json:"people"`
	NextCursor string          `json:"next_cursor,omitempty"`
}

// parsePeopleQuery reads GET /api/v1/people's query.
func parsePeopleQuery(r *http.Request) (directory.Query, error) {
	v := r.URL.Query()
	q := directory.Query{Drive: strings.TrimSpace(v.Get("drive")), Area: strings.TrimSpace(v.Get("area")), Stage: v.Get("stage"),
		Channel: v.Get("channel"), Text: v.Get("q"), Cursor: v.Get("cursor")}
	if err := readable(q.Drive, q.Area, q.Stage, q.Channel, q.Text, q.Cursor); err != nil {
		return q, err
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > store.MaxPeopleLimit {
			return q, apperr.New(apperr.Invalid, "limit must be 1 to %d rows, not %q", store.MaxPeopleLimit, l)
		}
		q.Limit = n
	}
	return q, nil
}

// listPeople answers GET /api/v1/people: a page of the participations in
// the token's scope that the query selects (directory.Search), numbers
// masked.
func (a *API) listPeople(w http.ResponseWriter, r *http.Request, actor access.Actor) {
	q, err := parsePeopleQuery(r)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	found, err := a.people.Search(r.Context(), actor, q)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	slugs, err := a.driveSlugs(r.Context())
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	out := peopleJSON{People: make([]personRowJSON, 0, len(found.Rows)), NextCursor: found.Next}
	for _, p := range found.Rows {
		out.People = append(out.People, personRowJSON{ID: p.PersonID, ParticipationID: p.ParticipationID, Name: p.Name,
			MembershipNo: p.MembershipNo, Drive: slugs[p.DriveID], Area: p.AreaCode, AreaName: p.AreaName, Stage: string(p.Stage),
			Channel: p.Channel, FirstSeen: p.FirstSeen.UTC(), Phone: p.Phone})
	}
	respond.JSON(w, http.StatusOK, out)
}

// driveSlugs names the drives by id: a row says which drive it is in.
func (a *API) driveSlugs(ctx context.Context) (map[int64]string, error) {
	drives, err := a.db.Drives(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(drives))
	for _, d := range drives {
		out[d.ID] = d.Slug
	}
	return out, nil
}
