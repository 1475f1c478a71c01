package app_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/access"
)

// shownCell is one metric's cell of the drill-down table as the browser
// shows it: "420 / 1,000", "42.0% · 29 a day needed", the mark's words,
// its class and the colour the style sheet gives it.
type shownCell struct {
	Actual, Target, Percent, Needed string
	Word, Class, Colour             string
}

// shownRow is a row of the table on the page: its code ("" for the line
// of the area not yet known), its name and its cells.
type shownRow struct {
	Code, Name string
	Cells      []shownCell
}

// shownTable reads the drill-down table from the page's DOM.
const shownTable = `[...document.querySelectorAll("#children tbody tr")].map(tr => ({
	Code: tr.dataset.code || "", Name: tr.cells[0].textContent.trim(),
	Cells: [...tr.cells].slice(1).map(td => {
		const [actual, target] = td.firstChild.textContent.split(" / ");
		const muted = td.querySelector(".muted"), mark = td.querySelector(".mark");
		const [percent, needed] = muted ? muted.textContent.split(" · ") : ["", ""];
		return {Actual: actual.trim(), Target: (target || "").trim(), Percent: percent, Needed: needed,
			Word: mark ? mark.textContent.trim() : "", Class: mark ? mark.className : "", Colour: mark ? getComputedStyle(mark).color : ""};
	})}))`

// A state coordinator in the browser on day 11: the state page shows
// Ranchi's PC on track and Rajmahal's behind, in numbers, words and
// colour; the CSV the page links to is the table shown, cell for cell;
// clicks on the map name an area, then open Ranchi's page; the Hindi page
// groups numbers the Indian way; no page is wider than a 360 px phone
// but the table, which scrolls in its box.
func TestDashboardInTheBrowser(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	ctx := newBrowser(t)
	watchCSP(t, ctx)
	browserSignIn(t, ctx, w.signInLink("+919876500001", "Asha Kumari", access.Coordinator, "JH"))

	openDashboard(t, ctx, w.base+"/console?drive=jh-dash&metric=volunteers&lang=en", "Jharkhand (JH)")
	if when := text(t, ctx, "#when"); !strings.Contains(when, "day 11 of 30 · 20 days left") {
		t.Errorf("the page says %q, want day 11 of 30", when)
	}
	if members := text(t, ctx, "#m-members"); !strings.Contains(members, "1,23,456") || !strings.Contains(members, "of 5,00,000 (24.7%)") {
		t.Errorf("the members card shows %q", members)
	}
	table := readShownTable(t, ctx)
	volunteers := metricColumn(t, ctx, "Volunteers")
	wantCell(t, "Ranchi's PC", rowByCode(t, table, "JH-PC-08").Cells[volunteers],
		shownCell{Actual: "420", Target: "1,000", Percent: "42.0%", Needed: "29 a day needed", Word: "on track", Class: "mark green", Colour: "rgb(27, 110, 32)"})
	wantCell(t, "Rajmahal's PC", rowByCode(t, table, "JH-PC-01").Cells[volunteers],
		shownCell{Actual: "70", Target: "1,000", Percent: "7.0%", Needed: "47 a day needed", Word: "behind", Class: "mark red", Colour: "rgb(176, 0, 32)"})
	sameAsCSV(t, table, fetchCSV(t, ctx))
	dashboardFits(t, ctx, "the state page")

	// Headless Chromium has no mouse to hover with, (hover: none), so the
	// map acts as on a touch screen: a first click on an area names it in
	// the caption and stays, a second on the same area opens it.
	if touch, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`matchMedia("(hover: none)").matches`)); touch {
		for _, area := range [][2]string{{"JH-PC-01", "Rajmahal (JH-PC-01): 7.0%"}, {"JH-PC-08", "Ranchi (JH-PC-08): 42.0%"}} {
			code, name := area[0], area[1]
			do(t, ctx, "click "+code+" on the map", mapPoint(t, ctx, code))
			if named := text(t, ctx, "#map-name"); named != name {
				t.Errorf("a first click on %s names %q", code, named)
			}
		}
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); strings.Contains(loc, "area=") {
			t.Errorf("a first click on the map left the page for %s", loc)
		}
	}
	if resp, err := runResponse(ctx, mapPoint(t, ctx, "JH-PC-08")); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("clicking Ranchi on the map: %v %v", resp, err)
	}
	waitHeading(t, ctx, "Ranchi (JH-PC-08)")
	if card := text(t, ctx, "#m-volunteers"); !strings.Contains(card, "of 1,000 (42.0%)") || !strings.Contains(card, "needed from today: 29 a day") ||
		!strings.Contains(card, "last 7 days: 60 a day") || !strings.Contains(card, "on track") {
		t.Errorf("Ranchi PC's volunteers card shows %q", card)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "area=JH-PC-08") {
		t.Errorf("the map's click led to %s", loc)
	}
	if picked, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-area"))); picked != "JH-PC-08" {
		t.Errorf("on Ranchi PC's page the area picker shows %q", picked)
	}
	dashboardFits(t, ctx, "Ranchi PC's page")

	openDashboard(t, ctx, w.base+"/console?drive=jh-dash&lang=hi", "")
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "hi" {
		t.Errorf("the Hindi page's language is %q", lang)
	}
	if members := text(t, ctx, "#m-members"); !strings.Contains(members, "1,23,456") || !strings.Contains(members, "5,00,000 में से (24.7%)") {
		t.Errorf("the Hindi members card shows %q", members)
	}
	hi := readShownTable(t, ctx)
	if ranchi, rajmahal := rowByCode(t, hi, "JH-PC-08").Cells[volunteers], rowByCode(t, hi, "JH-PC-01").Cells[volunteers]; ranchi.Word != "सही राह पर" || rajmahal.Word != "पीछे" {
		t.Errorf("the Hindi marks are %q and %q", ranchi.Word, rajmahal.Word)
	}
	if heading := text(t, ctx, "#h-table"); heading != "लोकसभा क्षेत्र" {
		t.Errorf("the Hindi table's heading is %q", heading)
	}
	dashboardFits(t, ctx, "the Hindi state page")
}

// A coordinator of Ranchi's PC who types Rajmahal's address gets the
// refusal page, not its numbers.
func TestDashboardInTheBrowserKeepsToTheScope(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	ctx := newBrowser(t)
	browserSignIn(t, ctx, w.signInLink("+919876500002", "Ravi Oraon", access.Coordinator, "JH-PC-08"))
	openDashboard(t, ctx, w.base+"/console?drive=jh-dash&lang=en", "Ranchi (JH-PC-08)")
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(w.base+"/console?drive=jh-dash&area=JH-PC-01&lang=en"))
	if err != nil {
		t.Fatal(err)
	}
	body := text(t, ctx, "main")
	if resp.Status != http.StatusForbidden || !strings.Contains(body, "Not allowed") || strings.Contains(body, "Rajmahal") {
		t.Errorf("Rajmahal's page by its address: HTTP %d: %q", resp.Status, body)
	}
}

// With a short poll, counts added in the database show on the open page
// without a reload, and the refresh keeps an opened day table open and
// the page where it was scrolled to.
func TestDashboardInTheBrowserIsLive(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t, "JODO_DASHBOARD_POLL", "1s")
	ctx := newBrowser(t)
	browserSignIn(t, ctx, w.signInLink("+919876500001", "Asha Kumari", access.Coordinator, "JH"))
	openDashboard(t, ctx, w.base+"/console?drive=jh-dash&metric=volunteers&lang=en", "Jharkhand (JH)")
	if got := text(t, ctx, "#m-volunteers .actual"); got != "490" {
		t.Fatalf("the state's volunteers show %q, want 490", got)
	}
	// The summary is clicked and the page scrolled in one script, so no
	// refresh falls between them; the mark on window is gone if the page
	// is loaded again.
	before, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { window.notReloaded = true;
		document.querySelector("#days-volunteers summary").click();
		window.scrollTo(0, 900); return Math.round(window.scrollY); })()`))
	if err != nil || before < 500 {
		t.Fatalf("scrolling to 900 px: %d %v", before, err)
	}
	w.count("JH-AC-063-B-0001", "volunteers", time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateOnly), "web", 15)
	do(t, ctx, "wait for the new count", chromedp.Poll[chromedp.Void](`document.querySelector("#m-volunteers .actual").textContent === "505"`,
		chromedp.WithPollingTimeout(15*time.Second)))
	type state struct {
		NotReloaded, Open bool
		Y                 int
	}
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[state](`({NotReloaded: window.notReloaded === true, Open: document.getElementById("days-volunteers").open, Y: Math.round(window.scrollY)})`))
	if err != nil {
		t.Fatal(err)
	}
	if !kept.NotReloaded || !kept.Open || kept.Y != before {
		t.Errorf("after the refresh: not reloaded %v, the day table open %v, scrolled to %d (was %d)", kept.NotReloaded, kept.Open, kept.Y, before)
	}
}

// browserSignIn opens a one-time sign-in link and presses its button.
func browserSignIn(t *testing.T, ctx context.Context, link string) {
	t.Helper()
	do(t, ctx, "open the sign-in link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#use-link")))
	do(t, ctx, "sign in", chromedp.Click(chromedp.CSS("#use-link")), chromedp.WaitVisible(chromedp.CSS("body[data-page=dashboard]")), loaded)
}

// signInLink is a new staff member's one-time sign-in link.
func (w *dashWorld) signInLink(phone, name string, role access.Role, areas ...string) string {
	return w.base + "/signin/link/" + w.staffLink(phone, name, role, areas...) + "?lang=en"
}

// openDashboard opens the dashboard at u and waits for its heading
// ("": any).
func openDashboard(t *testing.T, ctx context.Context, u, heading string) {
	t.Helper()
	do(t, ctx, "open "+u, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("#heading")), loaded)
	if heading != "" {
		waitHeading(t, ctx, heading)
	}
}

func waitHeading(t *testing.T, ctx context.Context, heading string) {
	t.Helper()
	do(t, ctx, "wait for "+heading, chromedp.Poll[chromedp.Void](`document.readyState === "complete" && document.querySelector("#heading")?.textContent === `+strconv.Quote(heading),
		chromedp.WithPollingTimeout(10*time.Second)))
}

func readShownTable(t *testing.T, ctx context.Context) []shownRow {
	t.Helper()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]shownRow](shownTable))
	if err != nil || len(rows) == 0 {
		t.Fatalf("reading the table: %v %v", rows, err)
	}
	return rows
}

// metricColumn is the index of a metric among the table's cells.
func metricColumn(t *testing.T, ctx context.Context, name string) int {
	t.Helper()
	heads, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#children thead th")].slice(1).map(th => th.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range heads {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %s among %q", name, heads)
	return 0
}

func rowByCode(t *testing.T, rows []shownRow, code string) shownRow {
	t.Helper()
	for _, r := range rows {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no row %s in the table shown", code)
	return shownRow{}
}

func wantCell(t *testing.T, what string, got, want shownCell) {
	t.Helper()
	if got != want {
		t.Errorf("%s shows %+v, want %+v", what, got, want)
	}
}

// fetchCSV downloads the page's CSV link as the browser would, with its
// session.
func fetchCSV(t *testing.T, ctx context.Context) [][]string {
	t.Helper()
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("csv").href).then(r => r.ok ? r.text() : "HTTP " + r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("the CSV %.200q: %v", body, err)
	}
	return rows
}

// sameAsCSV checks the CSV has the table's rows in its order and, in
// each, the numbers and words shown (the file's numbers ungrouped).
func sameAsCSV(t *testing.T, shown []shownRow, file [][]string) {
	t.Helper()
	if len(file) != len(shown)+1 {
		t.Fatalf("the CSV has %d lines, the table %d rows", len(file), len(shown))
	}
	for i, row := range shown {
		line := file[i+1]
		if len(line) != 2+5*len(row.Cells) || line[0] != row.Code || line[1] != row.Name {
			t.Errorf("CSV line %d %q, the table's row %s %q", i+1, line, row.Code, row.Name)
			continue
		}
		for j, c := range row.Cells {
			shownAs := []string{ungrouped(c.Actual), ungrouped(c.Target), strings.TrimSuffix(c.Percent, "%"), ungrouped(strings.TrimSuffix(c.Needed, " a day needed")), c.Word}
			inFile := line[2+5*j : 7+5*j]
			if strings.Join(shownAs, "|") != strings.Join(inFile, "|") {
				t.Errorf("%s's cell %d: the page %q, the CSV %q", row.Code, j, shownAs, inFile)
			}
		}
	}
}

func ungrouped(s string) string { return strings.ReplaceAll(s, ",", "") }

// runResponse runs a step that loads a page and waits, ten seconds at
// most, for the page's answer.
func runResponse(ctx context.Context, step chromedp.Action[chromedp.Void]) (*network.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return chromedp.RunResponse(ctx, step)
}

// mapPoint is a mouse click on a point inside the area's shape on the map
// (its box's centre may be another area's), found by the shape's own fill
// and by what is on top there.
func mapPoint(t *testing.T, ctx context.Context, code string) chromedp.Action[chromedp.Void] {
	t.Helper()
	at, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(code => {
		const path = document.querySelector('#map path[data-code="' + code + '"]'), a = path.closest("a");
		path.scrollIntoView({block: "center"});
		const box = path.getBBox(), m = path.getScreenCTM();
		for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
			const p = new DOMPoint(box.x + box.width * i / 20, box.y + box.height * j / 20);
			if (!path.isPointInFill(p)) continue;
			const s = p.matrixTransform(m), hit = document.elementFromPoint(s.x, s.y);
			if (hit && hit.closest("a") === a) return [s.x, s.y];
		}
		return [];
	})(`+strconv.Quote(code)+`)`))
	if err != nil || len(at) != 2 {
		t.Fatalf("no point to click in %s on the map: %v %v", code, at, err)
	}
	return chromedp.MouseClickXY(at[0], at[1])
}

// dashboardFits checks the page open now broke no policy and is no wider
// than the phone, while the drill-down table is wider and scrolls in its
// box.
func dashboardFits(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	consoleFits(t, ctx, what)
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(b => [b.clientWidth, b.scrollWidth, getComputedStyle(b).overflowX === "auto" ? 1 : 0])(document.getElementById("children").parentElement)`))
	if err != nil || len(box) != 3 || box[0] > 360 || box[1] <= box[0] || box[2] != 1 {
		t.Errorf("%s: the table's box (width, content width, scrolls) %v %v, want it within the screen and scrolling", what, box, err)
	}
}
