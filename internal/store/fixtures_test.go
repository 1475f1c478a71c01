package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// fixtureDay is the drive-local day of fixtureStart, the reference drive's
// launch morning in India.
const fixtureDay = "2026-02-12"

var fixtureStart = time.Date(2026, 2, 12, 10, 0, 0, 0, time.FixedZone("IST", 5*3600+1800))

// driveFixture is a migrated database holding a drive over a two-level
// area tree: the state JH (the drive's root) and the assembly constituency
// JH-AC-063 under it.
type driveFixture struct {
	db    *store.DB
	clock *storetest.Clock
	state int64 // area id of JH
	ac    int64 // area id of JH-AC-063
	drive int64
}

func newDriveFixture(t *testing.T) *driveFixture {
	t.Helper()
	f := &driveFixture{clock: storetest.NewClock(fixtureStart)}
	f.db = storetest.Open(t, f.clock)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		now := tx.Now.UnixMilli()
		err := rawsql.Tx(tx).QueryRowContext(ctx, `INSERT INTO areas (code, kind, name_en, path, created_at, updated_at)
			VALUES ('JH', 'state', 'Jharkhand', '/JH/', $1, $1) RETURNING id`, now).Scan(&f.state)
		if err != nil {
			return err
		}
		err = rawsql.Tx(tx).QueryRowContext(ctx, `INSERT INTO areas (code, kind, number, name_en, parent_code, path, created_at, updated_at)
			VALUES ('JH-AC-063', 'ac', '63', 'Ranchi', 'JH', '/JH/JH-AC-063/', $1, $1) RETURNING id`, now).Scan(&f.ac)
		if err != nil {
			return err
		}
		return rawsql.Tx(tx).QueryRowContext(ctx, `INSERT INTO drives (slug, name, starts_on, ends_on, timezone, root_area_id, version, file, created_at, updated_at)
			VALUES ('jh-warriors', 'Social media warriors', '2026-02-12', '2026-03-12', 'Asia/Kolkata', $1, 1, '{}', $2, $2)
			RETURNING id`, f.state, now).Scan(&f.drive)
	})
	return f
}

// acDrive adds a second drive, rooted at the fixture's AC (its leads count
// at the AC and the state), and returns its id.
func (f *driveFixture) acDrive(t testing.TB) int64 {
	t.Helper()
	var id int64
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return rawsql.Tx(tx).QueryRowContext(ctx, `INSERT INTO drives (slug, name, starts_on, ends_on, timezone, root_area_id, version, file, created_at, updated_at)
			VALUES ('ranchi', 'Ranchi', '2026-02-12', '2026-03-12', 'Asia/Kolkata', $1, 1, '{}', 0, 0) RETURNING id`, f.ac).Scan(&id)
	})
	return id
}

// recordWhatsApp stores msgs in one transaction and returns their results.
func (f *driveFixture) recordWhatsApp(t testing.TB, msgs ...store.WhatsAppMessage) (out []store.WhatsAppResult) {
	t.Helper()
	f.update(t, func(ctx context.Context, tx *store.Tx) (err error) {
		out, err = store.RecordWhatsApp(ctx, tx, msgs, nil)
		return err
	})
	return out
}

// update runs fn in a write transaction and fails the test on error.
func (f *driveFixture) update(t testing.TB, fn func(context.Context, *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := f.db.Update(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// person creates a person with a phone number and returns the person's id.
func (f *driveFixture) person(t testing.TB, name, phone string) int64 {
	t.Helper()
	var id int64
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: name, Language: "hi"}); err != nil {
			return err
		}
		return store.AddContact(ctx, tx, id, store.ContactPhone, phone)
	})
	return id
}

// lead makes a person a lead in the drive by a missed call, with no area,
// and returns the participation's id.
func (f *driveFixture) lead(t testing.TB, personID int64) int64 {
	t.Helper()
	var id int64
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		id, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{
			PersonID: personID, DriveID: f.drive, Channel: "missed_call", Day: fixtureDay})
		return err
	})
	return id
}

// own is the drive's counter for metric counted at area itself, summed
// over days and channels.
func (f *driveFixture) own(t testing.TB, area int64, metric string) int64 {
	t.Helper()
	return sumMetric(storetest.CountedAt(t, f.db, f.drive, []int64{area}, store.DayRange{}), metric)
}

// total is the drive's counter for metric in area's whole subtree.
func (f *driveFixture) total(t testing.TB, area int64, metric string) int64 {
	t.Helper()
	sums, err := f.db.CounterTotals(context.Background(), f.drive, []int64{area}, store.DayRange{})
	if err != nil {
		t.Fatal(err)
	}
	return sumMetric(sums, metric)
}

func sumMetric(sums []store.CounterSum, metric string) int64 {
	var n int64
	for _, s := range sums {
		if s.Metric == metric {
			n += s.Value
		}
	}
	return n
}

// wantCode fails the test unless err carries the apperr code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if err == nil || apperr.CodeOf(err) != code {
		t.Fatalf("got error %v, want code %s", err, code)
	}
}

// setNo gives a person a membership number, for tests that need only the error.
func setNo(ctx context.Context, tx *store.Tx, id int64, no string) error {
	_, err := store.GiveMembershipNo(ctx, tx, id, no)
	return err
}
