package people_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// MY DATA says that a person came from an import, which and when, and
// the number its source gave them; erasure forgets that number.
func TestMyDataShowsTheImportTheyCameFrom(t *testing.T) {
	w := newWorldAt(t, time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC))
	iw := storetest.NewImportWorld(t, w.db)
	imp, people := iw.Import(t, "JMM app export 2025",
		storetest.ImportRow{Phone: "+919877700961", Name: "Sunita Devi", Language: "hi", LegacyNo: "JMM/2025/00042", SMS: true})
	id := people["+919877700961"]
	d := w.myData(id)
	if d.Origin.ImportID != imp || d.Origin.Source != "JMM app export 2025" || d.Origin.Day != "2026-02-20" ||
		d.Origin.LegacyNo != "JMM/2025/00042" {
		t.Errorf("origin in MY DATA: %+v", d.Origin)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.Erase(ctx, tx, id, "test") })
	if d := w.myData(id); d.Origin.LegacyNo != "" {
		t.Errorf("legacy number %q outlived erasure", d.Origin.LegacyNo)
	}
	if d := w.myData(w.person("+919877700962")); d.Origin != (store.ImportOrigin{}) {
		t.Errorf("someone who joined themselves has an import origin: %+v", d.Origin)
	}
}
