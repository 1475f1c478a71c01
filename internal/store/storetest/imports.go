package storetest

import (
	"database/sql"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// ImportedPerson is a person with a participation an import created.
type ImportedPerson struct {
	ID                 int64
	Name, MembershipNo string
	Language, LegacyNo string
	ImportID           int64 // the person's: 0 when they existed before the import
	AreaID             int64
	Channel            string // the participation's
	Registered         bool
	Volunteer          bool
}

// ImportedPeople lists the people holding a participation import id
// created, by person id.
func ImportedPeople(t testing.TB, db *store.DB, importID int64) []ImportedPerson {
	t.Helper()
	return list(t, db, func(rows *sql.Rows, r *ImportedPerson) error {
		return rows.Scan(&r.ID, &r.Name, &r.MembershipNo, &r.Language, &r.LegacyNo, &r.ImportID, &r.AreaID, &r.Channel,
			&r.Registered, &r.Volunteer)
	}, `SELECT p.id, p.name, COALESCE(p.membership_no, ''), p.language, p.legacy_no, COALESCE(p.import_id, 0),
		COALESCE(p.area_id, 0), pa.channel, pa.registered_at IS NOT NULL, pa.volunteer_at IS NOT NULL
		FROM people p JOIN participations pa ON pa.person_id = p.id WHERE pa.import_id = $1 ORDER BY p.id`, importID)
}

// PeopleOfImport counts the people import id created that still exist.
func PeopleOfImport(t testing.TB, db *store.DB, importID int64) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT COUNT(*) FROM people WHERE import_id = $1`, importID)
}

// StagedRows counts every import's staged rows.
func StagedRows(t testing.TB, db *store.DB) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT COUNT(*) FROM import_rows`)
}

// ConsentsWithEvidence counts consents granted on channel with evidence.
func ConsentsWithEvidence(t testing.TB, db *store.DB, channel, evidence string) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT COUNT(*) FROM consents WHERE channel = $1 AND evidence = $2`, channel, evidence)
}

// TotalsSum sums counter_totals over every key; channel "" means all.
func TotalsSum(t testing.TB, db *store.DB, channel string) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT COALESCE(SUM(value), 0) FROM counter_totals WHERE $1 = '' OR channel = $1`, channel)
}

// PersonInDrive is a person's name and whether they are registered in drive.
func PersonInDrive(t testing.TB, db *store.DB, personID, driveID int64) (name string, registered bool) {
	t.Helper()
	row(t, db, `SELECT p.name, pa.registered_at IS NOT NULL FROM people p JOIN participations pa ON pa.person_id = p.id
		WHERE p.id = $1 AND pa.drive_id = $2`, []any{personID, driveID}, &name, &registered)
	return name, registered
}

// CounterKeys is every non-zero counter and total, keyed by table, area,
// metric, day and channel, so two moments compare key by key.
func CounterKeys(t testing.TB, db *store.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"counters", "counter_totals"} {
		each(t, db, func(rows *sql.Rows) error {
			var k string
			var v int64
			err := rows.Scan(&k, &v)
			if v != 0 {
				out[table+" "+k] = v
			}
			return err
		}, `SELECT CAST(area_id AS TEXT) || ' ' || metric || ' ' || day || ' ' || channel, SUM(value) FROM `+table+`
			GROUP BY area_id, metric, day, channel`)
	}
	return out
}
