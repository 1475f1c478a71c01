package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Purposes a person consents to, each on its own (DPDP: consent per
// purpose). Membership is required to register.
const (
	PurposeMembership = "membership"
	PurposeWhatsApp   = "whatsapp"
	PurposeSMS        = "sms"
	PurposeVolunteer  = "volunteer"
)

// Consent is a person's consent to one purpose: the notice they saw, in
// which language, on which channel, and the evidence (a CallSid, a message
// id, a form id).
type Consent struct {
	PersonID      int64
	Purpose       string
	NoticeVersion string
	Language      string
	Channel       string
	Evidence      string
	GrantedAt     time.Time // set by GrantConsent
	WithdrawnAt   time.Time // zero: in force
}

// ConsentStatus tells never-granted from withdrawn: they differ in law
// (a withdrawal must be honoured and shown) and to the person.
type ConsentStatus string

// The states of a person's consent to a purpose.
const (
	ConsentNever     ConsentStatus = "never"
	ConsentGranted   ConsentStatus = "granted"
	ConsentWithdrawn ConsentStatus = "withdrawn"
)

// GrantConsent records consent to c.Purpose now. Granting again, after a
// withdrawal or under a newer notice, replaces the notice, evidence and
// time and puts the consent back in force.
func GrantConsent(ctx context.Context, tx *Tx, c Consent) error {
	if err := checkConsent(c.Purpose, c.NoticeVersion, c.Channel); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO consents
		(person_id, purpose, notice_version, language, channel, evidence, granted_at, withdrawn_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)`+consentUpsert,
		c.PersonID, c.Purpose, c.NoticeVersion, c.Language, c.Channel, c.Evidence, ms(tx.Now))
	if err != nil {
		return fmt.Errorf("store: grant %s consent of person %d: %w", c.Purpose, c.PersonID, err)
	}
	return nil
}

// checkConsent refuses a consent to a purpose Jodo does not know, or one
// that does not say under which notice and on which channel it was given.
func checkConsent(purpose, noticeVersion, channel string) error {
	if !validPurpose(purpose) {
		return apperr.New(apperr.Invalid, "unknown consent purpose %q", purpose)
	}
	if noticeVersion == "" || channel == "" {
		return apperr.New(apperr.Invalid, "consent to %s needs the notice version and the channel", purpose)
	}
	return nil
}

// consentUpsert puts a granted consent in place of the one recorded.
const consentUpsert = `
		ON CONFLICT (person_id, purpose) DO UPDATE SET notice_version = excluded.notice_version,
			language = excluded.language, channel = excluded.channel, evidence = excluded.evidence,
			granted_at = excluded.granted_at, withdrawn_at = NULL`

// WithdrawConsent withdraws consent to purpose now. changed is false when
// it was not in force (withdrawn before, or never granted).
func WithdrawConsent(ctx context.Context, tx *Tx, personID int64, purpose string) (changed bool, err error) {
	res, err := tx.exec(ctx, `UPDATE consents SET withdrawn_at = $1
		WHERE person_id = $2 AND purpose = $3 AND withdrawn_at IS NULL`, ms(tx.Now), personID, purpose)
	if err != nil {
		return false, fmt.Errorf("store: withdraw %s consent of person %d: %w", purpose, personID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: withdraw %s consent of person %d: %w", purpose, personID, err)
	}
	return n == 1, nil
}

// RestoreConsents puts back in force, unchanged, the person's consents
// to purposes that were withdrawn at exactly at (one transaction's time),
// and returns those purposes.
func RestoreConsents(ctx context.Context, tx *Tx, personID int64, at time.Time, purposes ...string) ([]string, error) {
	if len(purposes) == 0 {
		return nil, nil // IN () is no SQL
	}
	args := []any{personID, ms(at)}
	for _, p := range purposes {
		args = append(args, p)
	}
	rows, err := tx.query(ctx, `UPDATE consents SET withdrawn_at = NULL
		WHERE person_id = $1 AND withdrawn_at = $2 AND purpose IN (`+placeholders(len(purposes), 3)+`) RETURNING purpose`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: restore consents of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("store: restore consents of person %d: %w", personID, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: restore consents of person %d: %w", personID, err)
	}
	return out, nil
}

// ConsentState tells whether a person's consent to purpose was never
// given, is in force, or was withdrawn.
func ConsentState(ctx context.Context, tx *Tx, personID int64, purpose string) (ConsentStatus, error) {
	var withdrawn sql.NullInt64
	err := tx.queryRow(ctx, "SELECT withdrawn_at FROM consents WHERE person_id = $1 AND purpose = $2",
		personID, purpose).Scan(&withdrawn)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ConsentNever, nil
	case err != nil:
		return "", fmt.Errorf("store: %s consent of person %d: %w", purpose, personID, err)
	case withdrawn.Valid:
		return ConsentWithdrawn, nil
	}
	return ConsentGranted, nil
}

// Consents lists a person's consent records, withdrawn ones included, by
// purpose.
func Consents(ctx context.Context, tx *Tx, personID int64) ([]Consent, error) {
	rows, err := tx.query(ctx, `SELECT person_id, purpose, notice_version, language, channel, evidence, granted_at, withdrawn_at
		FROM consents WHERE person_id = $1 ORDER BY purpose`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: consents of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		var c Consent
		var granted int64
		var withdrawn sql.NullInt64
		if err := rows.Scan(&c.PersonID, &c.Purpose, &c.NoticeVersion, &c.Language, &c.Channel, &c.Evidence, &granted, &withdrawn); err != nil {
			return nil, fmt.Errorf("store: consents of person %d: %w", personID, err)
		}
		c.GrantedAt, c.WithdrawnAt = fromMS(granted), fromNullMS(withdrawn)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: consents of person %d: %w", personID, err)
	}
	return out, nil
}

func validPurpose(p string) bool {
	switch p {
	case PurposeMembership, PurposeWhatsApp, PurposeSMS, PurposeVolunteer:
		return true
	}
	return false
}
