package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"

	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/store"
)

// auditPageSize is how many entries a page of the log shows.
const auditPageSize = 50

type auditForm struct{ Actor, Action, Area, From, To, Before string }

type auditPage struct {
	shell
	F         auditForm
	Audit     []auditView
	OlderURL  string
	FormError bool
}

// audit is the whole log for admins, newest first, filtered by actor,
// action, area (its subtree) and India's dates, a page at a time.
func (c *Console) audit(w http.ResponseWriter, r *http.Request, a asker) {
	q := r.URL.Query()
	f := auditForm{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Area: strings.ToUpper(strings.TrimSpace(q.Get("area"))), From: q.Get("from"), To: q.Get("to"), Before: q.Get("before")}
	p := auditPage{shell: c.newShell(r, a, "/console/audit", "audit.title"), F: f}
	filter, err := c.auditFilter(f)
	if err != nil {
		p.FormError = true
		c.render(w, r, http.StatusUnprocessableEntity, "audit", "", p)
		return
	}
	entries, err := c.dir.Audit(r.Context(), a.actor, filter, f.Area)
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.NotFound:
		p.FormError = true
		c.render(w, r, http.StatusUnprocessableEntity, "audit", "", p)
		return
	}
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	for _, e := range entries {
		p.Audit = append(p.Audit, auditRow(e))
	}
	if len(entries) == auditPageSize {
		older := url.Values{"actor": {f.Actor}, "action": {f.Action}, "area": {f.Area}, "from": {f.From}, "to": {f.To},
			"before": {strconv.FormatInt(entries[len(entries)-1].ID, 10)}}
		p.OlderURL = "/console/audit?" + older.Encode()
	}
	c.render(w, r, http.StatusOK, "audit", "", p)
}

// auditFilter reads the form into the store's filter: dates are India's
// (to is inclusive). A field that cannot be read is invalid. The area is
// the directory's to check and widen to its subtree.
func (c *Console) auditFilter(f auditForm) (store.AuditFilter, error) {
	unreadable := apperr.New(apperr.Invalid, "a field of the audit form cannot be read")
	filter := store.AuditFilter{Actor: f.Actor, Action: f.Action, Limit: auditPageSize}
	day := func(s string) (time.Time, bool) {
		if s == "" {
			return time.Time{}, true
		}
		t, err := time.ParseInLocation(time.DateOnly, s, ist.Zone)
		return t, err == nil
	}
	var ok1, ok2 bool
	filter.From, ok1 = day(f.From)
	filter.To, ok2 = day(f.To)
	if !ok1 || !ok2 {
		return filter, unreadable
	}
	if !filter.To.IsZero() {
		filter.To = filter.To.AddDate(0, 0, 1)
	}
	if f.Before != "" {
		n, err := strconv.ParseInt(f.Before, 10, 64)
		if err != nil || n <= 0 {
			return filter, unreadable
		}
		filter.Before = n
	}
	return filter, nil
}
