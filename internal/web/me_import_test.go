package web_test

import (
	"html"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// /me tells a person an import brought in where Jodo got their number
// and the number that list gave them, in both languages; and tells
// nothing of the kind to someone no import brought.
func TestMePageShowsTheImport(t *testing.T) {
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)))
	d := drivetest.Load(t, db, nil, drivetest.Reference)["jh-warriors"]
	w := storetest.ImportWorld{DB: db, Drive: d.ID, AC: storetest.AreaIDs(t, db, "JH-AC-063")["JH-AC-063"]}
	_, people := w.Import(t, "JMM app export <2025>",
		storetest.ImportRow{Phone: "+919877700971", Name: "Sunita Devi", Language: "hi", LegacyNo: "JMM/2025/00042"})
	srv := signedInServer(db, people["+919877700971"])
	t.Cleanup(srv.Close)
	field := func(page, id string) string {
		m := regexp.MustCompile(`<dd id="` + id + `">([^<]*)</dd>`).FindStringSubmatch(page)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	for lang, want := range map[string]string{
		"en": "From “JMM app export <2025>”, brought in on 20-02-2026",
		"hi": "“JMM app export <2025>” से, 20-02-2026 को जोड़ा गया",
	} {
		resp, err := http.Get(srv.URL + "/me?lang=" + lang)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", lang, resp.StatusCode)
		}
		if got := field(page, "p-import"); got != want {
			t.Errorf("%s: import %q, want %q", lang, got, want)
		}
		if got := field(page, "p-legacy"); got != "JMM/2025/00042" {
			t.Errorf("%s: legacy number %q", lang, got)
		}
	}
}
