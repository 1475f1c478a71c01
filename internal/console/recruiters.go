package console

import (
	"net/http"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
)

type recruitersPage struct {
	shell
	Drive, AreaCode, Area string
	Drives                []option
	Rows                  []recruiterRow
	Named, Error          bool
}

// recruiterRow is one place on the leaderboard; PersonID and Name are
// blank for a reader without people.read there.
type recruiterRow struct {
	Rank, PersonID   int64
	Name, Area       string
	Direct, Indirect string
}

// recruiters shows a drive's top 50 recruiters at an area of the asker's
// scope: names linked to their pages for people.read holders, counts
// alone for the rest.
func (c *Console) recruiters(w http.ResponseWriter, r *http.Request, a asker) {
	ctx := r.Context()
	q := r.URL.Query()
	p := recruitersPage{shell: c.newShell(r, a, "/console/recruiters", "recruiters.title")}
	board, err := c.dir.Recruiters(ctx, a.actor, q.Get("drive"), strings.ToUpper(strings.TrimSpace(q.Get("area"))))
	status := http.StatusOK
	switch {
	case err == nil:
		p.Drive, p.AreaCode, p.Area, p.Named = board.Drive.Slug, board.Area.Code, areaLabel(board.Area, a.lang), board.Named
	case apperr.CodeOf(err) == apperr.Invalid:
		p.Error, status = true, http.StatusUnprocessableEntity
	default:
		c.fail(w, r, a, err)
		return
	}
	if p.Drives, err = c.driveOptions(r, a, access.ProgressRead, p.Drive); err != nil {
		c.fail(w, r, a, err)
		return
	}
	for i, row := range board.Rows {
		p.Rows = append(p.Rows, recruiterRow{Rank: int64(i + 1), PersonID: row.PersonID, Name: row.Name, Area: areaLabel(row.Area, a.lang),
			Direct: indian(row.Direct), Indirect: indian(row.Indirect)})
	}
	c.render(w, r, status, "recruiters", "", p)
}
