package drive_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// settingsWorld is the reference drive and an admin of Jharkhand.
func settingsWorld(t *testing.T) (*store.DB, access.Actor) {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC)))
	drivetest.Load(t, db, nil, drivetest.Reference)
	return db, admin(t, db, "JH")
}

// opened is the settings world with the reference drive's settings
// opened by its admin, as the console's form shows them.
func opened(t *testing.T) (*store.DB, access.Actor, drive.Editing, drive.Settings) {
	t.Helper()
	db, by := settingsWorld(t)
	e, err := drive.ForEdit(context.Background(), db, by, "jh-warriors")
	if err != nil {
		t.Fatal(err)
	}
	return db, by, e, drive.SettingsOf(e.File)
}

func admin(t *testing.T, db *store.DB, area string) access.Actor {
	t.Helper()
	scope, err := db.ScopeAreas(context.Background(), []string{area})
	if err != nil {
		t.Fatal(err)
	}
	return access.Actor{Label: "person:7", Grants: []access.Grant{{Role: access.Admin, Areas: []string{area}, Scope: scope}}}
}

// pcTarget is a metric's stored target at a PC of the reference drive.
func pcTarget(t *testing.T, db *store.DB, metric string) int64 {
	t.Helper()
	ctx := context.Background()
	d, err := db.DriveBySlug(ctx, "jh-warriors")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := db.GetArea(ctx, "JH-PC-08")
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Targets(ctx, d.ID, []int64{pc.ID})
	if err != nil {
		t.Fatal(err)
	}
	return got[pc.ID][metric]
}

// An edit of the targets and the posts is saved at version + 1 as the
// drive file's own form (Export), the targets expanded as apply would,
// every other field kept, audited with before and after.
func TestEditSavesANewVersion(t *testing.T) {
	db, by, e, s := opened(t)
	ctx := context.Background()
	if !strings.Contains(s.Posts, "booth-digital-volunteer | booth | Booth digital volunteer | बूथ डिजिटल कार्यकर्ता | many") {
		t.Errorf("posts as lines:\n%s", s.Posts)
	}
	s.Targets = strings.Replace(s.Targets, "each pc: 1000 volunteers", "each pc: 1500 volunteers", 1)
	s.Posts += "\nbooth-agent | booth | Booth agent"
	s.GroupsPerVolunteer = "7"
	s.Channels[1].Off = true
	s.Channels[0].SecretEnv = "PATH" // a stored channel's reference is kept as stored
	s.Channels = append(s.Channels, drive.ChannelEdit{Kind: "sms", Number: "+91 70000 00008", SecretEnv: "JODO_HOOK_SECRET_SMS"})
	f, err := drive.Edit(ctx, db, by, "jh-warriors", s, e.Drive.Version)
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != e.Drive.Version+1 {
		t.Errorf("version %d, want %d", f.Version, e.Drive.Version+1)
	}
	if got := pcTarget(t, db, "volunteers"); got != 1500 {
		t.Errorf("a PC's volunteers target %d, want 1500", got)
	}
	if got := pcTarget(t, db, "groups"); got != 15000 {
		t.Errorf("a PC's groups target %d, want 15000 (10 per volunteer target)", got)
	}
	file, err := drive.Export(ctx, db, "jh-warriors")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := drive.Parse(file)
	if err != nil {
		t.Fatalf("the exported file does not parse: %v\n%s", err, file)
	}
	if len(stored.Channels) != 3 || stored.Channels[0].SecretEnv != "" || stored.Channels[2].SecretEnv != "JODO_HOOK_SECRET_SMS" {
		t.Errorf("the stored channels: %+v", stored.Channels)
	}
	if stored.Version != 2 || stored.GroupsPerVolunteer != 7 || !stored.Channels[1].Off || len(stored.Posts) != 4 ||
		stored.Timezone != "Asia/Kolkata" || stored.RootArea != "JH" || stored.Name != e.File.Name {
		t.Errorf("the stored file:\n%s", file)
	}
	entries, err := db.AuditEntries(ctx, store.AuditFilter{Action: "drive_edit"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("%d drive_edit entries, want 1", len(entries))
	}
	for _, want := range []string{"jh-warriors version 1 → 2", `- "each pc: 1000 volunteers"`, `+ "each pc: 1500 volunteers"`,
		`+ "whatsapp +917000000000 off"`, `+ "booth-agent | booth | Booth agent"`, `groups_per_volunteer: "10" → "7"`} {
		if !strings.Contains(entries[0].Detail, want) {
			t.Errorf("the audit detail lacks %s:\n%s", want, entries[0].Detail)
		}
	}
	if strings.Contains(entries[0].Detail, "name:") || entries[0].Actor != "person:7" {
		t.Errorf("the audit entry: %+v", entries[0])
	}
}

// An edit made from a version someone else has saved over is refused,
// also when both save at once: exactly one of them wins.
func TestEditRefusesAStaleVersion(t *testing.T) {
	db, by, _, s := opened(t)
	ctx := context.Background()
	s.Name = "First"
	if _, err := drive.Edit(ctx, db, by, "jh-warriors", s, 1); err != nil {
		t.Fatal(err)
	}
	s.Name = "Second"
	_, err := drive.Edit(ctx, db, by, "jh-warriors", s, 1)
	if !errors.Is(err, drive.ErrStale) || apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("a stale edit: %v, want a stale conflict", err)
	}

	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s := s
			s.Name = "Racer " + string(rune('A'+i))
			_, errs[i] = drive.Edit(ctx, db, by, "jh-warriors", s, 2)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, drive.ErrStale):
			t.Errorf("a racing edit: %v, want success or a stale conflict", err)
		}
	}
	d, err := db.DriveBySlug(ctx, "jh-warriors")
	if err != nil {
		t.Fatal(err)
	}
	if won != 1 || d.Version != 3 {
		t.Errorf("%d racing edits won, the drive is at version %d; want 1 and 3", won, d.Version)
	}
}

// Settings are checked by the drive file's own rules, every problem at
// once, and nothing is saved; the preview expands the rules as saving would.
func TestEditValidatesAndPreviews(t *testing.T) {
	db, by, e, s := opened(t)
	ctx := context.Background()
	bad := s
	bad.Targets += "\neach pc: lots of volunteers"
	bad.Posts += "\njust-a-code"
	bad.EndsOn = "2026-01-01"
	bad.GroupsPerVolunteer = "ten"
	bad.Channels = append(bad.Channels, drive.ChannelEdit{Kind: "whatsapp", Number: "+91 70000 00009", SecretEnv: "PATH"})
	_, err := drive.Edit(ctx, db, by, "jh-warriors", bad, 1)
	de, ok := errors.AsType[*drive.Error](err)
	if !ok || len(de.Problems) != 5 {
		t.Fatalf("invalid settings: %v, want 5 problems", err)
	}
	if d, _ := db.DriveBySlug(ctx, "jh-warriors"); d.Version != 1 {
		t.Errorf("an invalid edit saved version %d", d.Version)
	}
	s.Targets = "state JH: 200000 members\neach ac: share members equally"
	f, err := s.Edited(e.File)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := drive.Preview(ctx, db, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) == 0 || targets[0].Area != "JH" || targets[0].Metric != "members" || targets[0].Value != 200000 {
		t.Errorf("the preview starts %+v", targets[:min(1, len(targets))])
	}
	if got := pcTarget(t, db, "volunteers"); got != 1000 {
		t.Errorf("a preview changed the stored targets: %d", got)
	}
}

// An admin of a district may not edit a state's drive, nor may a coordinator.
func TestEditNeedsTheRootInScope(t *testing.T) {
	db, _ := settingsWorld(t)
	ctx := context.Background()
	if _, err := drive.ForEdit(ctx, db, admin(t, db, "JH-D-RANCHI"), "jh-warriors"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a district admin: %v, want forbidden", err)
	}
	coord := admin(t, db, "JH")
	coord.Grants[0].Role = access.Coordinator
	if _, err := drive.ForEdit(ctx, db, coord, "jh-warriors"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a coordinator: %v, want forbidden", err)
	}
	if list, err := drive.Editable(ctx, db, admin(t, db, "JH-D-RANCHI")); err != nil || len(list) != 0 {
		t.Errorf("a district admin may edit %v (%v)", list, err)
	}
}
