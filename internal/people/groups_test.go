package people_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/referrals"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// recruiterInvites are the invites the recruiter registers (a WhatsApp
// group and a Telegram one), by their codes, which no table may hold in
// the clear, before or after. recruiterGroupNames follow this order.
var recruiterInvites = []struct{ link, code string }{
	{"https://chat.whatsapp.com/SunitaRanchiGroupAbc123", "SunitaRanchiGroupAbc123"},
	{"t.me/+SunitaTelegramXyz987_q", "SunitaTelegramXyz987_q"},
}

// recruiterGroupNames are the names given to the groups (personal data:
// they may name the person or their village).
var recruiterGroupNames = []string{"Sunita Oraon Kanke Mahila", "Sunita Telegram Morabadi"}

// recruiter is a volunteer (w.volunteer) who registered two groups and
// has a referral code a recruit joined with, verified: one direct credit.
type recruiter struct {
	id, recruit int64
	drive       store.Drive
	code        string
	groups      []store.Group // as registered: with hash and sealed invite
}

func (w *world) recruiter(phone string) recruiter {
	w.t.Helper()
	id, d := w.volunteer(phone)
	r := recruiter{id: id, drive: d}
	g, refs := groups.New(key), referrals.New(key)
	i := 0
	for _, inv := range recruiterInvites {
		w.update(func(ctx context.Context, tx *store.Tx) error {
			grp, err := g.Register(ctx, tx, groups.Registration{PersonID: id, DriveID: d.ID, Link: inv.link, Language: "hi", Size: "101-256",
				Name: recruiterGroupNames[i], Channel: "web"})
			r.groups = append(r.groups, grp)
			return err
		})
		i++
	}
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		r.code, err = refs.CodeFor(ctx, tx, id)
		return err
	})
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if r.recruit, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, r.recruit, store.ContactPhone, "+919877700999"); err != nil {
			return err
		}
		part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: r.recruit, DriveID: d.ID, Channel: "web", Day: "2026-02-20"})
		if err != nil {
			return err
		}
		if set, err := refs.Refer(ctx, tx, part, r.code); err != nil || !set {
			w.t.Errorf("the recruit was not referred: %v %v", set, err)
		}
		_, err = w.p.Register(ctx, tx, people.Registration{PersonID: r.recruit, DriveID: d.ID, Name: "Recruit Kumari", Language: "hi",
			AreaID: d.RootAreaID, Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "t",
			Day: "2026-02-20", Proof: people.ByLink})
		return err
	})
	if c := storetest.CountsAt(w.t, w.db, "JH-AC-063"); c["groups"] != 2 {
		w.t.Fatalf("groups at JH-AC-063 after registering two: %v", c)
	}
	if got := storetest.RecruiterCredit(w.t, w.db, d.ID, id); got != [2]int64{1, 0} {
		w.t.Fatalf("the recruiter's credit after a verified recruit: %v, want direct 1", got)
	}
	return r
}

// testFeb20 is a day inside the reference drive's window.
var testFeb20 = time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)

// volunteerAt makes someone with phone a member of drive d at JH-AC-063,
// phone proven, who volunteers there (no post, no handles).
func (w *world) volunteerAt(phone string, d store.Drive) int64 {
	w.t.Helper()
	var id int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
			return err
		}
		return w.memberVolunteers(ctx, tx, id, d, phone, "Other Volunteer", []string{"hi"}, nil)
	})
	return id
}

// kept are what the recruiter's groups and code are kept as: each
// invite's keyed hash and sealed form, the group names, and the referral
// code's keyed hash and sealed form.
func (r recruiter) kept(t *testing.T, db *store.DB) []string {
	hash, sealed := storetest.ReferralCode(t, db, r.id)
	out := append([]string{hash, sealed}, recruiterGroupNames...)
	for _, g := range r.groups {
		out = append(out, g.CodeHash, g.CodeSealed)
	}
	return out
}

// clear are the invites' codes and the referral code as people see them,
// which no table holds, ever.
func (r recruiter) clear() []string {
	out := []string{r.code}
	for _, inv := range recruiterInvites {
		out = append(out, inv.code)
	}
	return out
}

// MY DATA gives a recruiter back their groups (names, kinds, states,
// never the invite's hash or sealed form), their referral code and their
// credit.
func TestMyDataHasGroupsAndReferrals(t *testing.T) {
	w := newWorldAt(t, testFeb20)
	r := w.recruiter("+919877700933")
	data := w.myData(r.id)
	if len(data.Groups) != 2 {
		t.Fatalf("groups in MY DATA: %+v", data.Groups)
	}
	kinds := map[string]string{}
	for _, g := range data.Groups {
		kinds[g.Kind] = g.Name
		if g.CodeHash != "" || g.CodeSealed != "" || g.State != store.GroupLive || data.Areas[g.AreaID].Code != "JH-AC-063" {
			t.Errorf("a group in MY DATA: %+v (area %v)", g, data.Areas[g.AreaID])
		}
	}
	if kinds[groups.WhatsApp] != recruiterGroupNames[0] || kinds[groups.Telegram] != recruiterGroupNames[1] {
		t.Errorf("groups in MY DATA by kind: %v", kinds)
	}
	if data.ReferralCode != r.code {
		t.Errorf("the referral code in MY DATA: %q, want %q", data.ReferralCode, r.code)
	}
	if len(data.Credits) != 1 || data.Credits[0].DriveID != r.drive.ID || data.Credits[0].Direct != 1 || data.Credits[0].Indirect != 0 {
		t.Errorf("credits in MY DATA: %+v", data.Credits)
	}
}

// Erasing a volunteer who runs groups and recruited someone: no column of
// any table holds an invite (its code, keyed hash or sealed form), a group
// name or the referral code; the groups are ended (-1 each) and their
// links free for someone else; the code finds nobody; the recruit keeps
// their membership, and the credit already counted stays.
func TestEraseRecruiterLeavesNoInvite(t *testing.T) {
	w := newWorldAt(t, testFeb20)
	r := w.recruiter("+919877700934")
	kept := r.kept(t, w.db)
	if left := storetest.TextLeft(t, w.db, kept...); len(left) != len(kept) || kept[0] == "" {
		t.Fatalf("before the erasure the scan finds %q, want each of %q once", left, kept)
	}
	for _, where := range storetest.TextLeft(t, w.db, r.clear()...) {
		t.Errorf("an invite or referral code is held in the clear: %s", where)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.Erase(ctx, tx, r.id, "on /me") })

	for _, where := range storetest.TextLeft(t, w.db, append(kept, r.clear()...)...) {
		t.Errorf("after the erasure a group or the referral code is held: %s", where)
	}
	for _, g := range w.myData(r.id).Groups {
		if g.State != store.GroupEnded || g.Name != "" {
			t.Errorf("a group after the erasure: %+v, want ended with no name", g)
		}
	}
	if c := storetest.CountsAt(t, w.db, "JH-AC-063"); c["groups"] != 0 || c["volunteers"] != 1 {
		t.Errorf("counters at JH-AC-063 after the erasure: %v, want groups 0 (ended), volunteers 1 (it happened)", c)
	}
	if got := storetest.RecruiterCredit(t, w.db, r.drive.ID, r.id); got != [2]int64{1, 0} {
		t.Errorf("the credit after the erasure: %v, want direct 1 still (erasure never decrements)", got)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error {
		if who, err := referrals.New(key).Referrer(ctx, tx, r.code); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the erased recruiter's code finds %d, %v; want not found", who, err)
		}
		part, err := store.FindParticipation(ctx, tx, r.recruit, r.drive.ID)
		if err != nil || part.RegisteredAt.IsZero() {
			t.Errorf("the recruit after the erasure: %+v, %v; want still registered", part, err)
		}
		return nil
	})
	other := w.volunteerAt("+919877700935", r.drive)
	for _, inv := range recruiterInvites {
		w.update(func(ctx context.Context, tx *store.Tx) error {
			_, err := groups.New(key).Register(ctx, tx, groups.Registration{PersonID: other, DriveID: r.drive.ID, Link: inv.link,
				Language: "hi", Size: "1-50", Name: "Another", Channel: "web"})
			if err != nil {
				t.Errorf("registering %s again after its owner was erased: %v", inv.link, err)
			}
			return nil
		})
	}
}

// MY DATA gives back the registration's marks (the network prefix and the
// device cookie's hash the velocity flags read) and erasure deletes them,
// as the registration notice promises.
func TestMyDataAndErasureCoverRegistrationMarks(t *testing.T) {
	w := newWorldAt(t, testFeb20)
	id, d := w.volunteer("+919877700936")
	const network, device = "203.0.113.0/24", "devicehash-erase-0936"
	w.update(func(ctx context.Context, tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, id, d.ID)
		if err != nil {
			return err
		}
		return store.MarkRegistration(ctx, tx, store.RegistrationMark{ParticipationID: part.ID, DriveID: d.ID, Network: network, Device: device})
	})
	if left := storetest.TextLeft(t, w.db, network, device); len(left) != 2 {
		t.Fatalf("the marks before the erasure: %q, want each once", left)
	}
	if m := w.myData(id).Marks; len(m) != 1 || m[0].Network != network || m[0].Device != device || m[0].DriveID != d.ID || !m[0].At.Equal(testFeb20) {
		t.Errorf("the marks in MY DATA: %+v", m)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.Erase(ctx, tx, id, "on /me") })
	for _, where := range storetest.TextLeft(t, w.db, network, device) {
		t.Errorf("after the erasure a registration mark is held: %s", where)
	}
}
