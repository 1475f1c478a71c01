package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// A missed call is a lead with no area: it counts at the drive's root.
// Registering at an AC counts there and, in the totals, at every ancestor.
func TestFunnelCountsAtMostSpecificArea(t *testing.T) {
	f := newDriveFixture(t)
	id := f.person(t, "Sunita", "+919876543210")
	part := f.lead(t, id)
	if own, total := f.own(t, f.state, "leads"), f.total(t, f.state, "leads"); own != 1 || total != 1 {
		t.Errorf("leads at JH: own %d, total %d; want 1, 1", own, total)
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		moved, err := store.ReachStage(ctx, tx, part, store.StageRegistered, f.ac, "web", fixtureDay)
		if err != nil || !moved {
			t.Errorf("register: moved %v, %v", moved, err)
		}
		moved, err = store.ReachStage(ctx, tx, part, store.StageRegistered, f.ac, "web", fixtureDay)
		if err != nil || moved {
			t.Errorf("register again: moved %v, %v", moved, err)
		}
		// No area given: the participation's own (the AC) is used.
		moved, err = store.ReachStage(ctx, tx, part, store.StageVerified, 0, "web", fixtureDay)
		if err != nil || !moved {
			t.Errorf("verify: moved %v, %v", moved, err)
		}
		return nil
	})
	for _, c := range []struct {
		name   string
		got    int64
		wanted int64
	}{
		{"own members at AC", f.own(t, f.ac, "members"), 1},
		{"own members at JH", f.own(t, f.state, "members"), 0},
		{"total members at AC", f.total(t, f.ac, "members"), 1},
		{"total members at JH", f.total(t, f.state, "members"), 1},
		{"own verified at AC", f.own(t, f.ac, "verified"), 1},
		{"total verified at JH", f.total(t, f.state, "verified"), 1},
		{"own leads at AC", f.own(t, f.ac, "leads"), 0},
	} {
		if c.got != c.wanted {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.wanted)
		}
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		p, err := store.FindParticipation(ctx, tx, id, f.drive)
		if err != nil {
			return err
		}
		if p.ID != part || p.AreaID != f.ac || p.Channel != "missed_call" || !p.LeadAt.Equal(fixtureStart) ||
			!p.RegisteredAt.Equal(fixtureStart) || !p.VerifiedAt.Equal(fixtureStart) || !p.VolunteerAt.IsZero() {
			t.Errorf("participation %+v", p)
		}
		return nil
	})
}

// A registration's second round trip: the proven contacts that are the
// person's are verified, and each stage moves and is counted once, at the
// area given; again, nothing moves; an unknown participation is not found.
func TestReachStagesProving(t *testing.T) {
	f := newDriveFixture(t)
	id := f.person(t, "Sunita", "+919876543210")
	other := f.person(t, "Rekha", "+919876543211")
	part := f.lead(t, id)
	reach := func(participation int64, stages ...store.Stage) (moved []bool, err error) {
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			moved, err = store.ReachStagesProving(ctx, tx, store.Reaching{PersonID: id, ParticipationID: participation, AreaID: f.ac,
				Channel: "whatsapp", Day: fixtureDay, Stages: stages, Proven: []store.Contact{
					{Kind: store.ContactPhone, Value: "+919876543210"}, {Kind: store.ContactPhone, Value: "+919876543211"}}})
			return nil
		})
		return moved, err
	}
	if moved, err := reach(part, store.StageRegistered, store.StageVerified); err != nil || !slices.Equal(moved, []bool{true, true}) {
		t.Fatalf("first: moved %v, %v", moved, err)
	}
	if moved, err := reach(part, store.StageRegistered, store.StageVerified); err != nil || !slices.Equal(moved, []bool{false, false}) {
		t.Fatalf("again: moved %v, %v", moved, err)
	}
	if _, err := reach(part+100, store.StageRegistered); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("an unknown participation: %v, want not found", err)
	}
	if got := []int64{f.own(t, f.ac, "members"), f.own(t, f.ac, "verified"), f.total(t, f.state, "members"), f.total(t, f.state, "verified")}; !slices.Equal(got, []int64{1, 1, 1, 1}) {
		t.Errorf("members and verified at the AC and in JH: %v, want each 1", got)
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for person, want := range map[int64]bool{id: true, other: false} {
			cs, err := store.Contacts(ctx, tx, person)
			if err != nil {
				return err
			}
			if len(cs) != 1 || cs[0].VerifiedAt.IsZero() != !want {
				t.Errorf("contacts of person %d: %+v, want verified %v", person, cs, want)
			}
		}
		p, err := store.GetParticipation(ctx, tx, part)
		if err != nil {
			return err
		}
		if p.AreaID != f.ac || p.RegisteredAt.IsZero() || p.VerifiedAt.IsZero() {
			t.Errorf("participation %+v", p)
		}
		return nil
	})
}

// The first contact wins: a later one returns the same participation and
// counts nothing.
func TestEnsureParticipationIsIdempotent(t *testing.T) {
	f := newDriveFixture(t)
	referrer := f.person(t, "Referrer", "+919800000001")
	id := f.person(t, "Sunita", "+919876543210")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		in := store.ParticipationInput{PersonID: id, DriveID: f.drive, Channel: "web", AreaID: f.ac, ReferredBy: referrer, Day: fixtureDay}
		first, created, err := store.EnsureParticipation(ctx, tx, in)
		if err != nil || !created {
			t.Fatalf("first: created %v, %v", created, err)
		}
		in.Channel, in.AreaID, in.ReferredBy = "missed_call", 0, 0
		again, created, err := store.EnsureParticipation(ctx, tx, in)
		if err != nil || created || again != first {
			t.Errorf("again: id %d (want %d), created %v, %v", again, first, created, err)
		}
		p, err := store.GetParticipation(ctx, tx, first)
		if err != nil {
			return err
		}
		if p.Channel != "web" || p.AreaID != f.ac || p.ReferredBy != referrer || p.RegisteredBy != 0 {
			t.Errorf("participation %+v", p)
		}
		_, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: f.drive, Day: fixtureDay})
		wantCode(t, err, apperr.Invalid)
		_, err = store.FindParticipation(ctx, tx, referrer, f.drive)
		wantCode(t, err, apperr.NotFound)
		return nil
	})
	if own := f.own(t, f.ac, "leads"); own != 1 {
		t.Errorf("leads at AC = %d, want 1", own)
	}
	if own := f.own(t, f.state, "leads"); own != 0 {
		t.Errorf("leads at JH = %d, want 0", own)
	}
}

// A volunteer steps down: the stage clears and a -1 lands on the day it
// happened, so the cumulative count drops from then on, not before.
func TestRevertStage(t *testing.T) {
	f := newDriveFixture(t)
	part := f.lead(t, f.person(t, "Sunita", "+919876543210"))
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := store.ReachStage(ctx, tx, part, store.StageVolunteer, f.ac, "web", fixtureDay)
		return err
	})
	f.clock.Advance(48 * time.Hour)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for i, want := range []bool{true, false} {
			moved, err := store.RevertStage(ctx, tx, part, store.StageVolunteer, "web", "2026-02-14")
			if err != nil || moved != want {
				t.Errorf("revert #%d: moved %v, %v; want %v", i+1, moved, err, want)
			}
		}
		_, err := store.RevertStage(ctx, tx, part+100, store.StageVolunteer, "web", "2026-02-14")
		wantCode(t, err, apperr.NotFound)
		_, err = store.ReachStage(ctx, tx, part, "elected", 0, "web", fixtureDay)
		wantCode(t, err, apperr.Invalid)
		return nil
	})
	ctx := context.Background()
	for _, c := range []struct {
		days store.DayRange
		want int64
	}{
		{store.DayRange{To: "2026-02-13"}, 1},
		{store.DayRange{}, 0},
	} {
		sums, err := f.db.CounterTotals(ctx, f.drive, []int64{f.state}, c.days)
		if err != nil {
			t.Fatal(err)
		}
		if got := sumMetric(sums, "volunteers"); got != c.want {
			t.Errorf("volunteers over %+v = %d, want %d", c.days, got, c.want)
		}
	}
	// Stepping up again counts again.
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		moved, err := store.ReachStage(ctx, tx, part, store.StageVolunteer, 0, "web", "2026-02-14")
		if err != nil || !moved {
			t.Errorf("volunteer again: moved %v, %v", moved, err)
		}
		return nil
	})
	if got := f.total(t, f.state, "volunteers"); got != 1 {
		t.Errorf("volunteers after stepping up again = %d, want 1", got)
	}
}

// 64 concurrent registrations of one participation: exactly one moves it,
// and the counter says 1.
func TestReachStageConcurrently(t *testing.T) {
	f := newDriveFixture(t)
	part := f.lead(t, f.person(t, "Sunita", "+919876543210"))
	var moved atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Go(func() {
			ctx := context.Background()
			errs <- f.db.Update(ctx, func(tx *store.Tx) error {
				ok, err := store.ReachStage(ctx, tx, part, store.StageRegistered, f.ac, "web", fixtureDay)
				if ok {
					moved.Add(1)
				}
				return err
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := moved.Load(); n != 1 {
		t.Errorf("%d calls moved the stage, want 1", n)
	}
	if own, total := f.own(t, f.ac, "members"), f.total(t, f.state, "members"); own != 1 || total != 1 {
		t.Errorf("members: own at AC %d, total at JH %d; want 1, 1", own, total)
	}
}

// 64 concurrent first contacts, spread over one person or eight: one
// participation per person, created by exactly one caller, and one lead
// each, counted at the same counter rows without a deadlock.
func TestEnsureParticipationConcurrently(t *testing.T) {
	for _, n := range []int{1, 8} {
		t.Run(fmt.Sprint(n, " people"), func(t *testing.T) {
			f := newDriveFixture(t)
			people := make([]int64, n)
			for i := range people {
				people[i] = f.person(t, fmt.Sprint("Person ", i), fmt.Sprintf("+9198000000%02d", i))
			}
			var created atomic.Int64
			ids := make([]int64, 64)
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			for g := range 64 {
				wg.Go(func() {
					ctx := context.Background()
					errs <- f.db.Update(ctx, func(tx *store.Tx) error {
						id, ok, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{
							PersonID: people[g%n], DriveID: f.drive, Channel: "missed_call", Day: fixtureDay})
						if ok {
							created.Add(1)
						}
						ids[g] = id
						return err
					})
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
			if got := created.Load(); got != int64(n) {
				t.Errorf("%d calls created a participation, want %d", got, n)
			}
			for g := range ids {
				if ids[g] == 0 || ids[g] != ids[g%n] {
					t.Errorf("caller %d got participation %d, caller %d got %d", g, ids[g], g%n, ids[g%n])
				}
			}
			if got := f.own(t, f.state, "leads"); got != int64(n) {
				t.Errorf("leads at JH = %d, want %d", got, n)
			}
		})
	}
}
