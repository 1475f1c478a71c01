package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
)

// progressForm is the query of a progress request.
type progressForm drive.ProgressRequest

func parseProgressForm(r *http.Request) (progressForm, error) {
	q := r.URL.Query()
	f := progressForm{Slug: r.PathValue("slug"), Area: strings.TrimSpace(q.Get("area")), Days: store.DayRange{From: q.Get("from"), To: q.Get("to")}}
	if err := readable(f.Slug, f.Area, f.Days.From, f.Days.To); err != nil {
		return f, err
	}
	switch q.Get("children") {
	case "", "0", "false":
	case "1", "true":
		f.Children = true
	default:
		return f, apperr.New(apperr.Invalid, "children must be 1 or 0")
	}
	if err := checkDays(f.Days); err != nil {
		return f, err
	}
	return f, nil
}

// checkDays refuses a day range a person could not have meant.
func checkDays(days store.DayRange) error {
	for name, v := range map[string]string{"from": days.From, "to": days.To} {
		if _, err := time.Parse(time.DateOnly, v); v != "" && err != nil {
			return apperr.New(apperr.Invalid, "%s must be a date like 2026-02-12, not %q", name, v)
		}
	}
	if days.From != "" && days.To != "" && days.From > days.To {
		return apperr.New(apperr.Invalid, "from (%s) is after to (%s)", days.From, days.To)
	}
	return nil
}

func (a *API) progress(w http.ResponseWriter, r *http.Request, actor access.Actor) {
	form, err := parseProgressForm(r)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	report, err := drive.ProgressIn(r.Context(), a.db, actor.Scope(access.ProgressRead), drive.ProgressRequest(form))
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	respond.JSON(w, http.StatusOK, report)
}
