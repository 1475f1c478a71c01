package console

import (
	"bufio"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/exports"
)

// export streams a list as CSV or XLSX: GET /console/export/{kind} with
// the list's drive, area and filters (numbers masked), or a POST with
// reveal=1 and a reason (whole numbers, for those holding people.reveal
// there). Everything that can refuse it (the scope, a filter, the row
// cap, the reason) is asked before the first byte, so a refusal is a page
// in the asker's language, never half a file; a failure once the file has
// begun aborts the response, so the browser sees a failed download rather
// than a short file that looks whole.
func (c *Console) export(w http.ResponseWriter, r *http.Request, a asker) {
	ctx := r.Context()
	form := r.URL.Query()
	switch r.Method {
	case http.MethodGet:
		if crossSite(r) { // another site's page may not make a browser download (and audit) a list
			c.message(w, r, a, http.StatusForbidden, "forbidden")
			return
		}
	case http.MethodPost:
		form = r.PostForm
		if form.Get("reveal") != "1" { // a POST is only ever the reveal form
			c.message(w, r, a, http.StatusUnprocessableEntity, "export.invalid")
			return
		}
	default: // a HEAD would be audited as an export it never was
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	kind := exports.Kind(r.PathValue("kind"))
	if c.exports == nil || !slices.Contains(exports.Kinds, kind) {
		c.message(w, r, a, http.StatusNotFound, "notfound")
		return
	}
	p, err := c.exports.Prepare(ctx, a.actor, exports.Request{Kind: kind, Format: exports.Format(form.Get("format")),
		Drive: form.Get("drive"), Area: form.Get("area"), Lang: a.lang,
		Stage: form.Get("stage"), Channel: form.Get("channel"), Platform: form.Get("platform"), Language: form.Get("language"),
		State: form.Get("state"), GroupKind: form.Get("kind"), Post: form.Get("post"),
		Reveal: r.Method == http.MethodPost, Reason: form.Get("reason")})
	if err != nil {
		c.refuseExport(w, r, a, err)
		return
	}
	// The server's write timeout (a minute) is for pages: a long export
	// keeps going while it writes, and an Excel file, sent whole at its
	// end, gets the time its rows take to read.
	sent := &sentWriter{w: w, kind: p.ContentType, name: p.Name, rc: http.NewResponseController(w)}
	sent.extend(exportStart)
	buf := bufio.NewWriterSize(sent, 64<<10)
	rows, err := p.Write(ctx, buf)
	if err == nil {
		err = buf.Flush()
	}
	if err == nil {
		if sent.n == 0 { // an empty workbook is still a file
			sent.start()
		}
		return
	}
	if sent.n == 0 { // nothing has gone out yet: a page can still say so
		c.refuseExport(w, r, a, err)
		return
	}
	c.log.WarnContext(ctx, "console: an export stopped half way", "kind", kind, "rows", rows, "err", err)
	panic(http.ErrAbortHandler)
}

// refuseExport is the page for an export refused before it began.
func (c *Console) refuseExport(w http.ResponseWriter, r *http.Request, a asker, err error) {
	var tooMany *exports.TooMany
	var overBudget *exports.OverRevealBudget
	switch {
	case errors.Is(err, directory.ErrNoReason), errors.Is(err, directory.ErrReasonNumber):
		c.askReason(w, r, a)
	case errors.Is(err, exports.ErrNoExports):
		c.message(w, r, a, http.StatusForbidden, "export.none")
	case errors.As(err, &tooMany):
		kind := "export.toomany"
		if tooMany.Excel {
			kind = "export.excel"
		}
		c.message(w, r, a, http.StatusUnprocessableEntity, kind, "Rows", indian(int64(tooMany.Rows)), "Most", indian(int64(tooMany.Most)))
	case errors.As(err, &overBudget):
		c.message(w, r, a, http.StatusTooManyRequests, "export.revealbudget", "Rows", indian(int64(overBudget.Rows)),
			"Used", indian(int64(overBudget.Used)), "Budget", indian(int64(overBudget.Budget)))
	case apperr.CodeOf(err) == apperr.Invalid:
		c.message(w, r, a, http.StatusUnprocessableEntity, "export.invalid")
	default:
		c.fail(w, r, a, err)
	}
}

// sentWriter is the response once the file begins: its headers go out
// with its first bytes, so a failure before them can still be a page.
type sentWriter struct {
	w          http.ResponseWriter
	rc         *http.ResponseController
	kind, name string
	n          int64
}

// How long an export may take before its first byte, and between writes.
const (
	exportStart = 10 * time.Minute
	exportWrite = 2 * time.Minute
)

// extend moves the response's write deadline to d from now; a writer
// that cannot (a test's recorder) keeps the server's.
func (s *sentWriter) extend(d time.Duration) {
	_ = s.rc.SetWriteDeadline(time.Now().Add(d))
}

func (s *sentWriter) start() {
	fileHeaders(s.w, s.kind, s.name)
	s.w.WriteHeader(http.StatusOK)
}

func (s *sentWriter) Write(b []byte) (int, error) {
	if s.n == 0 {
		s.start()
	}
	s.extend(exportWrite)
	n, err := s.w.Write(b)
	s.n += int64(n)
	return n, err
}

// exportBar is what a list page offers to download: CSV and Excel links
// carrying the page's drive, area and filters (never a search's text or
// cursor), and for those holding people.reveal a form asking a reason to
// download whole numbers.
type exportBar struct {
	CSV, XLSX string
	Action    string  // where the reveal form posts
	Fields    []field // the drive, area and filters, as hidden fields
	Reveal    bool
	Reason    string // as typed, when the form comes back refused
	Excel     bool   // the format chosen was XLSX
}

// exportReasonPage is the reveal form again, with what was typed, when
// its reason would not do.
type exportReasonPage struct {
	shell
	Export *exportBar
}

// askReason shows the reveal form of a refused POST again: its list's
// fields, the reason as typed and the format chosen, and why.
func (c *Console) askReason(w http.ResponseWriter, r *http.Request, a asker) {
	p := exportReasonPage{shell: c.newShell(r, a, "", "msg.export.reason.title")}
	var pairs []string
	for _, name := range []string{"drive", "area", "stage", "channel", "platform", "language", "state", "kind", "post"} {
		pairs = append(pairs, name, r.PostForm.Get(name))
	}
	if p.Export = c.exportBar(a, exports.Kind(r.PathValue("kind")), pairs...); p.Export != nil {
		p.Export.Reason, p.Export.Excel = r.PostForm.Get("reason"), r.PostForm.Get("format") == string(exports.XLSX)
	}
	c.render(w, r, http.StatusUnprocessableEntity, "export_reason", "", p)
}

type field struct{ Name, Value string }

// exportBar is the bar for a list of kind, nil for those who may not
// export lists (a viewer downloads the dashboard's counts only). fields
// are name, value pairs; empty values are left out.
func (c *Console) exportBar(a asker, kind exports.Kind, fields ...string) *exportBar {
	if c.exports == nil || !c.exports.Allows(a.actor) {
		return nil
	}
	b := &exportBar{Action: "/console/export/" + string(kind), Reveal: a.actor.Can(access.PeopleReveal)}
	q := url.Values{"lang": {a.lang}}
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] != "" {
			q.Set(fields[i], fields[i+1])
			b.Fields = append(b.Fields, field{fields[i], fields[i+1]})
		}
	}
	b.CSV = b.Action + "?" + q.Encode()
	q.Set("format", string(exports.XLSX))
	b.XLSX = b.Action + "?" + q.Encode()
	return b
}
