package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

const hyperlinkName = `=HYPERLINK("http://x","y")`

// exportWorld is the console world with volunteers in three ACs of Ranchi
// district (one named as a formula) and one in Dhanbad, and a coordinator's
// row cap of 3.
func exportWorld(t *testing.T) *consoleWorld {
	t.Helper()
	w := newConsoleWorld(t, 50, "JODO_EXPORT_CAP_COORDINATOR", "3")
	w.withPosts()
	w.editDrive(func(f *drive.File) { f.Targets = []string{"state JH: 500000 members", "each pc: 1000 members"} })
	formula := w.member(hyperlinkName, "+919876533333", "JH-AC-064")
	tamar := w.member("Tamar Tara", "+919876544444", "JH-AC-058")
	w.volunteerAt(w.ranchi, "JH-AC-063", []string{"hi"}, []store.Handle{{Platform: "instagram", Handle: "sunita.devi"}, {Platform: "whatsapp", Handle: ranchiPhone}})
	w.volunteerAt(formula, "JH-AC-064", []string{"hi"}, nil)
	w.volunteerAt(tamar, "JH-AC-058", []string{"sat"}, nil)
	w.volunteerAt(w.dhanbad, "JH-AC-040", []string{"en"}, nil)
	return w
}

// editDrive changes the world's drive's file by edit and applies it.
func (w *consoleWorld) editDrive(edit func(*drive.File)) {
	w.t.Helper()
	ctx := context.Background()
	d, err := w.db.DriveBySlug(ctx, "jh-sms")
	if err != nil {
		w.t.Fatal(err)
	}
	f, err := drive.Open(d.File)
	if err != nil {
		w.t.Fatal(err)
	}
	edit(&f)
	f.Version++ // an edit raises the version, as the drive file's rules ask
	if _, err := drive.Apply(ctx, w.db, &f, true, access.CLI("test", nil)); err != nil {
		w.t.Fatal(err)
	}
}

// file downloads an export (GET, or POST with form) and checks it is sent
// as a file: an attachment of its type, not cached, not sniffed.
func (w *consoleWorld) file(c *http.Client, method, path string, form url.Values, kind string) []byte {
	w.t.Helper()
	var ans answer
	if method == http.MethodPost {
		ans = w.post(c, path, form, nil)
	} else {
		ans = w.do(c, method, path, nil, nil)
	}
	if ans.status != http.StatusOK {
		w.t.Fatalf("%s %s: HTTP %d: %.500s", method, path, ans.status, ans.body)
	}
	h := ans.header
	if got := h.Get("Content-Type"); !strings.HasPrefix(got, kind) {
		w.t.Errorf("%s %s: Content-Type %q, want %s", method, path, got, kind)
	}
	if d := h.Get("Content-Disposition"); !strings.HasPrefix(d, `attachment; filename="`) {
		w.t.Errorf("%s %s: Content-Disposition %q", method, path, d)
	}
	for k, v := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
		if h.Get(k) != v {
			w.t.Errorf("%s %s: %s %q, want %q", method, path, k, h.Get(k), v)
		}
	}
	return []byte(ans.body)
}

// csvRows reads a CSV export, its byte-order mark first.
func csvRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Errorf("a CSV without its byte-order mark: %.40q", b)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// xlsxRows opens an XLSX export with excelize and reads its one sheet;
// no cell of it may be a formula.
func xlsxRows(t *testing.T, b []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if formula, err := f.GetCellFormula(sheet, cell); err != nil || formula != "" {
				t.Errorf("cell %s is a formula %q (%v)", cell, formula, err)
			}
		}
	}
	return rows
}

// col is the named column of rows (its header in the first row); a
// missing column fails the test.
func col(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		r = append(r, make([]string, max(0, len(rows[0])-len(r)))...) // a sheet's row ends at its last cell
		for i, h := range rows[0] {
			byName[h] = append(byName[h], r[i])
		}
	}
	if _, ok := byName[name]; !ok && len(rows) > 1 {
		t.Fatalf("no column %q in %q", name, rows[0])
	}
	return byName[name]
}

// The first Done-when, in the console: a coordinator of Ranchi
// district downloads the district's volunteers as CSV and as Excel from
// the Volunteers page's links; the rows are the command line's, only
// Ranchi district's ACs', the formula inert, the numbers masked; with a
// reason the numbers are whole and the audit has the rows.
func TestConsoleExportVolunteers(t *testing.T) {
	t.Parallel()
	w := exportWorld(t)
	ctx := context.Background()
	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-D-RANCHI")
	link := "/console/export/volunteers?area=JH-D-RANCHI&drive=jh-sms&lang=en"
	w.want(coord, "/console/volunteers?lang=en&area=JH-D-RANCHI", 200, `id="export-csv"`,
		`href="`+strings.ReplaceAll(link, "&", "&amp;")+`"`, `href="/console/export/volunteers?area=JH-D-RANCHI&amp;drive=jh-sms&amp;format=xlsx&amp;lang=en"`,
		`id="export-reveal"`, `action="/console/export/volunteers"`, `name="reveal" value="1"`, `name="area" value="JH-D-RANCHI"`)

	got := w.file(coord, http.MethodGet, link, nil, "text/csv")
	rows := csvRows(t, got)
	wantNames := []string{"सुनीता देवी", "'" + hyperlinkName, "Tamar Tara"}
	if names := col(t, rows, "name"); !sameSet(names, wantNames) {
		t.Errorf("CSV names %q, want %q", names, wantNames)
	}
	if acs := col(t, rows, "ac"); !sameSet(acs, []string{"JH-AC-063", "JH-AC-064", "JH-AC-058"}) {
		t.Errorf("CSV ACs %q: only Ranchi district's", acs)
	}
	for _, ph := range col(t, rows, "phone") {
		if !strings.Contains(ph, "xxxx") {
			t.Errorf("CSV phone %q is not masked", ph)
		}
	}
	for _, whole := range []string{"9876511111", "9876522222", "9876533333", "9876544444", "Ramesh Kumar"} {
		if bytes.Contains(got, []byte(whole)) {
			t.Errorf("the district's CSV holds %q", whole)
		}
	}

	// The command line gives the same file.
	cli, err := runEnv(t, map[string]string{"JODO_SECRET_KEY": processSecretKey},
		"export", "volunteers", "--drive", "jh-sms", "--area", "JH-D-RANCHI", "--db", w.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if cli != string(got) {
		t.Errorf("jodo export volunteers gives\n%s\nthe console gives\n%s", cli, got)
	}

	x := xlsxRows(t, w.file(coord, http.MethodGet, link+"&format=xlsx", nil, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "volunteers")
	// The same names and numbers; a number in the workbook is a string cell
	// of its own form, without the apostrophe CSV needs (sheet.Made).
	csvPhones := col(t, rows, "phone")
	for i := range csvPhones {
		csvPhones[i] = strings.TrimPrefix(csvPhones[i], "'")
	}
	if !slices.Equal(col(t, x, "name"), col(t, rows, "name")) || !slices.Equal(col(t, x, "phone"), csvPhones) {
		t.Errorf("the XLSX's rows %q differ from the CSV's %q", x, rows)
	}

	// Outside the scope, a filter that does not exist, a cross-site link.
	w.want(coord, "/console/export/volunteers?lang=en&drive=jh-sms&area=JH-AC-040", 403)
	w.want(coord, "/console/export/volunteers?lang=en&drive=jh-sms&platform=nosuch", 422, "This list cannot be downloaded")
	w.want(coord, "/console/export/volunteers?lang=hi&drive=jh-sms&stage=member", 422, "यह सूची डाउनलोड नहीं हो सकती")
	w.want(coord, "/console/export/nosuch?lang=en", 404)
	if ans := w.do(coord, http.MethodGet, link, nil, http.Header{"Sec-Fetch-Site": {"cross-site"}}); ans.status != http.StatusForbidden ||
		ans.header.Get("Content-Disposition") != "" {
		t.Errorf("a cross-site export: HTTP %d, %q", ans.status, ans.header.Get("Content-Disposition"))
	}

	// Whole numbers, for a reason.
	form := url.Values{"lang": {"en"}, "reveal": {"1"}, "drive": {"jh-sms"}, "area": {"JH-D-RANCHI"}}
	if ans := w.post(coord, "/console/export/volunteers", form, nil); ans.status != http.StatusUnprocessableEntity ||
		!strings.Contains(ans.body, "Say why first") || strings.Contains(ans.body, "98765") {
		t.Errorf("a reveal without a reason: HTTP %d: %.300s", ans.status, ans.body)
	}
	// A reason holding a number comes back in the form, as typed, with
	// the list's fields and the format chosen.
	form.Set("reason", "call 98765 43210 back")
	form.Set("format", "xlsx")
	if ans := w.post(coord, "/console/export/volunteers", form, nil); ans.status != http.StatusUnprocessableEntity ||
		!strings.Contains(ans.body, `value="call 98765 43210 back"`) || !strings.Contains(ans.body, `name="area" value="JH-D-RANCHI"`) ||
		!strings.Contains(ans.body, `<option value="xlsx" selected>`) || !strings.Contains(ans.body, `id="export-error"`) {
		t.Errorf("a reason with a number: HTTP %d: %.2000s", ans.status, ans.body)
	}
	form.Del("format")
	form.Set("reason", "calling volunteers for training")
	noReveal := url.Values{"lang": {"en"}, "reason": {"calling volunteers for training"}, "drive": {"jh-sms"}}
	if ans := w.post(coord, "/console/export/volunteers", noReveal, nil); ans.status != http.StatusUnprocessableEntity {
		t.Errorf("a POST without reveal=1: HTTP %d", ans.status)
	}
	revealed := csvRows(t, w.file(coord, http.MethodPost, "/console/export/volunteers", form, "text/csv"))
	if phones := col(t, revealed, "phone"); !sameSet(phones, []string{"'" + ranchiPhone, "'+919876533333", "'+919876544444"}) {
		t.Errorf("revealed phones %q", phones)
	}
	entries, err := w.db.AuditEntries(ctx, store.AuditFilter{Action: "export_reveal", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Rows != 3 || entries[0].Reason != "calling volunteers for training" || !strings.Contains(entries[0].Detail, "kind=volunteers") {
		t.Errorf("the reveal's audit: %+v", entries)
	}
	plain, err := w.db.AuditEntries(ctx, store.AuditFilter{Action: "export", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 3 { // the console's CSV and XLSX and the command line's; no refusal is audited
		t.Errorf("%d export entries, want 3: %+v", len(plain), plain)
	}
}

// A viewer exports counts only: the dashboard's table as CSV or Excel,
// never a list; the list pages offer no download to them, and a
// coordinator is refused an export over their role's cap, in their
// language, before anything is written.
func TestConsoleExportRolesAndCaps(t *testing.T) {
	t.Parallel()
	w := exportWorld(t)
	viewer := w.staffClient("+919876500003", "Viewer One", access.Viewer, "JH")
	for _, kind := range []string{"people", "volunteers", "posts", "groups"} {
		w.want(viewer, "/console/export/"+kind+"?lang=en&drive=jh-sms", 403)
	}
	w.want(viewer, "/console?lang=en&drive=jh-sms&area=JH", 200, `href="/console/dashboard.xlsx?`)
	dash := w.file(viewer, http.MethodGet, "/console/dashboard.xlsx?lang=en&drive=jh-sms&area=JH", nil,
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	table := xlsxRows(t, dash, "dashboard")
	if n := textCells(t, dash, "dashboard", table, ": Done", ": Target", "Members"); n != 0 {
		t.Errorf("%d counts, percents or targets of the dashboard's workbook are text, not numbers", n)
	}
	csvTable := csvRows(t, w.file(viewer, http.MethodGet, "/console/dashboard.csv?lang=en&drive=jh-sms&area=JH", nil, "text/csv"))
	if len(table) < 2 || !slices.Equal(table[0], csvTable[0]) || len(table) != len(csvTable) {
		t.Errorf("the dashboard's XLSX %q differs from its CSV %q", table, csvTable)
	}
	entries, err := w.db.AuditEntries(context.Background(), store.AuditFilter{Action: "export", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || !strings.HasPrefix(entries[0].Detail, "dashboard table") {
		t.Errorf("the dashboard downloads' audit: %+v", entries)
	}

	state := w.staffClient("+919876500004", "State Coordinator", access.Coordinator, "JH")
	body := w.want(state, "/console/volunteers?lang=en&drive=jh-sms", 200, `id="export-csv"`)
	if strings.Contains(body, `id="f-q"`) {
		t.Error("the volunteers page has a search box")
	}
	w.want(state, "/console/export/people?lang=en&drive=jh-sms&area=JH", 422, "your role may download at most 3 at once")
	w.want(state, "/console/export/people?lang=hi&drive=jh-sms&area=JH-D-RANCHI", 200)
	w.want(state, "/console/people?lang=en&drive=jh-sms&stage=registered", 200,
		`href="/console/export/people?drive=jh-sms&amp;lang=en&amp;stage=registered"`)
	w.want(state, "/console/groups?lang=en&drive=jh-sms&area=JH-AC-063", 200, `href="/console/export/groups?area=JH-AC-063&amp;drive=jh-sms&amp;lang=en"`)
	w.want(state, "/console/posts?lang=en&drive=jh-sms&area=JH-AC-063", 200, `href="/console/export/posts?area=JH-AC-063&amp;drive=jh-sms&amp;lang=en"`)
	posts := csvRows(t, w.file(state, http.MethodGet, "/console/export/posts?area=JH-AC-063&drive=jh-sms&lang=en", nil, "text/csv"))
	if names := col(t, posts, "name"); !slices.Equal(names, []string{"सुनीता देवी"}) {
		t.Errorf("JH-AC-063's office bearers %q", names)
	}
}

// textCells counts the filled cells under headers ending in one of
// suffixes that a workbook holds as text.
func textCells(t *testing.T, b []byte, sheet string, rows [][]string, suffixes ...string) int {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, seen := 0, 0
	for c, h := range rows[0] {
		if !slices.ContainsFunc(suffixes, func(s string) bool { return strings.HasSuffix(h, s) }) {
			continue
		}
		for r := 1; r < len(rows); r++ {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			kind, err := f.GetCellType(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := f.GetCellValue(sheet, cell); v != "" {
				seen++
				if kind == excelize.CellTypeInlineString || kind == excelize.CellTypeSharedString {
					n++
				}
			}
		}
	}
	if seen == 0 {
		t.Errorf("no cell under %q in %q", suffixes, rows[0])
	}
	return n
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// On a 360 px phone the Volunteers page shows the downloads beside the
// list, in Hindi, and the full-numbers form opens without breaking the
// page's width or policy.
func TestConsoleExportLinksInTheBrowser(t *testing.T) {
	t.Parallel()
	w := exportWorld(t)
	ctx := signedInBrowser(t, w.base, w.staffLink("+919876500001", "Asha Kumari", access.Coordinator, "JH-D-RANCHI"), "hi")
	do(t, ctx, "open the volunteers", chromedp.Navigate(w.base+"/console/volunteers?lang=hi&area=JH-D-RANCHI"),
		chromedp.WaitVisible(chromedp.CSS("#export-csv")), chromedp.WaitVisible(chromedp.CSS("#export-xlsx")), loaded)
	if got := text(t, ctx, "#exports"); !strings.Contains(got, "CSV डाउनलोड करें") || !strings.Contains(got, "Excel डाउनलोड करें") {
		t.Errorf("the downloads say %q", got)
	}
	consoleFits(t, ctx, "the volunteers page with its downloads")
	do(t, ctx, "open the full-numbers form", chromedp.Click(chromedp.CSS("#export-reveal summary")),
		chromedp.WaitVisible(chromedp.CSS("#export-reveal-form input[name=reason]")))
	consoleFits(t, ctx, "the full-numbers form")
}

// signedInBrowser is a browser (its policy watched) signed in with the
// one-time link token, on the console's landing in lang.
func signedInBrowser(t *testing.T, base, token, lang string) context.Context {
	t.Helper()
	ctx := newBrowser(t)
	watchCSP(t, ctx)
	do(t, ctx, "open the sign-in link", chromedp.Navigate(base+"/signin/link/"+token+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS("#use-link")))
	do(t, ctx, "sign in", chromedp.Click(chromedp.CSS("#use-link")), chromedp.WaitVisible(chromedp.CSS("body[data-page=dashboard]")), loaded)
	return ctx
}
