package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/store"
)

// Seed generates the history of the drive slug for o and writes it into
// db, in one transaction, unless the drive has anyone in it already (a
// restarted demo keeps what it has). seeded is how many people it wrote.
func Seed(ctx context.Context, db *store.DB, slug string, secretKey []byte, o Options) (seeded int, err error) {
	d, err := db.DriveBySlug(ctx, slug)
	if err != nil {
		return 0, err
	}
	var done bool
	if err := db.View(ctx, func(tx *store.Tx) (err error) { done, err = store.DemoSeeded(ctx, tx, d.ID); return err }); err != nil || done {
		return 0, err
	}
	w, err := world(ctx, db, d)
	if err != nil {
		return 0, err
	}
	h := Plan(w, o)
	number(h.People)
	seal(h.Groups, secretKey)
	err = db.Update(ctx, func(tx *store.Tx) error {
		if done, err := store.DemoSeeded(ctx, tx, d.ID); err != nil || done {
			return err
		}
		return store.SeedDemo(ctx, tx, h)
	})
	if err != nil {
		return 0, fmt.Errorf("demo: history: %w", err)
	}
	return len(h.People), nil
}

// world reads the drive's window, ACs and their member targets.
func world(ctx context.Context, db *store.DB, d store.Drive) (World, error) {
	zone, err := time.LoadLocation(d.Timezone)
	if err != nil {
		return World{}, err
	}
	w := World{DriveID: d.ID, RootID: d.RootAreaID, Zone: zone, Now: db.Now()}
	if w.Start, err = time.ParseInLocation(time.DateOnly, d.StartsOn, zone); err != nil {
		return World{}, err
	}
	if w.End, err = time.ParseInLocation(time.DateOnly, d.EndsOn, zone); err != nil {
		return World{}, err
	}
	pcs, err := db.Descendants(ctx, d.RootArea, "pc")
	if err != nil {
		return World{}, err
	}
	pcID := map[string]int64{}
	for _, pc := range pcs {
		pcID[pc.Code] = pc.ID
	}
	acs, err := db.Descendants(ctx, d.RootArea, "ac")
	if err != nil {
		return World{}, err
	}
	ids := make([]int64, len(acs))
	for i, ac := range acs {
		ids[i] = ac.ID
	}
	targets, err := db.Targets(ctx, d.ID, ids)
	if err != nil {
		return World{}, err
	}
	for _, ac := range acs {
		w.ACs = append(w.ACs, AC{ID: ac.ID, PCID: pcID[ac.Parent], MembersTarget: targets[ac.ID][store.StageRegistered.Metric()]})
	}
	return w, nil
}

// number gives every member a membership number, drawn as registration
// draws them (membership.New), none twice.
func number(people []store.DemoPerson) {
	taken := map[string]bool{}
	for i := range people {
		if people[i].Registered.IsZero() {
			continue
		}
		n := membership.New()
		for taken[n] {
			n = membership.New()
		}
		taken[n] = true
		people[i].MembershipNo = n
	}
}

// seal gives every group an invite of the reserved form, a code starting
// demo_ that no real WhatsApp or Telegram invite has, hashed and sealed as
// the register does (groups), so it finds and opens them as any other.
func seal(gs []store.DemoGroup, secretKey []byte) {
	register := groups.New(secretKey)
	for i := range gs {
		inv := groups.Invite{Kind: gs[i].Kind, Code: InviteCode(i)}
		gs[i].CodeHash = register.InviteHash(inv)
		gs[i].Seal = func(id int64) string { return register.SealInvite(inv, id) }
	}
}

// InviteCode is the invite code of the history's i-th group: demo_ and a
// number, as in https://chat.whatsapp.com/demo_000001.
func InviteCode(i int) string { return fmt.Sprintf("demo_%06d", i+1) }
