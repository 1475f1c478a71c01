package app_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

var (
	formTextarea = regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	formSelect   = regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	formOption   = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
	formAttr     = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// formOf is what a browser would post from the page's form with id: its
// inputs (checkboxes only when checked), selects and textareas, in order.
func formOf(t *testing.T, page, id string) url.Values {
	t.Helper()
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no form %s on the page:\n%.1500s", id, page)
	}
	body := page[strings.LastIndex(page[:i], "<form"):]
	body = body[:strings.Index(body, "</form>")]
	out := url.Values{}
	// Inputs and selects keep their order among themselves (the channel rows pair up by position).
	fields := regexp.MustCompile(`(?s)<input[^>]*>|<select.*?</select>`).FindAllString(body, -1)
	for _, f := range fields {
		if m := formSelect.FindStringSubmatch(f); m != nil {
			opts := formOption.FindAllStringSubmatch(m[2], -1)
			value := opts[0][1]
			for _, o := range opts {
				if o[2] != "" {
					value = o[1]
				}
			}
			out.Add(m[1], html.UnescapeString(value))
			continue
		}
		attrs := map[string]string{}
		for _, a := range formAttr.FindAllStringSubmatch(f, -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		if attrs["name"] == "" || attrs["type"] == "checkbox" && !strings.Contains(f, " checked") {
			continue
		}
		out.Add(attrs["name"], attrs["value"])
	}
	for _, m := range formTextarea.FindAllStringSubmatch(body, -1) {
		out.Set(m[1], html.UnescapeString(m[2]))
	}
	return out
}

// The story over HTTP: an admin of Jharkhand opens jh-posts'
// settings, previews a new volunteers target per PC (nothing saved),
// saves it: the progress API's targets move, the drive's version goes up
// by one, `jodo drive export`'s file holds the change and the audit the
// before and after. A second admin who opened the form before the save is
// refused (409, their input kept); rules that do not parse come back with
// the drive file's words and the input; a coordinator is refused.
func TestConsoleDriveSettings(t *testing.T) {
	t.Parallel()
	w := newPostsWorld(t)
	ctx := context.Background()
	first := w.staffClient("+919876533401", "Admin One", access.Admin, "JH")
	second := w.staffClient("+919876533402", "Admin Two", access.Admin, "JH")
	coord := w.staffClient("+919876533403", "Coordinator Ranchi", access.Coordinator, "JH-AC-063")
	token, err := access.CreateToken(ctx, w.db, "drive-settings-test", string(access.Coordinator), []string{"JH-PC-08"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.progress(token, "JH-PC-08")["volunteers"][1]; got != 1000 {
		t.Fatalf("the PC's volunteers target before: %d", got)
	}

	w.want(first, "/console/drives?lang=en", http.StatusOK, `href="/console/drives/jh-posts?lang=en"`, "Karyakarta — Jharkhand", `href="/console/drives"`)
	page := w.want(first, "/console/drives/jh-posts?lang=en", http.StatusOK, "Settings: Karyakarta — Jharkhand", "this form is of version 1",
		"each pc: 1000 volunteers", "ac-sm-convenor | ac | AC social media convenor | विधानसभा सोशल मीडिया संयोजक")
	stale := formOf(t, w.want(second, "/console/drives/jh-posts?lang=en", http.StatusOK), "drive-form")
	form := formOf(t, page, "drive-form")
	if form.Get("version") != "1" || form["channel_number"][0] != "+9118000000001" || len(form["channel_number"]) != 2 {
		t.Fatalf("the form posts %v", form)
	}

	form.Set("targets", strings.Replace(form.Get("targets"), "each pc: 1000 volunteers", "each pc: 1500 volunteers", 1))
	form.Set("action", "preview")
	r := w.post(first, "/console/drives/jh-posts", form, nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="preview-targets"`) || !strings.Contains(r.body, "<td>JH-PC-08</td><td><b>1,500</b>") ||
		!strings.Contains(r.body, "each pc: 1500 volunteers") {
		t.Fatalf("the preview: %d\n%.3000s", r.status, r.body)
	}
	if got := w.progress(token, "JH-PC-08")["volunteers"][1]; got != 1000 {
		t.Errorf("a preview moved the target to %d", got)
	}

	form.Set("action", "save")
	r = w.post(first, "/console/drives/jh-posts", form, nil)
	if r.status != http.StatusSeeOther || r.location != "/console/drives/jh-posts?done=saved&lang=en" {
		t.Fatalf("saving: %d to %q\n%.2000s", r.status, r.location, r.body)
	}
	w.want(first, r.location, http.StatusOK, "Saved. The drive is now at version 2", "this form is of version 2")
	if got := w.progress(token, "JH-PC-08")["volunteers"]; got[1] != 1500 {
		t.Errorf("the PC's volunteers target after the save: %d, want 1500", got[1])
	}
	file, err := drive.Export(ctx, w.db, "jh-posts")
	if err != nil {
		t.Fatal(err)
	}
	exported := mustJodo(t, w.dbURL, "drive", "export", "jh-posts")
	for _, out := range []string{string(file), exported} {
		if !strings.Contains(out, `"version": 2`) || !strings.Contains(out, `"each pc: 1500 volunteers"`) || !strings.Contains(out, `"booth-digital-volunteer"`) {
			t.Errorf("the exported file:\n%s", out)
		}
	}

	stale.Set("targets", strings.Replace(stale.Get("targets"), "each pc: 1000 volunteers", "each pc: 2000 volunteers", 1))
	stale.Set("action", "save")
	r = w.post(second, "/console/drives/jh-posts", stale, nil)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else saved this drive after you opened this form") ||
		!strings.Contains(r.body, "each pc: 2000 volunteers") || !strings.Contains(r.body, `id="reload"`) {
		t.Fatalf("a stale form: %d\n%.3000s", r.status, r.body)
	}
	stale.Set("lang", "hi")
	if r = w.post(second, "/console/drives/jh-posts", stale, nil); r.status != http.StatusConflict || !strings.Contains(r.body, "किसी और ने यह अभियान सेव कर दिया") {
		t.Errorf("a stale form in Hindi: %d\n%.2000s", r.status, r.body)
	}
	if got := w.progress(token, "JH-PC-08")["volunteers"][1]; got != 1500 {
		t.Errorf("a stale form moved the target to %d", got)
	}

	bad := formOf(t, w.want(first, "/console/drives/jh-posts?lang=en", http.StatusOK), "drive-form")
	bad.Set("targets", bad.Get("targets")+"\neach pc: lots volunteers")
	bad.Set("action", "save")
	r = w.post(first, "/console/drives/jh-posts", bad, nil)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "is not a whole number") || !strings.Contains(r.body, "each pc: lots volunteers") {
		t.Errorf("invalid rules: %d\n%.3000s", r.status, r.body)
	}
	if r = w.post(first, "/console/drives/jh-posts", url.Values{"reason": {"x"}, "lang": {"en"}}, nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a form with only a reason: %d", r.status)
	}
	if d, err := w.db.DriveBySlug(ctx, "jh-posts"); err != nil || d.Version != 2 {
		t.Errorf("the drive is at version %d (%v), want 2", d.Version, err)
	}

	w.want(coord, "/console/drives/jh-posts?lang=en", http.StatusForbidden)
	w.want(coord, "/console/drives?lang=en", http.StatusForbidden)
	if r = w.post(coord, "/console/drives/jh-posts", form, nil); r.status != http.StatusForbidden {
		t.Errorf("a coordinator saving: %d", r.status)
	}
	if body := w.want(coord, "/console?lang=en", http.StatusOK); strings.Contains(body, `href="/console/drives"`) {
		t.Error("a coordinator's navigation links to the drives")
	}

	entries, err := w.db.AuditEntries(ctx, store.AuditFilter{Action: "drive_edit"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.Contains(entries[0].Detail, `targets: - "each pc: 1000 volunteers" + "each pc: 1500 volunteers"`) ||
		!strings.Contains(entries[0].Detail, "version 1 → 2") || entries[0].Actor == "" || !strings.HasPrefix(entries[0].Scope, "admin:JH") {
		t.Errorf("the drive_edit audit: %+v", entries)
	}
}

// In the browser: the admin goes from the navigation to the drive's
// settings, previews a new target, saves it and sees the notice; neither
// the form nor the preview breaks the page's policy or is wider than a
// 360 px phone.
func TestDriveSettingsInTheBrowser(t *testing.T) {
	t.Parallel()
	w := newPostsWorld(t)
	ctx := signedInBrowser(t, w.base, w.staffLink("+919876533404", "Admin Browser", access.Admin, "JH"), "en")

	do(t, ctx, "open the drives", chromedp.Click(chromedp.CSS(`nav a[href="/console/drives"]`)), chromedp.WaitVisible(chromedp.CSS("#drives")), loaded)
	consoleFits(t, ctx, "the drives")
	do(t, ctx, "open jh-posts", chromedp.Click(chromedp.CSS(`#drives a[href^="/console/drives/jh-posts"]`)), chromedp.WaitVisible(chromedp.CSS("#drive-form")), loaded)
	consoleFits(t, ctx, "the settings form")
	do(t, ctx, "preview", chromedp.SetValue(chromedp.CSS("#f-targets"), "each pc: 1200 volunteers\neach pc: 100 office_bearers"),
		chromedp.Click(chromedp.CSS("#preview")), chromedp.WaitVisible(chromedp.CSS("#preview-targets")), loaded)
	if rows := text(t, ctx, "#preview-targets tbody"); !strings.Contains(rows, "1,200") || !strings.Contains(rows, "16,800") {
		t.Errorf("the preview shows %.300q, want 1,200 a PC and 16,800 for JH", rows)
	}
	consoleFits(t, ctx, "the preview")
	do(t, ctx, "save", chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#done")), loaded)
	if done := text(t, ctx, "#done"); !strings.Contains(done, "version 2") {
		t.Errorf("after saving the page says %q", done)
	}
	if d, err := w.db.DriveBySlug(context.Background(), "jh-posts"); err != nil || d.Version != 2 {
		t.Errorf("the drive is at version %d (%v), want 2", d.Version, err)
	}
}
