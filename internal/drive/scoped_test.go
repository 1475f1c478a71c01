package drive_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A drive rooted at a district covers its ACs, which lie under the PCs in
// the tree: their progress is part of it, another district's AC is not,
// and a scope must still hold the area asked for.
func TestProgressInADistrictDrive(t *testing.T) {
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)))
	drivetest.Load(t, db, nil, `{"version":1,"slug":"ranchi","name":"Ranchi","starts_on":"2026-11-01","ends_on":"2026-12-31",
		"timezone":"Asia/Kolkata","root_area":"JH-D-RANCHI","channels":[],"targets":[]}`)
	ctx := context.Background()
	state, err := db.ScopeAreas(ctx, []string{"JH"})
	if err != nil {
		t.Fatal(err)
	}
	for area, want := range map[string]string{"JH-AC-063": "", "JH-D-RANCHI": "", "JH-AC-040": apperr.Invalid} {
		r, err := drive.ProgressIn(ctx, db, state, drive.ProgressRequest{Slug: "ranchi", Area: area, Children: true})
		if got := apperr.CodeOf(err); (want == "" && err != nil) || (want != "" && got != want) {
			t.Errorf("%s: %v, want %q", area, err, want)
		}
		if want == "" && r.Area != area {
			t.Errorf("%s: a report of %s", area, r.Area)
		}
	}
	dhanbad, err := db.ScopeAreas(ctx, []string{"JH-AC-040"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = drive.ProgressIn(ctx, db, dhanbad, drive.ProgressRequest{Slug: "ranchi", Area: "JH-AC-063"})
	if apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("Dhanbad's scope asking for Ranchi: %v, want forbidden", err)
	}
}
