package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// The states of an enrolment.
const (
	EnrolmentCodeSent = "code_sent" // waiting for the code the member gives
	EnrolmentDone     = "done"      // the member is registered
	EnrolmentLocked   = "locked"    // too many wrong codes
)

// Enrolment is a volunteer signing a member up door to door, waiting for
// the code sent to the member's phone. It holds nothing of the member but
// a keyed hash of their number.
type Enrolment struct {
	ID          int64
	DriveID     int64
	VolunteerID int64
	PhoneHash   string
	CodeHash    string
	State       string
	Tries       int
	ExpiresAt   time.Time
	CreatedAt   time.Time
}

const enrolmentColumns = `id, drive_id, volunteer_id, phone_hash, code_hash, state, tries, expires_at, created_at`

// AddEnrolment records e, waiting for its code (set by SetEnrolmentCode,
// since the code's hash is bound to the id), and returns its id.
func AddEnrolment(ctx context.Context, tx *Tx, e Enrolment) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO enrolments (drive_id, volunteer_id, phone_hash, state, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		e.DriveID, e.VolunteerID, e.PhoneHash, EnrolmentCodeSent, ms(e.ExpiresAt), ms(tx.Now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add enrolment: %w", err)
	}
	return id, nil
}

// SaveEnrolment writes e's code hash, state and tries.
func SaveEnrolment(ctx context.Context, tx *Tx, e Enrolment) error {
	if _, err := tx.exec(ctx, `UPDATE enrolments SET code_hash = $1, state = $2, tries = $3 WHERE id = $4`,
		e.CodeHash, e.State, e.Tries, e.ID); err != nil {
		return fmt.Errorf("store: save enrolment %d: %w", e.ID, err)
	}
	return nil
}

// GetEnrolment reads enrolment id of a volunteer; another volunteer's is
// not found. On PostgreSQL the row is locked until tx ends, so two tries
// of one code are taken in turn.
func GetEnrolment(ctx context.Context, tx *Tx, volunteerID, id int64) (Enrolment, error) {
	lock := ""
	if tx.Engine() == Postgres {
		lock = " FOR UPDATE"
	}
	var e Enrolment
	var expires, created int64
	err := tx.queryRow(ctx, `SELECT `+enrolmentColumns+` FROM enrolments WHERE id = $1 AND volunteer_id = $2`+lock, id, volunteerID).
		Scan(&e.ID, &e.DriveID, &e.VolunteerID, &e.PhoneHash, &e.CodeHash, &e.State, &e.Tries, &expires, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Enrolment{}, apperr.New(apperr.NotFound, "no such enrolment")
	}
	if err != nil {
		return Enrolment{}, fmt.Errorf("store: get enrolment %d: %w", id, err)
	}
	e.ExpiresAt, e.CreatedAt = fromMS(expires), fromMS(created)
	return e, nil
}

// CountEnrolmentsSince counts the enrolments a volunteer started since
// (volunteerID > 0), or those started for a number's hash since.
func CountEnrolmentsSince(ctx context.Context, tx *Tx, volunteerID int64, phoneHash string, since time.Time) (int, error) {
	q, arg := `SELECT COUNT(*) FROM enrolments WHERE volunteer_id = $1 AND created_at >= $2`, any(volunteerID)
	if volunteerID == 0 {
		q, arg = `SELECT COUNT(*) FROM enrolments WHERE phone_hash = $1 AND created_at >= $2`, phoneHash
	}
	var n int
	if err := tx.queryRow(ctx, q, arg, ms(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count enrolments: %w", err)
	}
	return n, nil
}

// SetEnroller records who enrolled a participation not yet registered,
// once and never the person themselves; it reports whether it did.
func SetEnroller(ctx context.Context, tx *Tx, participationID, enroller int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE participations SET registered_by = $1
		WHERE id = $2 AND registered_by IS NULL AND registered_at IS NULL AND person_id <> $1`, enroller, participationID)
	if err != nil {
		return false, fmt.Errorf("store: set enroller of participation %d: %w", participationID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
