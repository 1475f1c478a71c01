package app_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/store"
)

// rowOf is the drill-down table's row of an area, as HTML.
func rowOf(t *testing.T, body, code string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr data-code="` + regexp.QuoteMeta(code) + `">(.*?)</tr>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no row for %s in the table", code)
	}
	return m[1]
}

// cardOf is a metric's card, as HTML.
func cardOf(t *testing.T, body, metric string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<article class="card metric" id="m-` + metric + `"[^>]*>(.*?)</article>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no card for %s", metric)
	}
	return m[1]
}

func hasAll(t *testing.T, what, html string, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(html, s) {
			t.Errorf("%s lacks %q: %s", what, s, html)
		}
	}
}

// The state page, day 11 of 30 with 20 days left: Ranchi's PC has 420 of
// its 1,000 volunteers and made 60 a day of the last week against 29
// needed (on track); Rajmahal's has 70 and made 10 a day against 47
// needed (behind). The map colours each PC by its band and drills down.
func TestDashboardStatePage(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH")
	body := w.want(coord, "/console?drive=jh-dash&lang=en&metric=volunteers", http.StatusOK,
		`<h1 id="heading">Jharkhand (JH)</h1>`, "day 11 of 30 · 20 days left", "area not yet known")
	hasAll(t, "Ranchi's PC", rowOf(t, body, "JH-PC-08"), "420 / 1,000", "42.0%", "29 a day needed", `class="mark green">on track`)
	hasAll(t, "Rajmahal's PC", rowOf(t, body, "JH-PC-01"), "70 / 1,000", "7.0%", "47 a day needed", `class="mark red">behind`)
	hasAll(t, "the members card", cardOf(t, body, "members"), "1,23,456", "of 5,00,000 (24.7%)")
	for code, band := range map[string]string{"JH-PC-08": "b1", "JH-PC-01": "b0"} {
		link := regexp.MustCompile(`<a href="/console\?area=` + code + `&amp;drive=jh-dash&amp;metric=volunteers&amp;tree=electoral"[^>]*>(?:<title>[^<]*</title>)?<path class="` + band + `"`)
		if !link.MatchString(body) {
			t.Errorf("the map has no link to %s coloured %s", code, band)
		}
	}
	pc := w.want(coord, "/console?drive=jh-dash&area=JH-PC-08&lang=en", http.StatusOK, `<h1 id="heading">Ranchi (JH-PC-08)</h1>`)
	hasAll(t, "Ranchi PC's volunteers card", cardOf(t, pc, "volunteers"), "420", "of 1,000 (42.0%)", "needed from today: 29 a day",
		"last 7 days: 60 a day", `class="mark green">on track`, `<progress max="1000" value="420">`)

	hi := w.want(coord, "/console?drive=jh-dash&lang=hi", http.StatusOK, `<html lang="hi">`, "सही राह पर", "पीछे")
	hasAll(t, "the Hindi members card", cardOf(t, hi, "members"), "1,23,456", "5,00,000")
}

// Polling asks with HX-Request and gets the live part alone.
func TestDashboardLivePart(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH")
	r := w.do(coord, http.MethodGet, "/console?drive=jh-dash&lang=en", nil, http.Header{"Hx-Request": {"true"}})
	if r.status != http.StatusOK || !strings.HasPrefix(r.body, `<div id="live"`) || strings.Contains(r.body, "<html") ||
		strings.Contains(r.body, `id="pickers"`) || !strings.Contains(r.body, `<tr data-code="JH-PC-08">`) {
		t.Errorf("the live part: HTTP %d: %.300s", r.status, r.body)
	}
	if !strings.Contains(r.body, `hx-trigger="every 45s, visible"`) || !strings.Contains(r.body, `"Jodo-Background": "1"`) {
		t.Error("the live part does not poll itself, as a background request")
	}
	// The poll keeps the view it refreshes: area, page, order, map metric.
	view := "/console?area=JH-AC-063&desc=1&drive=jh-dash&metric=volunteers&page=2&sort=members"
	r = w.do(coord, http.MethodGet, view+"&lang=en", nil, http.Header{"Hx-Request": {"true"}})
	if !strings.Contains(r.body, `hx-get="`+strings.ReplaceAll(view, "&", "&amp;")+`"`) || !strings.Contains(r.body, `id="pager"`) {
		t.Errorf("the poll of page 2 of Ranchi's booths by members asks for something else: %.400s", r.body)
	}
}

// An open page whose session ends goes to sign-in whole; one whose role
// is taken away reloads to say so.
func TestDashboardLivePartSignedOutOrRefused(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	poll := http.Header{"Hx-Request": {"true"}, "Jodo-Background": {"1"}}
	r := w.do(http.DefaultClient, http.MethodGet, "/console?drive=jh-dash", nil, poll)
	if r.status != http.StatusNoContent || !strings.HasPrefix(r.header.Get("HX-Redirect"), "/signin?") {
		t.Errorf("signed out: HTTP %d, HX-Redirect %q", r.status, r.header.Get("HX-Redirect"))
	}
	member := w.staffClient("+919876500009", "Was Staff", access.Viewer, "JH")
	w.revokeAll("+919876500009")
	r = w.do(member, http.MethodGet, "/console?drive=jh-dash", nil, poll)
	if r.status != http.StatusForbidden || r.header.Get("HX-Refresh") != "true" {
		t.Errorf("role taken away: HTTP %d, HX-Refresh %q", r.status, r.header.Get("HX-Refresh"))
	}
}

// The CSV is the table shown, row for row, after its audit entry; a
// booth named like a formula is text in it.
func TestDashboardCSV(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH")
	query := "drive=jh-dash&sort=volunteers&desc=1&lang=en"
	body := w.want(coord, "/console?"+query, http.StatusOK)
	r := w.do(coord, http.MethodGet, "/console/dashboard.csv?"+query, nil, nil)
	rows := readCSV(t, r)
	shown := regexp.MustCompile(`<tr data-code="([^"]+)">`).FindAllStringSubmatch(body, -1)
	if len(rows) != len(shown)+2 { // the header, the rows, the unplaced line
		t.Fatalf("the CSV has %d lines, the table %d rows", len(rows), len(shown))
	}
	for i, m := range shown {
		if rows[i+1][0] != m[1] {
			t.Errorf("CSV row %d is %s, the table's %s", i+1, rows[i+1][0], m[1])
		}
	}
	if rows[1][0] != "JH-PC-08" || rows[len(rows)-1][1] != "area not yet known" || rows[len(rows)-1][2] != "100" {
		t.Errorf("first row %v, last %v", rows[1], rows[len(rows)-1])
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="jodo-jh-dash-JH-electoral.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	// Another site's link, or a HEAD, gets no file and no audit entry.
	if r := w.do(coord, http.MethodGet, "/console/dashboard.csv?"+query, nil, http.Header{"Sec-Fetch-Site": {"cross-site"}}); r.status != http.StatusForbidden {
		t.Errorf("a download from another site's link: HTTP %d", r.status)
	}
	if r := w.do(coord, http.MethodHead, "/console/dashboard.csv?"+query, nil, nil); r.status != http.StatusMethodNotAllowed {
		t.Errorf("HEAD: HTTP %d", r.status)
	}
	entries, err := w.db.AuditEntries(context.Background(), store.AuditFilter{Action: "export", Limit: 5})
	if err != nil || len(entries) != 1 || entries[0].Rows != int64(len(shown)+1) || !strings.Contains(entries[0].Detail, "sort=volunteers") {
		t.Errorf("the download's audit: %+v %v", entries, err)
	}

	// Ranchi AC's 61 booths are two pages; the second holds the formula.
	w.want(coord, "/console?drive=jh-dash&area=JH-AC-063&lang=en", http.StatusOK, "page 1 of 2", `rel="next"`)
	page2 := w.want(coord, "/console?drive=jh-dash&area=JH-AC-063&page=2&lang=en", http.StatusOK, "page 2 of 2", `rel="prev"`)
	if n := strings.Count(page2, `<tr data-code="`); n != 11 {
		t.Errorf("page 2 shows %d booths, want 11", n)
	}
	booths := readCSV(t, w.do(coord, http.MethodGet, "/console/dashboard.csv?drive=jh-dash&area=JH-AC-063&page=2", nil, nil))
	last := booths[len(booths)-2] // before the line of members at the AC itself
	if last[0] != "JH-AC-063-B-0061" || !strings.HasPrefix(last[1], `'=HYPERLINK(`) {
		t.Errorf("the formula booth's line: %q", last)
	}
}

func readCSV(t *testing.T, r answer) [][]string {
	t.Helper()
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("the CSV: HTTP %d, %s: %.300s", r.status, r.header.Get("Content-Type"), r.body)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// A coordinator of Ranchi's PC cannot open Rajmahal's by its address,
// neither the page nor the CSV; no file is audited for it.
func TestDashboardOutsideTheScope(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	coord := w.staffClient("+919876500002", "Ravi Oraon", access.Coordinator, "JH-PC-08")
	w.want(coord, "/console?drive=jh-dash&lang=en", http.StatusOK, `<h1 id="heading">Ranchi (JH-PC-08)</h1>`)
	w.want(coord, "/console?drive=jh-dash&area=JH-PC-01&lang=hi", http.StatusForbidden, `<html lang="hi">`)
	w.want(coord, "/console/dashboard.csv?drive=jh-dash&area=JH-PC-01&lang=en", http.StatusForbidden, "Not allowed")
	if entries, _ := w.db.AuditEntries(context.Background(), store.AuditFilter{Action: "export", Limit: 5}); len(entries) != 0 {
		t.Errorf("a refused download was audited: %+v", entries)
	}
}

// A coordinator of two ACs gets a card for each, linking to its page,
// and no parent made up to hold both.
func TestDashboardCardsOfSeveralAreas(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	ac := w.ids["rajmahal-ac"]
	var code string
	for c, id := range w.ids {
		if id == ac && c != "rajmahal-ac" {
			code = c
		}
	}
	coord := w.staffClient("+919876500003", "Two Areas", access.Coordinator, "JH-AC-063", code)
	body := w.want(coord, "/console?drive=jh-dash&lang=en", http.StatusOK, `<h1 id="heading">Your areas</h1>`,
		`<h2><a href="/console?area=JH-AC-063&amp;drive=jh-dash">Ranchi (JH-AC-063)</a></h2>`, `<h2><a href="/console?area=`+code+`&amp;drive=jh-dash">`)
	if n := strings.Count(body, `class="card place"`); n != 2 || strings.Contains(body, "Jharkhand (JH)") || strings.Contains(body, `id="metrics"`) {
		t.Errorf("%d cards; the page names the state or shows a board: %.3000s", n, body)
	}
	if !strings.Contains(body, `<div id="live" hx-get="/console?drive=jh-dash"`) {
		t.Error("the cards do not refresh themselves")
	}
	w.want(coord, "/console?drive=jh-dash&area=JH-AC-063&lang=en", http.StatusOK, `<h1 id="heading">Ranchi (JH-AC-063)</h1>`)
}
