package directory_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
)

// Search finds people by a Hindi or Latin name prefix or by a number in
// any common form, only inside the searcher's scope (a lead with no area
// only from the drive's root), masks the numbers, and audits the search
// by its filters and a keyed hash: never the text.
func TestSearchByScope(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		return store.SetNameKeys(ctx, tx, w.sunita, names.SearchKeys("Sunita Devi"))
	})
	if err != nil {
		t.Fatal(err)
	}
	ranchi := w.actor("person:7", access.Coordinator, "JH-AC-063")
	for _, text := range []string{"सुनी", "suni", "Sunita D", "devi", "09876500020", "+91 98765 00020", "9876500020"} {
		found, err := w.dir.Search(ctx, ranchi, directory.Query{Text: text})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if len(found.Rows) != 1 || found.Rows[0].PersonID != w.sunita {
			t.Errorf("%q found %+v, want Sunita", text, found.Rows)
			continue
		}
		if got := found.Rows[0].Phone; got != "+91 98xxxxxx20" {
			t.Errorf("%q: phone shown as %q, want it masked", text, got)
		}
	}
	dhanbad := w.actor("person:8", access.Coordinator, "JH-AC-040")
	if found, err := w.dir.Search(ctx, dhanbad, directory.Query{Text: "suni"}); err != nil || len(found.Rows) != 0 {
		t.Errorf("a sibling AC's coordinator found %+v, %v", found.Rows, err)
	}
	all, err := w.dir.Search(ctx, w.actor("person:9", access.Admin, "JH"), directory.Query{})
	if err != nil || len(all.Rows) != 2 {
		t.Errorf("the state's admin found %+v, %v; want Sunita and the lead", all.Rows, err)
	}
	leads, err := w.dir.Search(ctx, ranchi, directory.Query{Stage: "lead"})
	if err != nil || len(leads.Rows) != 1 || leads.Rows[0].PersonID != w.sunita {
		t.Errorf("an AC's coordinator's leads are %+v, %v; want Sunita only, not the drive's area-less lead", leads.Rows, err)
	}
	_, err = w.dir.Search(ctx, w.actor("person:10", access.Viewer, "JH"), directory.Query{Text: "suni"})
	wantCode(t, "a viewer's search", err, "forbidden")
	_, err = w.dir.Search(ctx, ranchi, directory.Query{Stage: "famous"})
	wantCode(t, "an unknown stage", err, "invalid")
	_, err = w.dir.Search(ctx, ranchi, directory.Query{Cursor: "not-a-cursor"})
	wantCode(t, "a made-up cursor", err, "invalid")

	searches := append(w.entries("search"), w.entries("search_phone")...)
	if len(searches) < 9 {
		t.Fatalf("%d searches audited, want one per search", len(searches))
	}
	for _, e := range searches {
		for _, typed := range []string{"सुनी", "suni", "Sunita", "devi", "9876500020", "98765"} {
			if strings.Contains(e.Detail, typed) || strings.Contains(e.Reason, typed) {
				t.Errorf("the audit kept the searched text %q: %+v", typed, e)
			}
		}
	}
	if e := w.entries("search")[len(w.entries("search"))-1]; e.Actor != "person:7" || e.Scope != "coordinator:JH-AC-063" || e.Rows != 1 || !strings.Contains(e.Detail, "name=") {
		t.Errorf("the first search's entry is %+v", e)
	}
}

// A name search's next-page cursor says where the page ended, which is a
// name: it leaves sealed, so neither it nor its decoding holds the name,
// and a cursor changed by hand is refused.
func TestSearchCursorIsSealed(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		if err := store.SetNameKeys(ctx, tx, w.sunita, names.SearchKeys("Sunita Devi")); err != nil {
			return err
		}
		return store.SetNameKeys(ctx, tx, w.lead, names.SearchKeys("Sunita Devi"))
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := w.actor("person:9", access.Admin, "JH")
	page, err := w.dir.Search(ctx, admin, directory.Query{Text: "sunita", Limit: 1})
	if err != nil || len(page.Rows) != 1 || page.Next == "" {
		t.Fatalf("first page %+v, %v; want one row and a next page", page, err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(page.Next)
	for _, s := range []string{page.Next, string(raw)} {
		if strings.Contains(strings.ToLower(s), "sunita") || strings.Contains(s, "devi") {
			t.Errorf("the cursor shows the name: %q", s)
		}
	}
	next, err := w.dir.Search(ctx, admin, directory.Query{Text: "sunita", Limit: 1, Cursor: page.Next})
	if err != nil || len(next.Rows) != 1 || next.Rows[0].PersonID == page.Rows[0].PersonID || next.Next != "" {
		t.Errorf("the next page: %+v, %v; want the other Sunita and no more", next, err)
	}
	tampered := []byte(page.Next)
	tampered[len(tampered)/2] ^= 1
	_, err = w.dir.Search(ctx, admin, directory.Query{Text: "sunita", Cursor: string(tampered)})
	wantCode(t, "a changed cursor", err, "invalid")
}

// Searching by a whole number is capped per staff member per day, so six
// masked digits cannot be guessed a million searches at a time; a name
// search is not counted against it, and the refusal is counted.
func TestPhoneSearchCap(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	dir, err := directory.New(w.db, directory.Config{SecretKey: key, PhoneSearchDailyCap: 2, Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	coord := w.actor("person:7", access.Coordinator, "JH-AC-063")
	for _, guess := range []string{"9876500011", "9876500012"} {
		if _, err := dir.Search(ctx, coord, directory.Query{Text: guess}); err != nil {
			t.Fatalf("search %s under the cap: %v", guess, err)
		}
	}
	_, err = dir.Search(ctx, coord, directory.Query{Text: "9876500013"})
	wantCode(t, "the third search by number", err, "rate_limited")
	if _, err := dir.Search(ctx, coord, directory.Query{Text: "suni"}); err != nil {
		t.Errorf("a name search after the cap: %v", err)
	}
	if _, err := dir.Search(ctx, w.actor("person:8", access.Coordinator, "JH-AC-063"), directory.Query{Text: "9876500013"}); err != nil {
		t.Errorf("another staff member's search by number: %v", err)
	}
	if got := counterValue(t, reg, "jodo_phone_search_cap_reached_total"); got != 1 {
		t.Errorf("cap metric %v, want 1", got)
	}
	w.clock.Advance(24 * time.Hour)
	if _, err := dir.Search(ctx, coord, directory.Query{Text: "9876500013"}); err != nil {
		t.Errorf("the next day: %v", err)
	}
}
