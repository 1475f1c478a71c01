package app_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A new demo drive gets the generated history, whose totals the progress
// API gives exactly; a restart keeps it and generates nothing more.
func TestDemoStartsWithAHistory(t *testing.T) {
	db := storetest.URL(t)
	var out syncBuffer
	base, _, stop := startWith(t, "demo", db, &out, map[string]string{"--seed": "3"})
	var p demoProgress
	if code := getAs(t, adminToken(out.String()), base+"/api/v1/drives/jh-warriors/progress?area=JH", &p); code != 200 {
		t.Fatalf("progress: %d", code)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	store := storetest.Attach(t, db)
	d, err := store.DriveBySlug(context.Background(), "jh-warriors")
	if err != nil {
		t.Fatal(err)
	}
	rows := storetest.DriveRows(t, store, d.ID)
	for _, m := range p.Metrics {
		if m.Actual != rows[m.Metric] || m.Actual == 0 {
			t.Errorf("%s: the API says %d, the rows are %d", m.Metric, m.Actual, rows[m.Metric])
		}
	}
	out = syncBuffer{}
	base, _, stop = startWith(t, "demo", db, &out, map[string]string{"--seed": "4"})
	defer stop()
	var again demoProgress
	getAs(t, adminToken(out.String()), base+"/api/v1/drives/jh-warriors/progress?area=JH", &again)
	if !equalActuals(p, again) {
		t.Errorf("after a restart with another seed: %+v, before %+v", again.Metrics, p.Metrics)
	}
}

// equalActuals reports whether two reports count the same.
func equalActuals(a, b demoProgress) bool {
	if len(a.Metrics) != len(b.Metrics) {
		return false
	}
	for i := range a.Metrics {
		if a.Metrics[i].Actual != b.Metrics[i].Actual {
			return false
		}
	}
	return true
}
