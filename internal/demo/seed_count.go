package demo

import (
	"cmp"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// count is what h's events counted, as the live paths count them, summed
// per key: a lead at the drive's root (nobody's area is known at a first
// contact), the participation's stages at its area under its channel
// (store.ReachStage from people.Register, referrals.Verified, groups and
// posts), volunteers at their area under the channel they volunteered on
// (store.StartVolunteering), groups at theirs under theirs
// (store.RegisterGroup), office bearers at the post's area under "staff"
// (store.Appoint); each on the drive-local day it happened.
func count(w World, h store.DemoHistory) []store.CounterDelta {
	sum := map[store.CounterDelta]int64{}
	add := func(area int64, metric string, at time.Time, channel string) {
		if !at.IsZero() {
			sum[store.CounterDelta{DriveID: w.DriveID, AreaID: area, Metric: metric, Day: drive.DayOf(at, w.Zone), Channel: channel}]++
		}
	}
	for _, p := range h.People {
		add(w.RootID, store.StageLead.Metric(), p.FirstSeen, p.Channel)
		add(p.AreaID, store.StageRegistered.Metric(), p.Registered, p.Channel)
		add(p.AreaID, store.StageVerified.Metric(), p.Verified, p.Channel)
		add(p.AreaID, store.StageVolunteer.Metric(), p.Volunteer, p.VolunteerVia)
		add(p.AreaID, store.StageActive.Metric(), p.Active, p.Channel)
	}
	for _, g := range h.Groups {
		add(g.AreaID, "groups", g.RegisteredAt, g.Channel)
	}
	for _, a := range h.Appointments {
		add(a.AreaID, "office_bearers", a.At, "staff")
	}
	out := make([]store.CounterDelta, 0, len(sum))
	for k, v := range sum {
		k.Value = v
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b store.CounterDelta) int {
		return cmp.Or(cmp.Compare(a.AreaID, b.AreaID), cmp.Compare(a.Metric, b.Metric), cmp.Compare(a.Day, b.Day),
			cmp.Compare(a.Channel, b.Channel))
	})
	return out
}
