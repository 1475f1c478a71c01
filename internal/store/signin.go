package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// OTPCode is a sign-in code as stored: a keyed hash, never the code.
type OTPCode struct {
	Phone     string // E.164
	CodeHash  string
	IPPrefix  string // the asking client's address prefix, for the per-IP limit
	NetPrefix string // the asking client's wider network, for the per-network cap
	Country   string // the phone's country (ISO 3166), for the per-country budget
	ExpiresAt time.Time
}

// OTPFilter picks the codes CountOTPCodes counts: those for one phone, or
// from one address prefix, or from one network, or to one country (the
// first field set decides), or (all empty) all.
type OTPFilter struct {
	Phone     string
	IPPrefix  string
	NetPrefix string
	Country   string
}

// OTPCheck is what checking a sign-in code found.
type OTPCheck string

// The results of CheckOTPCode.
const (
	OTPValid  OTPCheck = "valid"  // right code, now used
	OTPWrong  OTPCheck = "wrong"  // wrong code; tries remain
	OTPNone   OTPCheck = "none"   // no live code: none sent, expired or used
	OTPLocked OTPCheck = "locked" // the code's tries are used up
)

// LockOTPPhone serialises code requests for one phone until tx ends, so
// two servers cannot both find a phone under its limit and both send.
// SQLite's single writer serialises them already.
func LockOTPPhone(ctx context.Context, tx *Tx, phone string) error {
	if tx.Engine() != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(7244, hashtext($1))", phone); err != nil {
		return fmt.Errorf("store: lock sign-in codes of a phone: %w", err)
	}
	return nil
}

// CountOTPCodes counts the codes f picks created at or after since.
func CountOTPCodes(ctx context.Context, tx *Tx, f OTPFilter, since time.Time) (int, error) {
	q, args := "SELECT count(*) FROM otp_codes WHERE created_at >= $1", []any{ms(since)}
	switch {
	case f.Phone != "":
		q, args = q+" AND phone = $2", append(args, f.Phone)
	case f.IPPrefix != "":
		q, args = q+" AND ip_prefix = $2", append(args, f.IPPrefix)
	case f.NetPrefix != "":
		q, args = q+" AND net_prefix = $2", append(args, f.NetPrefix)
	case f.Country != "":
		q, args = q+" AND country = $2", append(args, f.Country)
	}
	var n int
	if err := tx.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count sign-in codes: %w", err)
	}
	return n, nil
}

// InsertOTPCode stores a new code. Older live codes of the phone stop
// counting: CheckOTPCode looks at the newest only.
func InsertOTPCode(ctx context.Context, tx *Tx, c OTPCode) error {
	if !isE164(c.Phone) || c.CodeHash == "" || c.IPPrefix == "" || !c.ExpiresAt.After(tx.Now) {
		return apperr.New(apperr.Invalid, "a sign-in code needs a phone, a hash, an address prefix and a future expiry")
	}
	_, err := tx.exec(ctx, `INSERT INTO otp_codes (phone, code_hash, ip_prefix, net_prefix, country, created_at, expires_at, tries)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 0)`, c.Phone, c.CodeHash, c.IPPrefix, c.NetPrefix, c.Country, ms(tx.Now), ms(c.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: insert sign-in code: %w", err)
	}
	return nil
}

// CheckOTPCode checks codeHash against the phone's newest live code. Every
// check uses one of its maxTries, counted by a guarded update so
// concurrent checks cannot exceed them; the wrong try that uses the last
// one reports OTPLocked. A right code is used once, and the phone's older
// codes with it. The result is not an error, so the caller commits the
// counted try whatever the outcome.
func CheckOTPCode(ctx context.Context, tx *Tx, phone, codeHash string, maxTries int) (OTPCheck, error) {
	var id int64
	var hash string
	var tries int
	err := tx.queryRow(ctx, `SELECT id, code_hash, tries FROM otp_codes
		WHERE phone = $1 AND used_at IS NULL AND expires_at > $2
		ORDER BY created_at DESC, id DESC LIMIT 1`, phone, ms(tx.Now)).Scan(&id, &hash, &tries)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return OTPNone, nil
	case err != nil:
		return "", fmt.Errorf("store: check sign-in code: %w", err)
	case tries >= maxTries:
		return OTPLocked, nil
	}
	err = tx.queryRow(ctx, `UPDATE otp_codes SET tries = tries + 1
		WHERE id = $1 AND used_at IS NULL AND tries < $2 RETURNING tries`, id, maxTries).Scan(&tries)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return lostOTPRace(ctx, tx, id)
	case err != nil:
		return "", fmt.Errorf("store: count sign-in code try: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(hash), []byte(codeHash)) != 1 {
		if tries >= maxTries {
			return OTPLocked, nil
		}
		return OTPWrong, nil
	}
	// The try's update holds the row (PostgreSQL's row lock, SQLite's one
	// writer) until commit, so no concurrent check can use it meanwhile.
	if _, err := tx.exec(ctx, "UPDATE otp_codes SET used_at = $1 WHERE phone = $2 AND used_at IS NULL", ms(tx.Now), phone); err != nil {
		return "", fmt.Errorf("store: use sign-in code: %w", err)
	}
	return OTPValid, nil
}

// lostOTPRace tells why a concurrent check left no try: the code was
// used meanwhile, or its last try was taken.
func lostOTPRace(ctx context.Context, tx *Tx, id int64) (OTPCheck, error) {
	var used sql.NullInt64
	if err := tx.queryRow(ctx, "SELECT used_at FROM otp_codes WHERE id = $1", id).Scan(&used); err != nil {
		return "", fmt.Errorf("store: check sign-in code: %w", err)
	}
	if used.Valid {
		return OTPNone, nil
	}
	return OTPLocked, nil
}

// Session is a signed-in browser.
type Session struct {
	ID         int64
	PersonID   int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute timeout
}

// ErrNoSession is a session token that is unknown, revoked, or past its
// idle or absolute timeout.
var ErrNoSession = apperr.New(apperr.Unauthorized, "Please sign in.")

// sessionTouchEvery is how stale last_seen_at may get before a lookup
// moves it: a write per request would be wasted on the idle timeout.
const sessionTouchEvery = time.Minute

// CreateSession stores a session for a person, by its token's hash.
func CreateSession(ctx context.Context, tx *Tx, personID int64, tokenHash string, expires time.Time) (int64, error) {
	if personID == 0 || tokenHash == "" || !expires.After(tx.Now) {
		return 0, apperr.New(apperr.Invalid, "a session needs a person, a token hash and a future expiry")
	}
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $3, $4) RETURNING id`, tokenHash, personID, ms(tx.Now), ms(expires)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create session for person %d: %w", personID, err)
	}
	return id, nil
}

// SessionLimits are the timeouts a session is held to: unused for Idle
// or older than Absolute (since sign-in) it has ended. Zero: no limit
// beyond the session's own expiry.
type SessionLimits struct {
	Idle, Absolute time.Duration
}

// LiveSession returns the session of a token's hash if it is neither
// revoked nor past its expiry nor past the limits limitsFor gives for its
// person (read before the session is touched), else ErrNoSession. When
// touch is set (the person used it), it moves last_seen_at when that is a
// minute old or more.
func (db *DB) LiveSession(ctx context.Context, tokenHash string, limitsFor func(personID int64) (SessionLimits, error), touch bool) (Session, error) {
	var s Session
	var created, seen, expires int64
	var revoked sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT id, person_id, created_at, last_seen_at, expires_at, revoked_at
		FROM sessions WHERE token_hash = $1`, tokenHash).Scan(&s.ID, &s.PersonID, &created, &seen, &expires, &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Session{}, ErrNoSession
	case err != nil:
		return Session{}, fmt.Errorf("store: look up session: %w", err)
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMS(created), fromMS(seen), fromMS(expires)
	now := db.clock.Now()
	if revoked.Valid || !now.Before(s.ExpiresAt) {
		return Session{}, ErrNoSession
	}
	limits, err := limitsFor(s.PersonID)
	if err != nil {
		return Session{}, err
	}
	if (limits.Idle > 0 && !now.Before(s.LastSeenAt.Add(limits.Idle))) ||
		(limits.Absolute > 0 && !now.Before(s.CreatedAt.Add(limits.Absolute))) {
		return Session{}, ErrNoSession
	}
	if !touch || now.Sub(s.LastSeenAt) < sessionTouchEvery {
		return s, nil
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = $1
			WHERE id = $2 AND revoked_at IS NULL AND last_seen_at < $1`, ms(tx.Now), s.ID)
		s.LastSeenAt = tx.Now
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("store: touch session: %w", err)
	}
	return s, nil
}

// RevokeSession ends the session of a token's hash. revoked is false when
// there was no live session to end.
func RevokeSession(ctx context.Context, tx *Tx, tokenHash string) (revoked bool, err error) {
	res, err := tx.exec(ctx, "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
		ms(tx.Now), tokenHash)
	if err != nil {
		return false, fmt.Errorf("store: revoke session: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// RevokeSessions ends every session of a person and returns how many.
func RevokeSessions(ctx context.Context, tx *Tx, personID int64) (int64, error) {
	res, err := tx.exec(ctx, "UPDATE sessions SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL",
		ms(tx.Now), personID)
	if err != nil {
		return 0, fmt.Errorf("store: revoke sessions of person %d: %w", personID, err)
	}
	return res.RowsAffected()
}

// PurgeSignin deletes codes created before cutoff (they hold phone
// numbers; keep them as long as the longest rate-limit window and no
// longer), sessions that ended before it and sign-in links that expired
// before it.
func (db *DB) PurgeSignin(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		for _, q := range []string{
			"DELETE FROM otp_codes WHERE created_at < $1",
			"DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1",
			"DELETE FROM signin_links WHERE expires_at < $1",
		} {
			res, err := tx.exec(ctx, q, ms(cutoff))
			if err != nil {
				return fmt.Errorf("store: purge sign-in: %w", err)
			}
			d, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("store: purge sign-in: %w", err)
			}
			n += d
		}
		return nil
	})
	return n, err
}
