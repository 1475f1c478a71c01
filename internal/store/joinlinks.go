package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// LinkStatus is what a registration token resolves to.
type LinkStatus string

// The statuses of a registration token. An unknown token has no JoinLink:
// ResolveToken returns a not_found error.
const (
	LinkValid   LinkStatus = "valid"
	LinkExpired LinkStatus = "expired"
	LinkEnded   LinkStatus = "ended"
)

// ErrLinkExpired is returned, with the link, for a token or join code past
// its expiry. Its code is not_found, so a caller that does not look for it
// still refuses the link; a page that does can offer a new one to the
// link's person.
var ErrLinkExpired = apperr.New(apperr.NotFound, "This link has expired. Ask for a new one.")

// ErrLinkEnded is returned, with the link, for a token whose person erased
// their data: erasure ends their links. Its code is not_found.
var ErrLinkEnded = apperr.New(apperr.NotFound, "This link has ended: the details it was for were erased.")

// JoinLink is a follow-up's registration token and join code as stored
// (hashes only), with the participation they are bound to.
type JoinLink struct {
	ID              int64
	ParticipationID int64
	PersonID        int64
	DriveID         int64
	Status          LinkStatus
	CreatedAt       time.Time
	ExpiresAt       time.Time
	TokenUsedAt     time.Time // zero: not used
}

// CreateJoinLink stores the hashes of a registration token and a join code
// for a participation, in the transaction that decided to send them.
// codeHash may be empty for a link that needs no join code.
func CreateJoinLink(ctx context.Context, tx *Tx, participationID int64, tokenHash, codeHash string, expires time.Time) error {
	if participationID == 0 || tokenHash == "" || !expires.After(tx.Now) {
		return apperr.New(apperr.Invalid, "a join link needs a participation, a token hash and a future expiry")
	}
	code := sql.NullString{String: codeHash, Valid: codeHash != ""}
	_, err := tx.exec(ctx, `INSERT INTO join_links (participation_id, token_hash, code_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, participationID, tokenHash, code, ms(tx.Now), ms(expires))
	if err != nil {
		return fmt.Errorf("store: create join link for participation %d: %w", participationID, err)
	}
	return nil
}

// ResolveToken finds the link of a registration token's hash: valid, or
// ended by its person's erasure (the link and ErrLinkEnded), or expired
// (the link and ErrLinkExpired), or a not_found error.
func (db *DB) ResolveToken(ctx context.Context, tokenHash string) (JoinLink, error) {
	var l JoinLink
	var created, expires int64
	var used, erased sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT j.id, j.participation_id, p.person_id, p.drive_id,
		j.created_at, j.expires_at, j.token_used_at, pe.erased_at
		FROM join_links j JOIN participations p ON p.id = j.participation_id JOIN people pe ON pe.id = p.person_id
		WHERE j.token_hash = $1`, tokenHash).
		Scan(&l.ID, &l.ParticipationID, &l.PersonID, &l.DriveID, &created, &expires, &used, &erased)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return JoinLink{}, apperr.New(apperr.NotFound, "This link is not valid.")
	case err != nil:
		return JoinLink{}, fmt.Errorf("store: resolve join link: %w", err)
	}
	l.CreatedAt, l.ExpiresAt, l.TokenUsedAt = fromMS(created), fromMS(expires), fromNullMS(used)
	if erased.Valid {
		l.Status = LinkEnded
		return l, ErrLinkEnded
	}
	if !db.clock.Now().Before(l.ExpiresAt) {
		l.Status = LinkExpired
		return l, ErrLinkExpired
	}
	l.Status = LinkValid
	return l, nil
}

// UseJoinCode claims a join code by its hash, once: of concurrent callers
// exactly one gets the participation. A used code is a conflict, an
// expired one ErrLinkExpired, an unknown one not_found.
func UseJoinCode(ctx context.Context, tx *Tx, codeHash string) (participationID int64, err error) {
	if codeHash == "" {
		return 0, apperr.New(apperr.NotFound, "This code is not valid.")
	}
	err = tx.queryRow(ctx, `UPDATE join_links SET code_used_at = $1
		WHERE code_hash = $2 AND code_used_at IS NULL AND expires_at > $1
		RETURNING participation_id`, ms(tx.Now), codeHash).Scan(&participationID)
	if err == nil {
		return participationID, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: use join code: %w", err)
	}
	var used sql.NullInt64
	err = tx.queryRow(ctx, "SELECT code_used_at FROM join_links WHERE code_hash = $1", codeHash).Scan(&used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, apperr.New(apperr.NotFound, "This code is not valid.")
	case err != nil:
		return 0, fmt.Errorf("store: use join code: %w", err)
	case used.Valid:
		return 0, apperr.New(apperr.Conflict, "This code has already been used.")
	}
	return 0, ErrLinkExpired
}

// NewJoinLink is one link for CreateJoinLinks.
type NewJoinLink struct {
	ParticipationID     int64
	TokenHash, CodeHash string // CodeHash may be empty
	ExpiresAt           time.Time
}

// CreateJoinLinks stores many links in one statement, in tx.
func CreateJoinLinks(ctx context.Context, tx *Tx, links []NewJoinLink) error {
	if len(links) == 0 {
		return nil
	}
	args := make([]any, 0, 5*len(links))
	for _, l := range links {
		if l.ParticipationID == 0 || l.TokenHash == "" || !l.ExpiresAt.After(tx.Now) {
			return apperr.New(apperr.Invalid, "a join link needs a participation, a token hash and a future expiry")
		}
		args = append(args, l.ParticipationID, l.TokenHash, sql.NullString{String: l.CodeHash, Valid: l.CodeHash != ""}, ms(tx.Now), ms(l.ExpiresAt))
	}
	err := tx.later(ctx, `INSERT INTO join_links (participation_id, token_hash, code_hash, created_at, expires_at)
		VALUES `+valuesList(len(links), 5, 1), args...)
	if err != nil {
		return fmt.Errorf("store: create %d join links: %w", len(links), err)
	}
	return nil
}

// UseJoinToken claims a registration token by its hash, in tx, once: of two
// submissions of one form exactly one gets the link with used false; the
// other gets it with used true (the person is registered already). An
// erased person's token is ErrLinkEnded, an expired one ErrLinkExpired,
// an unknown one not_found.
func UseJoinToken(ctx context.Context, tx *Tx, tokenHash string) (l JoinLink, used bool, err error) {
	var created, expires int64
	var usedAt, erased sql.NullInt64
	err = tx.queryRow(ctx, `SELECT j.id, j.participation_id, p.person_id, p.drive_id, j.created_at, j.expires_at, j.token_used_at,
			pe.erased_at
		FROM join_links j JOIN participations p ON p.id = j.participation_id JOIN people pe ON pe.id = p.person_id
		WHERE j.token_hash = $1`, tokenHash).
		Scan(&l.ID, &l.ParticipationID, &l.PersonID, &l.DriveID, &created, &expires, &usedAt, &erased)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return JoinLink{}, false, apperr.New(apperr.NotFound, "This link is not valid.")
	case err != nil:
		return JoinLink{}, false, fmt.Errorf("store: use join token: %w", err)
	}
	l.CreatedAt, l.ExpiresAt, l.TokenUsedAt = fromMS(created), fromMS(expires), fromNullMS(usedAt)
	if erased.Valid {
		l.Status = LinkEnded
		return l, false, ErrLinkEnded
	}
	if !tx.Now.Before(l.ExpiresAt) {
		l.Status = LinkExpired
		return l, false, ErrLinkExpired
	}
	l.Status = LinkValid
	res, err := tx.exec(ctx, "UPDATE join_links SET token_used_at = $1 WHERE id = $2 AND token_used_at IS NULL", ms(tx.Now), l.ID)
	if err != nil {
		return JoinLink{}, false, fmt.Errorf("store: use join token: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return JoinLink{}, false, fmt.Errorf("store: use join token: %w", err)
	}
	if n == 0 {
		return l, true, nil
	}
	l.TokenUsedAt = tx.Now
	return l, false, nil
}
