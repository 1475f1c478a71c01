package flags_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/flags"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// start is when each test's world begins, inside the reference drive.
var start = time.Date(2026, 2, 14, 9, 0, 0, 0, time.UTC)

type world struct {
	t      *testing.T
	db     *store.DB
	clock  *storetest.Clock
	drive  store.Drive
	p      *people.People
	phones int
}

func newWorld(t *testing.T) *world {
	clock := storetest.NewClock(start)
	db := storetest.Open(t, clock)
	d := drivetest.Load(t, db, nil, drivetest.Reference)["jh-warriors"]
	return &world{t: t, db: db, clock: clock, drive: d, p: people.New(key)}
}

func (w *world) update(fn func(ctx context.Context, tx *store.Tx) error) {
	w.t.Helper()
	if err := w.db.Update(context.Background(), func(tx *store.Tx) error { return fn(context.Background(), tx) }); err != nil {
		w.t.Fatal(err)
	}
}

// join registers a new member named name at ac now, referred by referrer
// (0: nobody), their phone proven when verify; it returns the person and
// the participation.
func (w *world) join(name, ac string, referrer int64, verify bool) (person, part int64) {
	w.t.Helper()
	w.phones++
	phone := fmt.Sprintf("+9198765%05d", w.phones)
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if person, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, person, store.ContactPhone, phone); err != nil {
			return err
		}
		day := drive.Calendar(w.drive).Day(tx.Now)
		if part, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person, DriveID: w.drive.ID, Channel: "web", Day: day}); err != nil {
			return err
		}
		if referrer != 0 {
			if set, err := store.SetReferrer(ctx, tx, part, referrer); err != nil || !set {
				return fmt.Errorf("referring %s: %v", name, err)
			}
		}
		area, err := store.AreaByCode(ctx, tx, ac)
		if err != nil {
			return err
		}
		reg := people.Registration{PersonID: person, DriveID: w.drive.ID, Name: name, Language: "hi", AreaID: area.ID,
			Consents: []string{store.PurposeMembership}, NoticeVersion: "v", Channel: "web", Evidence: "test", Day: day}
		if verify {
			reg.Proof = people.ByLink
		}
		_, err = w.p.Register(ctx, tx, reg)
		return err
	})
	return person, part
}

// mark records a registration's network and device now.
func (w *world) mark(part int64, network, device string) {
	w.t.Helper()
	w.update(func(ctx context.Context, tx *store.Tx) error {
		return store.MarkRegistration(ctx, tx, store.RegistrationMark{ParticipationID: part, DriveID: w.drive.ID, Network: network, Device: device})
	})
}

// staff is a coordinator over areas.
func (w *world) staff(role access.Role, areas ...string) access.Actor {
	w.t.Helper()
	scope, err := w.db.ScopeAreas(context.Background(), areas)
	if err != nil {
		w.t.Fatal(err)
	}
	return access.Actor{Label: "test:staff", Grants: []access.Grant{{Role: role, Areas: areas, Scope: scope}}}
}

// flags are the flags a coordinator over areas sees at area under rules.
func (w *world) flags(rules flags.Rules, actor access.Actor, area string) []flags.Flag {
	w.t.Helper()
	r, err := rules.Flags(context.Background(), w.db, actor, w.drive.Slug, area)
	if err != nil {
		w.t.Fatal(err)
	}
	return r.Flags
}

func only(k flags.Kind, rule flags.Rule) flags.Rules {
	r := flags.Rules{Lookback: 24 * time.Hour}
	switch k {
	case flags.Recruits:
		r.Recruits = rule
	case flags.Network:
		r.Network = rule
	case flags.Device:
		r.Device = rule
	case flags.Groups:
		r.Groups = rule
	}
	return r
}

// Three verified joins credited to one recruiter within 10 minutes make a
// flag naming them; three spread over 12 minutes, or an unverified join,
// do not. A coordinator of another AC sees no flag.
func TestRecruitsFlag(t *testing.T) {
	w := newWorld(t)
	fast, _ := w.join("Fast Recruiter", "JH-AC-063", 0, true)
	slow, _ := w.join("Slow Recruiter", "JH-AC-063", 0, true)
	w.clock.Advance(time.Hour)
	for i := range 3 {
		w.join(fmt.Sprint("fast ", i), "JH-AC-040", fast, true)
		w.clock.Advance(5 * time.Minute)
	}
	// 6 minutes apart: no 10 minutes hold 3, unless the unverified join
	// in between were counted.
	for i := range 3 {
		w.join(fmt.Sprint("slow ", i), "JH-AC-040", slow, true)
		w.clock.Advance(3 * time.Minute)
		if i == 0 {
			w.join("slow unverified", "JH-AC-040", slow, false)
		}
		w.clock.Advance(3 * time.Minute)
	}
	burst := start.Add(time.Hour)

	rules := only(flags.Recruits, flags.Rule{AtLeast: 3, Within: 10 * time.Minute})
	got := w.flags(rules, w.staff(access.Coordinator, "JH-AC-063"), "JH-AC-063")
	if len(got) != 1 {
		t.Fatalf("flags %+v, want the fast recruiter's alone", got)
	}
	want := flags.Flag{Kind: flags.Recruits, PersonID: fast, Name: "Fast Recruiter", Count: 3, From: burst, To: burst.Add(10 * time.Minute), Total: 3}
	if !got[0].From.Equal(want.From) || !got[0].To.Equal(want.To) {
		t.Errorf("window %s–%s, want %s–%s", got[0].From, got[0].To, want.From, want.To)
	}
	got[0].From, got[0].To, want.From, want.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got[0] != want {
		t.Errorf("flag %+v, want %+v", got[0], want)
	}
	// The recruits live in JH-AC-040, but the recruiter does not.
	if got := w.flags(rules, w.staff(access.Coordinator, "JH-AC-040"), "JH-AC-040"); len(got) != 0 {
		t.Errorf("JH-AC-040's coordinator sees %+v", got)
	}
	// Off, or looking back less than the burst, no flag.
	if got := w.flags(flags.Rules{Lookback: 24 * time.Hour}, w.staff(access.Admin, "JH"), ""); len(got) != 0 {
		t.Errorf("with no rules: %+v", got)
	}
	rules.Lookback = 5 * time.Minute
	if got := w.flags(rules, w.staff(access.Admin, "JH"), ""); len(got) != 0 {
		t.Errorf("looking back 5 minutes: %+v", got)
	}
}

// Registrations from one network prefix, or one device, within the
// window make a flag that names neither; fewer, spread wider, or with no
// device known, do not; each is counted in the registration's area.
func TestNetworkAndDeviceFlags(t *testing.T) {
	w := newWorld(t)
	for i := range 4 {
		_, part := w.join(fmt.Sprint("net ", i), "JH-AC-063", 0, false)
		device := ""
		if i < 2 {
			device = "hash-of-one-phone"
		}
		w.mark(part, "49.36.12.0/24", device)
		_, other := w.join(fmt.Sprint("other ", i), "JH-AC-040", 0, false)
		w.mark(other, fmt.Sprintf("10.0.%d.0/24", i), "")
		w.clock.Advance(2 * time.Minute)
	}
	ranchi := w.staff(access.Coordinator, "JH-AC-063")
	got := w.flags(only(flags.Network, flags.Rule{AtLeast: 4, Within: 6 * time.Minute}), ranchi, "JH-AC-063")
	if len(got) != 1 || got[0].Kind != flags.Network || got[0].Count != 4 || got[0].Total != 4 || got[0].PersonID != 0 || got[0].Name != "" {
		t.Fatalf("network flags %+v, want one of 4, nameless", got)
	}
	// 4 registrations 6 minutes apart first to last: not within 5.
	if got := w.flags(only(flags.Network, flags.Rule{AtLeast: 4, Within: 5 * time.Minute}), ranchi, "JH-AC-063"); len(got) != 0 {
		t.Errorf("within 5 minutes: %+v", got)
	}
	if got := w.flags(only(flags.Network, flags.Rule{AtLeast: 4, Within: time.Hour}), w.staff(access.Coordinator, "JH-AC-040"), "JH-AC-040"); len(got) != 0 {
		t.Errorf("JH-AC-040, whose networks differ: %+v", got)
	}
	got = w.flags(only(flags.Device, flags.Rule{AtLeast: 2, Within: 2 * time.Minute}), ranchi, "JH-AC-063")
	if len(got) != 1 || got[0].Kind != flags.Device || got[0].Count != 2 || !got[0].To.Equal(got[0].From.Add(2*time.Minute)) {
		t.Fatalf("device flags %+v, want one of 2 (registrations without a device not counted)", got)
	}
	if got := w.flags(only(flags.Device, flags.Rule{AtLeast: 3, Within: time.Hour}), ranchi, "JH-AC-063"); len(got) != 0 {
		t.Errorf("3 from one device asked, 2 made: %+v", got)
	}
}

// Groups registered by one person within the hour make a flag naming
// them, counted in the groups' area, whatever became of the groups.
func TestGroupsFlag(t *testing.T) {
	w := newWorld(t)
	g := groups.New(key)
	busy := w.volunteer("Busy Volunteer", "JH-AC-063")
	calm := w.volunteer("Calm Volunteer", "JH-AC-063")
	link := 0
	register := func(person int64) store.Group {
		t.Helper()
		link++
		var grp store.Group
		w.update(func(ctx context.Context, tx *store.Tx) error {
			var err error
			grp, err = g.Register(ctx, tx, groups.Registration{PersonID: person, DriveID: w.drive.ID,
				Link: fmt.Sprintf("https://chat.whatsapp.com/FlagsGroup0%010d", link), Language: "hi", Size: "101-256", Name: "Group", Channel: "web"})
			return err
		})
		return grp
	}
	for range 4 {
		register(busy)
		w.clock.Advance(10 * time.Minute)
	}
	removed := register(calm)
	w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := g.Remove(ctx, tx, calm, removed.ID)
		return err
	})
	w.clock.Advance(90 * time.Minute)
	register(calm)
	register(calm)

	rules := only(flags.Groups, flags.Rule{AtLeast: 3, Within: time.Hour})
	got := w.flags(rules, w.staff(access.Coordinator, "JH-AC-063"), "JH-AC-063")
	if len(got) != 1 || got[0].PersonID != busy || got[0].Name != "Busy Volunteer" || got[0].Count != 4 {
		t.Fatalf("groups flags %+v, want the busy volunteer's 4", got)
	}
	rules.Groups.Within = 2 * time.Hour
	if got := w.flags(rules, w.staff(access.Coordinator, "JH-AC-063"), "JH-AC-063"); len(got) != 2 || got[1].PersonID != calm || got[1].Count != 3 {
		t.Errorf("within 2 hours %+v, want the calm volunteer's 3 (one removed) after the busy one's 4", got)
	}
}

// Flags need people.read in the area asked for.
func TestFlagsNeedScope(t *testing.T) {
	w := newWorld(t)
	rules := only(flags.Device, flags.Rule{AtLeast: 2, Within: time.Hour})
	for _, tc := range []struct {
		actor access.Actor
		area  string
		want  string
	}{
		{w.staff(access.Viewer, "JH"), "", apperr.Forbidden},
		{w.staff(access.Coordinator, "JH-AC-040"), "JH-AC-063", apperr.Forbidden},
		{w.staff(access.Coordinator, "JH-AC-040"), "NOPE", apperr.NotFound},
	} {
		if _, err := rules.Flags(context.Background(), w.db, tc.actor, w.drive.Slug, tc.area); apperr.CodeOf(err) != tc.want {
			t.Errorf("%s at %q: %v, want %s", tc.actor.Grants[0].Role, tc.area, err, tc.want)
		}
	}
}

// volunteer is a verified member at ac who volunteers there.
func (w *world) volunteer(name, ac string) int64 {
	w.t.Helper()
	id, _ := w.join(name, ac, 0, true)
	w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := w.p.Volunteer(ctx, tx, people.Volunteering{PersonID: id, DriveID: w.drive.ID, Agreed: true, Area: ac,
			Languages: []string{"hi"}, NoticeVersion: "v", Language: "hi", Channel: "web", Evidence: "test"})
		return err
	})
	return id
}
