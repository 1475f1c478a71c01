package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// SaveReferralCode gives a person their referral code (its keyed hash and
// sealed form). A hash someone has is a conflict (draw another); a person
// who has a code keeps it (created false).
func SaveReferralCode(ctx context.Context, tx *Tx, personID int64, hash, sealed string) (created bool, err error) {
	res, err := tx.exec(ctx, `INSERT INTO referral_codes (person_id, code_hash, code_sealed, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, personID, hash, sealed, ms(tx.Now))
	if err != nil {
		return false, fmt.Errorf("store: referral code of person %d: %w", personID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return n == 1, err
	}
	if _, err := ReferralCodeOf(ctx, tx, personID); err == nil {
		return false, nil
	}
	return false, apperr.New(apperr.Conflict, "a referral code drawn twice")
}

// ReferralCodeOf returns a person's sealed referral code.
func ReferralCodeOf(ctx context.Context, tx *Tx, personID int64) (string, error) {
	var sealed string
	err := tx.queryRow(ctx, `SELECT code_sealed FROM referral_codes WHERE person_id = $1`, personID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "person %d has no referral code", personID)
	}
	if err != nil {
		return "", fmt.Errorf("store: referral code of person %d: %w", personID, err)
	}
	return sealed, nil
}

// ReferrerByCode is the member whose referral code has hash: a code of
// someone erased, or whose membership ended, finds no one.
func ReferrerByCode(ctx context.Context, tx *Tx, hash string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT r.person_id FROM referral_codes r JOIN people p ON p.id = r.person_id
		WHERE r.code_hash = $1 AND p.erased_at IS NULL AND p.membership_no IS NOT NULL`, hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.NotFound, "no such referral code")
	}
	if err != nil {
		return 0, fmt.Errorf("store: referral code: %w", err)
	}
	return id, nil
}

// DeleteReferralCode removes a person's referral code (erasure).
func DeleteReferralCode(ctx context.Context, tx *Tx, personID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM referral_codes WHERE person_id = $1`, personID); err != nil {
		return fmt.Errorf("store: delete referral code of person %d: %w", personID, err)
	}
	return nil
}

// SetReferrer records who referred a participation, once: only while it
// has no referrer and is not registered yet, never to the person
// themselves, and only to someone whose participation in the same drive
// is older. Every referral points to an earlier participation, so a chain
// of referrals can have no loop. set is false when nothing changed.
func SetReferrer(ctx context.Context, tx *Tx, participationID, referrerID int64) (set bool, err error) {
	res, err := tx.exec(ctx, `UPDATE participations SET referred_by = $1
		WHERE id = $2 AND referred_by IS NULL AND registered_at IS NULL AND person_id <> $1
		AND EXISTS (SELECT 1 FROM participations r WHERE r.person_id = $1 AND r.drive_id = participations.drive_id
			AND r.id < participations.id)`, referrerID, participationID)
	if err != nil {
		return false, fmt.Errorf("store: referrer of participation %d: %w", participationID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Credit adds a recruiter's credit in a drive: direct and indirect
// verified recruits. areaID is the recruiter's area, kept from the first
// credit (0: none known).
func Credit(ctx context.Context, tx *Tx, driveID, personID, areaID, direct, indirect int64) error {
	_, err := tx.exec(ctx, `INSERT INTO recruiter_credits (drive_id, person_id, area_id, direct, indirect, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (drive_id, person_id) DO UPDATE SET direct = recruiter_credits.direct + $4,
			indirect = recruiter_credits.indirect + $5, updated_at = $6`,
		driveID, personID, optionalID(areaID), direct, indirect, ms(tx.Now))
	if err != nil {
		return fmt.Errorf("store: credit recruiter %d: %w", personID, err)
	}
	return nil
}

// RecruiterCredit is a recruiter's credit in one drive.
type RecruiterCredit struct {
	DriveID, PersonID, AreaID int64
	Direct, Indirect          int64
	UpdatedAt                 time.Time
}

// CreditsOf returns a person's credit in every drive they recruited in.
func CreditsOf(ctx context.Context, tx *Tx, personID int64) ([]RecruiterCredit, error) {
	rows, err := tx.query(ctx, `SELECT drive_id, person_id, COALESCE(area_id, 0), direct, indirect, updated_at
		FROM recruiter_credits WHERE person_id = $1 ORDER BY drive_id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: credit of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []RecruiterCredit
	for rows.Next() {
		var c RecruiterCredit
		var updated int64
		if err := rows.Scan(&c.DriveID, &c.PersonID, &c.AreaID, &c.Direct, &c.Indirect, &updated); err != nil {
			return nil, fmt.Errorf("store: credit of person %d: %w", personID, err)
		}
		c.UpdatedAt = fromMS(updated)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: credit of person %d: %w", personID, err)
	}
	return out, nil
}

// RegistrationMark is what a registration came from, kept 30 days for the
// velocity flags: the client's network prefix and a device cookie's keyed
// hash ("" when unknown).
type RegistrationMark struct {
	ParticipationID, DriveID int64
	Network, Device          string
	At                       time.Time // when it was kept (read only: MarkRegistration keeps tx.Now)
}

// MarksOf returns the registration marks of a person's participations,
// oldest first: what MY DATA shows of them.
func MarksOf(ctx context.Context, tx *Tx, personID int64) ([]RegistrationMark, error) {
	rows, err := tx.query(ctx, `SELECT m.participation_id, m.drive_id, m.network, m.device, m.at FROM registration_marks m
		JOIN participations p ON p.id = m.participation_id WHERE p.person_id = $1 ORDER BY m.at, m.participation_id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: registration marks of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []RegistrationMark
	for rows.Next() {
		var m RegistrationMark
		var at int64
		if err := rows.Scan(&m.ParticipationID, &m.DriveID, &m.Network, &m.Device, &at); err != nil {
			return nil, fmt.Errorf("store: registration marks of person %d: %w", personID, err)
		}
		m.At = fromMS(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: registration marks of person %d: %w", personID, err)
	}
	return out, nil
}

// MarkRegistration records m (once a participation; a second mark is
// ignored).
func MarkRegistration(ctx context.Context, tx *Tx, m RegistrationMark) error {
	_, err := tx.exec(ctx, `INSERT INTO registration_marks (participation_id, drive_id, network, device, at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`, m.ParticipationID, m.DriveID, m.Network, m.Device, ms(tx.Now))
	if err != nil {
		return fmt.Errorf("store: mark registration %d: %w", m.ParticipationID, err)
	}
	return nil
}

// FirstCredit records that a participation's verification credits its
// referrers; false when it did before (the recruit left and came back).
func FirstCredit(ctx context.Context, tx *Tx, participationID int64) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO referral_credited (participation_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		participationID, ms(tx.Now))
	if err != nil {
		return false, fmt.Errorf("store: credit of participation %d: %w", participationID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
