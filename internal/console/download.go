package console

import (
	"bytes"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/sheet"
	"github.com/jodo-org/jodo/internal/store"
)

// download is the drill-down table as CSV: the same query gives the same
// rows as the page shows (this page of the children in this order, then
// what is counted at the area itself), and the file is sent only once its
// audit entry is written.
func (c *Console) download(w http.ResponseWriter, r *http.Request, a asker) {
	c.downloadAs(w, r, a, false)
}

// downloadXLSX is the same table as an Excel workbook.
func (c *Console) downloadXLSX(w http.ResponseWriter, r *http.Request, a asker) {
	c.downloadAs(w, r, a, true)
}

func (c *Console) downloadAs(w http.ResponseWriter, r *http.Request, a asker, xlsx bool) {
	ctx := r.Context()
	if r.Method != http.MethodGet { // a HEAD would be audited as a download it never was
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	if crossSite(r) { // another site's page may not make a browser download (and audit) a table
		c.message(w, r, a, http.StatusForbidden, "forbidden")
		return
	}
	scope := a.actor.Scope(access.ProgressRead)
	q := readDashQuery(r.URL.Query())
	d, err := c.csvDrive(r, scope, q)
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	b, err := dashboard.Open(ctx, c.db, scope, q.request(d.Slug))
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	var buf bytes.Buffer
	var out sheet.Writer = sheet.NewCSV(&buf)
	kind, name := "text/csv; charset=utf-8", csvName(b)
	if xlsx {
		x, err := sheet.NewXLSX(&buf, "dashboard")
		if err != nil {
			c.fail(w, r, a, err)
			return
		}
		defer x.Close()
		out, kind, name = x, xlsxType, strings.TrimSuffix(name, ".csv")+".xlsx"
	}
	rows, err := writeTable(out, tr{Lang: a.lang}, b)
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		c.fail(w, r, a, err)
		return
	}
	if err := dashboard.RecordDownload(ctx, c.db, a.actor, b, rows); err != nil {
		c.fail(w, r, a, err)
		return
	}
	fileHeaders(w, kind, name)
	w.Write(buf.Bytes())
}

// xlsxType is an Excel workbook's media type.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// fileHeaders are a download's: an attachment named name, kept by no
// cache, never sniffed into a page, sending no referrer.
func fileHeaders(w http.ResponseWriter, kind, name string) {
	h := w.Header()
	h.Set("Content-Type", kind)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex")
}

// crossSite reports whether a browser says the request comes from
// another site (Sec-Fetch-Site): a link followed from elsewhere. Typed
// addresses and bookmarks say "none"; clients that say nothing are not
// browsers following a link.
func crossSite(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	return site == "cross-site" || site == "same-site"
}

// csvDrive is the drive the query names, else the first of the scope's
// that holds its area; an area is needed, as the table is one area's.
func (c *Console) csvDrive(r *http.Request, scope []store.Area, q dashQuery) (store.Drive, error) {
	drives, err := drive.ForScope(r.Context(), c.db, scope)
	if err != nil {
		return store.Drive{}, err
	}
	if len(drives) == 0 {
		return store.Drive{}, apperr.New(apperr.NotFound, "no drive takes place in your areas")
	}
	return c.chooseDrive(r.Context(), drives, q.Drive, q.Area)
}

// writeTable writes b's table, a header and a line per row, and says how
// many rows (without the header) it wrote. Counts are numbers; what a
// metric lacks (a target) is an empty cell.
func writeTable(out sheet.Writer, t tr, b dashboard.Board) (int, error) {
	head := []any{t.T("dash.csv.code"), t.T("progress.area")}
	for _, m := range b.Report.Metrics {
		name := t.T("metric." + m.Metric)
		head = append(head, name, name+": "+t.T("progress.target"), name+": "+t.T("progress.percent"),
			name+": "+t.T("progress.pace"), name+": "+t.T("dash.status"))
	}
	if err := out.Row(head...); err != nil {
		return 0, err
	}
	rows := 0
	line := func(code, name string, ms []drive.MetricProgress) error {
		cells := []any{code, name}
		for _, m := range ms {
			word := "" // as on the page: a count without a target has no mark
			if m.Target != nil {
				word = t.statusWord(m)
			}
			pct := oneDecimal(m.Percent)
			if _, ok := out.(*sheet.XLSX); ok && m.Percent != nil {
				pct = math.Round(*m.Percent*10) / 10 // a workbook's number, not text that looks like one
			}
			cells = append(cells, m.Actual, orNil(m.Target), pct, ceilOrNil(m.RequiredDailyPace), word)
		}
		rows++
		return out.Row(cells...)
	}
	for _, ch := range b.Children {
		if err := line(ch.Area.Code, areaLabel(ch.Area, t.Lang), ch.Metrics); err != nil {
			return 0, err
		}
	}
	if b.Unplaced != nil {
		if err := line("", t.T("dash.unplaced"), b.Unplaced); err != nil {
			return 0, err
		}
	}
	return rows, nil
}

func orNil[T int64 | float64](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// oneDecimal is a percent as the page shows it, to one decimal ("42.0",
// which a spreadsheet reads as the number).
func oneDecimal(p *float64) any {
	if p == nil {
		return nil
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}

func ceilOrNil(p *float64) any {
	if p == nil {
		return nil
	}
	return int64(math.Ceil(*p)) // as the page shows it
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// csvName is the file's name: drive, area, tree and page, in characters
// any system and header takes.
func csvName(b dashboard.Board) string {
	name := "jodo-" + b.Drive.Slug + "-" + b.Area.Code
	if b.Tree != "" {
		name += "-" + b.Tree
	}
	if b.Pages > 1 {
		name += "-page-" + strconv.Itoa(b.Page)
	}
	return unsafeName.ReplaceAllString(name, "-") + ".csv"
}
