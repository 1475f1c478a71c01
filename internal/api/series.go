package api

import (
	"net/http"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
)

func parseSeriesForm(r *http.Request) (drive.SeriesRequest, error) {
	q := r.URL.Query()
	f := drive.SeriesRequest{Slug: r.PathValue("slug"), Area: strings.TrimSpace(q.Get("area")),
		Metric: strings.TrimSpace(q.Get("metric")), Days: store.DayRange{From: q.Get("from"), To: q.Get("to")}}
	if err := readable(f.Slug, f.Area, f.Metric, f.Days.From, f.Days.To); err != nil {
		return f, err
	}
	return f, checkDays(f.Days)
}

// series answers a drive's daily counts at an area, under the progress
// API's scope rules.
func (a *API) series(w http.ResponseWriter, r *http.Request, actor access.Actor) {
	form, err := parseSeriesForm(r)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	s, err := drive.SeriesIn(r.Context(), a.db, actor.Scope(access.ProgressRead), form)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	respond.JSON(w, http.StatusOK, s)
}
