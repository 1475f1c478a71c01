package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// storable says whether PostgreSQL's text can take s: valid UTF-8, no NUL.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// A progress query is refused as invalid, or read into values the store
// can be asked about on either engine: a slug and an area that are
// storable text without surrounding space, days that are dates in order.
func FuzzProgressQuery(f *testing.F) {
	f.Add("jh-2026", "")
	f.Add("jh-2026", "area=JH-AC-063&children=1&from=2026-02-12&to=2026-03-12")
	f.Add("jh-2026", "area=+JH-D-RANCHI+&children=false&to=2026-02-12")
	f.Add("jh-2026", "from=2026-03-12&to=2026-02-12")
	f.Add("jh-2026", "from=2026-02-30&children=yes")
	f.Add("jh-2026", "from=%EF%BC%92026-02-12")
	f.Add("jh-2026", "area=JH;x=1&area=JH-AC-001")
	f.Fuzz(func(t *testing.T, slug, query string) {
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/v1/drives/x/progress", RawQuery: query}, Header: http.Header{}}
		r.SetPathValue("slug", slug)
		form, err := parseProgressForm(r)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("query %q refused with %v, not as invalid", query, err)
			}
			return
		}
		passedOn(t, query, map[string]string{"slug": form.Slug, "area": form.Area}, []string{form.Area}, form.Days)
	})
}

// passedOn fails t unless what a drive's report query passes on to the
// store is storable text, the trimmed fields without surrounding space,
// and days that are dates in order.
func passedOn(t *testing.T, query string, text map[string]string, trimmed []string, days store.DayRange) {
	t.Helper()
	text["from"], text["to"] = days.From, days.To
	for what, v := range text {
		if !storable(v) {
			t.Fatalf("%s %q (query %q) is passed on to the store", what, v, query)
		}
	}
	for _, v := range trimmed {
		if strings.TrimSpace(v) != v {
			t.Fatalf("%q keeps its spaces", v)
		}
	}
	for _, day := range []string{days.From, days.To} {
		if _, err := time.Parse(time.DateOnly, day); day != "" && err != nil {
			t.Fatalf("day %q accepted: %v", day, err)
		}
	}
	if days.From != "" && days.To != "" && days.From > days.To {
		t.Fatalf("days %v out of order accepted", days)
	}
}

// The public area routes answer any code, kind and parent with areas
// (200), a refusal (400) or not found (404), never a server error, and
// refuse (400) text PostgreSQL cannot take rather than pass it to the
// store: on SQLite it would find nothing, on PostgreSQL fail as an
// internal error.
func FuzzAreaQuery(f *testing.F) {
	f.Add("JH-AC-063", "ac", "JH-D-RANCHI")
	f.Add("JH", "", "JH-PC-08")
	f.Add("JH-D-RANCHI", "district", "")
	f.Add("nope", "Booth", "nope")
	f.Add("../JH", "ac%", "JH/x")
	db := storetest.Open(f, storetest.NewClock(time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC)))
	drivetest.Load(f, db, nil)
	mux := server.NewMux()
	New(db, nil, slog.New(slog.DiscardHandler)).Routes(mux) // the areas need no directory
	get := func(t *testing.T, target string) int {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequestWithContext(context.Background(), http.MethodGet, target, nil))
		if rec.Code == http.StatusOK && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("GET %s: 200 with %q", target, rec.Body)
		}
		return rec.Code
	}
	f.Fuzz(func(t *testing.T, code, kind, parent string) {
		if code != "" {
			target := "/api/v1/areas/" + url.PathEscape(code)
			switch status := get(t, target); {
			case status != http.StatusOK && status != http.StatusBadRequest && status != http.StatusNotFound &&
				status != http.StatusMovedPermanently && status != http.StatusTemporaryRedirect:
				t.Fatalf("GET %s: %d", target, status)
			case status != http.StatusBadRequest && !storable(code):
				t.Fatalf("GET %s: %d for a code PostgreSQL cannot take", target, status)
			}
		}
		target := "/api/v1/areas?" + url.Values{"kind": {kind}, "parent": {parent}}.Encode()
		switch status := get(t, target); {
		case status != http.StatusOK && status != http.StatusBadRequest && status != http.StatusNotFound:
			t.Fatalf("GET %s: %d", target, status)
		case status != http.StatusBadRequest && !(storable(kind) && storable(parent)):
			t.Fatalf("GET %s: %d for a query PostgreSQL cannot take", target, status)
		}
	})
}

// FuzzSeriesQuery: a series query is refused as invalid, or everything it
// passes on is storable, trimmed, and its days are dates in order.
func FuzzSeriesQuery(f *testing.F) {
	f.Add("jh-2026", "")
	f.Add("jh-2026", "area=JH-AC-063&metric=members&from=2026-02-12&to=2026-03-12")
	f.Add("jh-2026", "metric=+volunteers+&to=2026-02-12")
	f.Add("jh-2026", "from=2026-02-12x")
	f.Add("jh-2026", "from=2026-03-12&to=2026-02-12")
	f.Add("jh-2026", "metric=%FF")
	f.Fuzz(func(t *testing.T, slug, query string) {
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/v1/drives/x/series", RawQuery: query}, Header: http.Header{}}
		r.SetPathValue("slug", slug)
		form, err := parseSeriesForm(r)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("query %q refused with %v, not as invalid", query, err)
			}
			return
		}
		passedOn(t, query, map[string]string{"slug": form.Slug, "area": form.Area, "metric": form.Metric}, []string{form.Area, form.Metric}, form.Days)
	})
}
