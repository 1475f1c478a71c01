package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// PeopleCount counts the people rows, erased or not.
func PeopleCount(t testing.TB, db *store.DB) int {
	t.Helper()
	return scalar[int](t, db, "SELECT count(*) FROM people")
}

// PeopleNotErased counts the people not erased.
func PeopleNotErased(t testing.TB, db *store.DB) int {
	t.Helper()
	return scalar[int](t, db, "SELECT count(*) FROM people WHERE erased_at IS NULL")
}

// PeopleWithDetails counts the people who still have a name or a
// membership number.
func PeopleWithDetails(t testing.TB, db *store.DB) int {
	t.Helper()
	return scalar[int](t, db, "SELECT COUNT(*) FROM people WHERE name <> '' OR membership_no IS NOT NULL")
}

// Contacts picks contact points to count; a zero field matches every one.
type Contacts struct {
	Kind     string // "phone", "wa_id"
	Value    string
	NotValue string   // any value but this one
	Values   []string // any of these values
}

func (f Contacts) where(w *where, alias string) {
	if f.Kind != "" {
		w.is(alias+"kind", "=", f.Kind)
	}
	if f.Value != "" {
		w.is(alias+"value", "=", f.Value)
	}
	if f.NotValue != "" {
		w.is(alias+"value", "<>", f.NotValue)
	}
	if f.Values != nil {
		w.in(alias+"value", f.Values)
	}
}

// ContactCount counts the contact points f picks.
func ContactCount(t testing.TB, db *store.DB, f Contacts) int {
	t.Helper()
	var w where
	f.where(&w, "")
	return scalar[int](t, db, "SELECT count(*) FROM contact_points"+w.String(), w.args...)
}

// PeopleAt counts the people with a contact point f picks.
func PeopleAt(t testing.TB, db *store.DB, f Contacts) int {
	t.Helper()
	var w where
	f.where(&w, "")
	return scalar[int](t, db, "SELECT COUNT(DISTINCT person_id) FROM contact_points"+w.String(), w.args...)
}

// PersonByWAID is the person with WhatsApp id waID and the drive they
// take part in.
func PersonByWAID(t testing.TB, db *store.DB, waID string) (person, drive int64) {
	t.Helper()
	row(t, db, `SELECT c.person_id, p.drive_id FROM contact_points c JOIN participations p ON p.person_id = c.person_id
			WHERE c.kind = 'wa_id' AND c.value = $1`, []any{waID}, &person, &drive)
	return person, drive
}

// Participations picks participations to count; a zero field matches every
// one. With Contact set, only those of people with such a contact point.
type Participations struct {
	DriveID    int64
	Channel    string
	Lead       bool // only those with a lead
	Registered bool // only those registered
	Verified   bool // only those verified
	Contact    *Contacts
}

// ParticipationCount counts the participations f picks.
func ParticipationCount(t testing.TB, db *store.DB, f Participations) int {
	t.Helper()
	var w where
	from, p := "participations", ""
	if f.Contact != nil {
		p = "p."
		from = "participations p JOIN contact_points c ON c.person_id = p.person_id"
		f.Contact.where(&w, "c.")
	}
	if f.DriveID != 0 {
		w.is(p+"drive_id", "=", f.DriveID)
	}
	if f.Channel != "" {
		w.is(p+"channel", "=", f.Channel)
	}
	for _, c := range []struct {
		on  bool
		col string
	}{{f.Lead, "lead_at"}, {f.Registered, "registered_at"}, {f.Verified, "verified_at"}} {
		if c.on {
			w.add(p + c.col + " IS NOT NULL")
		}
	}
	return scalar[int](t, db, "SELECT count(*) FROM "+from+w.String(), w.args...)
}

// RegisterEveryone marks every participation registered at.
func RegisterEveryone(t testing.TB, db *store.DB, at time.Time) {
	t.Helper()
	exec(t, db, "UPDATE participations SET registered_at = $1", at.UnixMilli())
}

// ConsentCount counts the consents, given or withdrawn.
func ConsentCount(t testing.TB, db *store.DB) int {
	t.Helper()
	return scalar[int](t, db, "SELECT COUNT(*) FROM consents")
}

// ConsentsInForce counts the consents in force, on channel, of the person
// with WhatsApp id waID.
func ConsentsInForce(t testing.TB, db *store.DB, waID, channel string) int {
	t.Helper()
	return scalar[int](t, db, `SELECT COUNT(*) FROM consents c JOIN contact_points p ON p.person_id = c.person_id
			WHERE p.kind = 'wa_id' AND p.value = $1 AND c.withdrawn_at IS NULL AND c.channel = $2`, waID, channel)
}

// ConsentPurposesInForce lists, by name, the purposes of the consents in
// force of the person with WhatsApp id waID.
func ConsentPurposesInForce(t testing.TB, db *store.DB, waID string) []string {
	t.Helper()
	return column[string](t, db, `SELECT c.purpose FROM consents c JOIN contact_points p ON p.person_id = c.person_id
			WHERE p.kind = 'wa_id' AND p.value = $1 AND c.withdrawn_at IS NULL ORDER BY c.purpose`, waID)
}

// LeasedConversations counts the conversations a bot worker holds.
func LeasedConversations(t testing.TB, db *store.DB) int {
	t.Helper()
	return scalar[int](t, db, "SELECT COUNT(*) FROM conversations WHERE lease_owner IS NOT NULL")
}

// SetLastInbound sets when the person last wrote on WhatsApp.
func SetLastInbound(t testing.TB, db *store.DB, personID int64, at time.Time) {
	t.Helper()
	exec(t, db, "UPDATE conversations SET last_inbound_at = $1 WHERE person_id = $2", at.UnixMilli(), personID)
}

// BreakDriveZone gives the drive a time zone no clock knows, in its row
// and its file.
func BreakDriveZone(t testing.TB, db *store.DB, driveID int64) {
	t.Helper()
	exec(t, db, "UPDATE drives SET timezone = 'Nowhere/Nothing', file = replace(file, 'Asia/Kolkata', 'Nowhere/Nothing') WHERE id = $1", driveID)
}

// OTPHashes lists the hashes of the sign-in codes held.
func OTPHashes(t testing.TB, db *store.DB) []string {
	t.Helper()
	return column[string](t, db, "SELECT code_hash FROM otp_codes")
}

// NameKeyCount counts the keys a person's name is searched by.
func NameKeyCount(t testing.TB, db *store.DB, personID int64) int {
	t.Helper()
	return scalar[int](t, db, "SELECT count(*) FROM person_name_keys WHERE person_id = $1", personID)
}

// RecruiterCredit is a recruiter's direct and indirect credit in a drive
// (zeros: none).
func RecruiterCredit(t testing.TB, db *store.DB, driveID, personID int64) [2]int64 {
	t.Helper()
	var out [2]int64
	each(t, db, func(rows *sql.Rows) error { return rows.Scan(&out[0], &out[1]) },
		"SELECT direct, indirect FROM recruiter_credits WHERE drive_id = $1 AND person_id = $2", driveID, personID)
	return out
}

// ReferralCode is the person's referral code row as kept: its keyed hash
// and sealed form ("" and "" when they have none).
func ReferralCode(t testing.TB, db *store.DB, personID int64) (hash, sealed string) {
	t.Helper()
	each(t, db, func(rows *sql.Rows) error { return rows.Scan(&hash, &sealed) },
		"SELECT code_hash, code_sealed FROM referral_codes WHERE person_id = $1", personID)
	return hash, sealed
}
