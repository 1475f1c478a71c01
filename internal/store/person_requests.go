package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// The states of a person's request handled by staff.
const (
	RequestCodeSent = "code_sent" // waiting for the code the person reads back
	RequestDone     = "done"      // carried out
	RequestLocked   = "locked"    // too many wrong codes
	RequestExpired  = "expired"   // the code ran out before it was read back
)

// PersonRequest is a request a person made offline (an erasure, a consent
// withdrawn) as staff recorded it. It holds nothing of the person but
// their id.
type PersonRequest struct {
	ID            int64
	PersonID      int64
	Kind          string // "erase", "withdraw:<purpose>" or "correct:<fields changed>"
	Channel       string // how it came: phone_call, letter, in_person, email, other
	Actor         string // the staff member's audit label
	ActorRole     string // their role, as the person is shown it
	State         string
	CodeHash      string
	CodeExpiresAt time.Time
	Tries         int
	IdentityCheck string // what was checked instead of a code ("" with a code)
	IdentityNote  string
	CreatedAt     time.Time
	DoneAt        time.Time
}

const personRequestColumns = `id, person_id, kind, channel, actor, actor_role, state, code_hash, code_expires_at,
	tries, identity_check, identity_note, created_at, done_at`

// AddPersonRequest records r (its ID, CreatedAt and Tries are set here)
// and returns its id.
func AddPersonRequest(ctx context.Context, tx *Tx, r PersonRequest) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO person_requests (person_id, kind, channel, actor, actor_role, state, code_hash,
			code_expires_at, identity_check, identity_note, created_at, done_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		r.PersonID, r.Kind, r.Channel, r.Actor, r.ActorRole, r.State, r.CodeHash, msOrNull(r.CodeExpiresAt),
		r.IdentityCheck, r.IdentityNote, ms(tx.Now), msOrNull(r.DoneAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add person request: %w", err)
	}
	return id, nil
}

// GetPersonRequest reads request id of person; another person's request
// is not found. On PostgreSQL the row is locked until tx ends, so two
// staff confirming at once are taken in turn.
func GetPersonRequest(ctx context.Context, tx *Tx, personID, id int64) (PersonRequest, error) {
	lock := ""
	if tx.Engine() == Postgres {
		lock = " FOR UPDATE"
	}
	r, err := scanPersonRequest(tx.queryRow(ctx, `SELECT `+personRequestColumns+` FROM person_requests
		WHERE id = $1 AND person_id = $2`+lock, id, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return PersonRequest{}, apperr.New(apperr.NotFound, "no such request")
	}
	if err != nil {
		return PersonRequest{}, fmt.Errorf("store: get person request %d: %w", id, err)
	}
	return r, nil
}

// PersonRequests lists the requests staff recorded for a person, newest
// first.
func PersonRequests(ctx context.Context, tx *Tx, personID int64) ([]PersonRequest, error) {
	rows, err := tx.query(ctx, `SELECT `+personRequestColumns+` FROM person_requests
		WHERE person_id = $1 ORDER BY id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: requests of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []PersonRequest
	for rows.Next() {
		r, err := scanPersonRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("store: requests of person %d: %w", personID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: requests of person %d: %w", personID, err)
	}
	return out, nil
}

// StateAt is r's state at now: a request still waiting for its code once
// the code has run out is expired, though nobody has tried it since.
func (r PersonRequest) StateAt(now time.Time) string {
	if r.State == RequestCodeSent && !now.Before(r.CodeExpiresAt) {
		return RequestExpired
	}
	return r.State
}

// LockPersonForRequests takes the person's row until tx ends on
// PostgreSQL, so that two staff recording requests for one person at once
// count the codes sent to them in turn; SQLite's single writer already
// does (nothing to do there).
func LockPersonForRequests(ctx context.Context, tx *Tx, personID int64) error {
	if tx.Engine() != Postgres {
		return nil
	}
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM people WHERE id = $1 FOR UPDATE`, personID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "no such person")
	}
	if err != nil {
		return fmt.Errorf("store: lock person %d: %w", personID, err)
	}
	return nil
}

// CountCodesSentSince is how many of the person's requests sent a code
// (identity checks and corrections send none) after since.
func CountCodesSentSince(ctx context.Context, tx *Tx, personID int64, since time.Time) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM person_requests WHERE person_id = $1 AND code_expires_at IS NOT NULL AND created_at > $2`,
		personID, ms(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count codes of person %d: %w", personID, err)
	}
	return n, nil
}

// UpdatePersonRequest saves r's state, tries and the end of its code (a
// used or dead code's hash is blanked), and its done time.
func UpdatePersonRequest(ctx context.Context, tx *Tx, r PersonRequest) error {
	if r.State != RequestCodeSent {
		r.CodeHash = ""
	}
	_, err := tx.exec(ctx, `UPDATE person_requests SET state = $1, tries = $2, code_hash = $3, done_at = $4 WHERE id = $5`,
		r.State, r.Tries, r.CodeHash, msOrNull(r.DoneAt), r.ID)
	if err != nil {
		return fmt.Errorf("store: update person request %d: %w", r.ID, err)
	}
	return nil
}

// forgetRequests blanks what an erased person's requests hold beyond
// their id: a code's hash and an identity check's note.
func forgetRequests(ctx context.Context, tx *Tx, personID int64) error {
	_, err := tx.exec(ctx, `UPDATE person_requests SET code_hash = '', identity_note = '' WHERE person_id = $1`, personID)
	if err != nil {
		return fmt.Errorf("store: erase requests of person %d: %w", personID, err)
	}
	return nil
}

func scanPersonRequest(row interface{ Scan(...any) error }) (PersonRequest, error) {
	var r PersonRequest
	var expires, done sql.NullInt64
	var created int64
	err := row.Scan(&r.ID, &r.PersonID, &r.Kind, &r.Channel, &r.Actor, &r.ActorRole, &r.State, &r.CodeHash, &expires,
		&r.Tries, &r.IdentityCheck, &r.IdentityNote, &created, &done)
	r.CodeExpiresAt, r.DoneAt, r.CreatedAt = fromNullMS(expires), fromNullMS(done), fromMS(created)
	return r, err
}

// msOrNull is t in milliseconds, NULL for the zero time.
func msOrNull(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: ms(t), Valid: !t.IsZero()}
}
