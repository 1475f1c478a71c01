package storetest

import (
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// DriveRows counts, from the rows themselves (never the counters), what a
// drive holds, by counter metric: its participations (leads) and those at
// each later stage, its live groups and its held posts (office_bearers).
func DriveRows(t testing.TB, db *store.DB, driveID int64) map[string]int64 {
	t.Helper()
	var leads, members, verified, volunteers, active int64
	row(t, db, `SELECT COUNT(*), COUNT(registered_at), COUNT(verified_at), COUNT(volunteer_at), COUNT(active_at)
		FROM participations WHERE drive_id = $1`, []any{driveID}, &leads, &members, &verified, &volunteers, &active)
	out := map[string]int64{"leads": leads, "members": members, "verified": verified, "volunteers": volunteers, "active": active}
	out["groups"] = scalar[int64](t, db, `SELECT COUNT(*) FROM chat_groups WHERE drive_id = $1 AND state = 'live'`, driveID)
	out["office_bearers"] = scalar[int64](t, db, `SELECT COUNT(*) FROM appointments WHERE drive_id = $1 AND vacated_at IS NULL`, driveID)
	return out
}

// ReferralChains counts a drive's participations whose referrer was
// referred in turn: chains two or more long.
func ReferralChains(t testing.TB, db *store.DB, driveID int64) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT COUNT(*) FROM participations pa JOIN participations up
		ON up.person_id = pa.referred_by AND up.drive_id = pa.drive_id
		WHERE pa.drive_id = $1 AND up.referred_by IS NOT NULL`, driveID)
}

// RecruiterWithGroup is a volunteer of the drive who runs a group and
// has credit for recruits, the most direct credit first (0: none).
func RecruiterWithGroup(t testing.TB, db *store.DB, driveID int64) int64 {
	t.Helper()
	return scalar[int64](t, db, `SELECT COALESCE(MAX(v.person_id), 0) FROM volunteers v
		JOIN recruiter_credits c ON c.person_id = v.person_id AND c.drive_id = v.drive_id
		WHERE v.drive_id = $1 AND EXISTS (SELECT 1 FROM chat_groups g WHERE g.person_id = v.person_id)
		AND c.direct = (SELECT MAX(c2.direct) FROM recruiter_credits c2 JOIN volunteers v2 ON v2.person_id = c2.person_id
			WHERE c2.drive_id = $1 AND EXISTS (SELECT 1 FROM chat_groups g2 WHERE g2.person_id = c2.person_id))`, driveID)
}
