package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A new demo drive gets the generated history, whose totals the progress
// API gives exactly; a restart keeps it and generates nothing more.
func TestDemoStartsWithAHistory(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	var out syncBuffer
	base, _, stop := startWith(t, "demo", db, &out, nil, "--seed", "3", "--quiet")
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
	base, _, stop = startWith(t, "demo", db, &out, nil, "--seed", "4", "--quiet")
	defer stop()
	var again demoProgress
	getAs(t, adminToken(out.String()), base+"/api/v1/drives/jh-warriors/progress?area=JH", &again)
	if !equalActuals(p, again) {
		t.Errorf("after a restart with another seed: %+v, before %+v", again.Metrics, p.Metrics)
	}
	// The console shows the history's people as anyone's: a recruiter's
	// page (their number masked, in the reserved form), the volunteers,
	// groups, posts and leaderboard.
	c := cookieClient(t)
	if code, _, _ := request(t, c, http.MethodPost, demoLink(t, out.String())); code != http.StatusSeeOther {
		t.Fatalf("signing in: %d", code)
	}
	recruiter := storetest.RecruiterWithGroup(t, store, d.ID)
	person := `href="/console/people/`
	for path, want := range map[string]string{
		"/console/people/" + strconv.FormatInt(recruiter, 10): "70xxxxxx",
		"/console/volunteers": person,
		"/console/groups":     person,
		"/console/posts":      person,
		"/console/recruiters": person,
	} {
		if code, body, _ := request(t, c, http.MethodGet, base+path); code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, %q shown %v", path, code, want, strings.Contains(body, want))
		}
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
