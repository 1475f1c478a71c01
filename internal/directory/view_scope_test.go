package directory_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// A person's page shows only their participations inside the scope, and
// a lead with no area belongs to the scopes covering their drive's whole
// root: for a drive rooted at a district, the district's scope, not one of
// its ACs' nor a PC holding some of them. Revealing follows the same rule.
func TestViewAndRevealFollowTheScope(t *testing.T) {
	w := newSearchWorld(t)
	ctx := context.Background()
	lead := w.join(t, "ranchi", "District Lead", "+919876511111", "", store.StageLead)
	both := w.join(t, "jh", "Two Drives", "+919876511112", "JH-AC-040", store.StageLead)
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		_, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: both, DriveID: w.drives["ranchi"].ID,
			Channel: "web", AreaID: w.areaID(t, "JH-AC-063"), Day: "2026-02-22"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		area       string
		lead       bool
		bothDrives []string
	}{
		{"JH-AC-063", false, []string{"ranchi"}},
		{"JH-PC-08", false, []string{"ranchi"}},
		{"JH-D-RANCHI", true, []string{"ranchi"}},
		{"JH-AC-040", false, []string{"jh"}},
		{"JH", true, []string{"jh", "ranchi"}},
	} {
		a := w.actor(t, access.Coordinator, tc.area)
		_, err := w.dir.View(ctx, a, lead)
		if (err == nil) != tc.lead || (err != nil && apperr.CodeOf(err) != apperr.NotFound) {
			t.Errorf("coordinator of %s viewing the district drive's lead: %v, want visible %v", tc.area, err, tc.lead)
		}
		_, err = w.dir.Reveal(ctx, a, lead, "called back about the booth")
		if (err == nil) != tc.lead {
			t.Errorf("coordinator of %s revealing the district drive's lead: %v, want allowed %v", tc.area, err, tc.lead)
		}
		p, err := w.dir.View(ctx, a, both)
		if err != nil {
			t.Fatalf("coordinator of %s viewing a person in two drives: %v", tc.area, err)
		}
		var drives []string
		for _, pp := range p.Participations {
			drives = append(drives, pp.DriveSlug)
		}
		if got := sorted(drives); len(got) != len(tc.bothDrives) || got[0] != tc.bothDrives[0] || got[len(got)-1] != tc.bothDrives[len(got)-1] {
			t.Errorf("coordinator of %s sees the participations %v, want %v", tc.area, got, tc.bothDrives)
		}
	}
}
