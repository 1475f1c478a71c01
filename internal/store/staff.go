package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// StaffRole is a role a person holds over a set of area codes. What the
// role allows is package access's table, not the store's.
type StaffRole struct {
	ID        int64
	PersonID  int64
	Role      string
	Areas     []string
	GrantedAt time.Time
	GrantedBy string
}

// GrantRole gives a person role over areas (codes, checked by the caller).
// A role the person holds already has its areas replaced: replaced is true.
func GrantRole(ctx context.Context, tx *Tx, personID int64, role string, areas []string, by string) (replaced bool, err error) {
	if personID == 0 || role == "" || len(areas) == 0 || by == "" {
		return false, apperr.New(apperr.Invalid, "a role needs a person, a role, areas and who grants it")
	}
	res, err := tx.exec(ctx, `UPDATE staff_roles SET revoked_at = $1, revoked_by = $2
		WHERE person_id = $3 AND role = $4 AND revoked_at IS NULL`, ms(tx.Now), by, personID, role)
	if err != nil {
		return false, fmt.Errorf("store: grant role: %w", err)
	}
	n, _ := res.RowsAffected()
	_, err = tx.exec(ctx, `INSERT INTO staff_roles (person_id, role, areas, granted_at, granted_by) VALUES ($1, $2, $3, $4, $5)`,
		personID, role, strings.Join(areas, ","), ms(tx.Now), by)
	if err != nil {
		return false, fmt.Errorf("store: grant role: %w", err)
	}
	return n > 0, nil
}

// RevokeRoles ends a person's role (all of them when role is "") and
// returns the roles ended.
func RevokeRoles(ctx context.Context, tx *Tx, personID int64, role, by string) ([]string, error) {
	q, args := `UPDATE staff_roles SET revoked_at = $1, revoked_by = $2 WHERE person_id = $3 AND revoked_at IS NULL`,
		[]any{ms(tx.Now), by, personID}
	if role != "" {
		q, args = q+" AND role = $4", append(args, role)
	}
	rows, err := tx.query(ctx, q+" RETURNING role", args...)
	if err != nil {
		return nil, fmt.Errorf("store: revoke roles of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("store: revoke roles of person %d: %w", personID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// LiveRoles are the roles a person holds now, read for every request so a
// change takes effect at once (a plain read: it runs on every session
// lookup, members' too).
func (db *DB) LiveRoles(ctx context.Context, personID int64) ([]StaffRole, error) {
	rows, err := db.read.QueryContext(ctx, liveRolesSQL, personID)
	if err != nil {
		return nil, fmt.Errorf("store: roles of person %d: %w", personID, err)
	}
	return scanRoles(rows)
}

const liveRolesSQL = `SELECT id, person_id, role, areas, granted_at, granted_by FROM staff_roles
	WHERE person_id = $1 AND revoked_at IS NULL ORDER BY role`

// RolesOf is LiveRoles in tx.
func RolesOf(ctx context.Context, tx *Tx, personID int64) ([]StaffRole, error) {
	rows, err := tx.query(ctx, liveRolesSQL, personID)
	if err != nil {
		return nil, fmt.Errorf("store: roles of person %d: %w", personID, err)
	}
	return scanRoles(rows)
}

// AllLiveRoles lists every live role, by person then role.
func (db *DB) AllLiveRoles(ctx context.Context) ([]StaffRole, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, person_id, role, areas, granted_at, granted_by FROM staff_roles
		WHERE revoked_at IS NULL ORDER BY person_id, role`)
	if err != nil {
		return nil, fmt.Errorf("store: roles: %w", err)
	}
	return scanRoles(rows)
}

func scanRoles(rows *sql.Rows) ([]StaffRole, error) {
	defer rows.Close()
	var out []StaffRole
	for rows.Next() {
		var r StaffRole
		var areas string
		var at int64
		if err := rows.Scan(&r.ID, &r.PersonID, &r.Role, &areas, &at, &r.GrantedBy); err != nil {
			return nil, fmt.Errorf("store: roles: %w", err)
		}
		r.Areas, r.GrantedAt = strings.Split(areas, ","), fromMS(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: roles: %w", err)
	}
	return out, nil
}

// ErrLinkUsed is a sign-in link that is unknown, used or expired: the
// same answer for all three, so a guess learns nothing.
var ErrLinkUsed = apperr.New(apperr.NotFound, "This sign-in link cannot be used: it is unknown, used or expired.")

// CreateSigninLink stores a one-time sign-in link by its token's hash.
func CreateSigninLink(ctx context.Context, tx *Tx, personID int64, tokenHash string, expires time.Time, by string) error {
	if personID == 0 || tokenHash == "" || !expires.After(tx.Now) || by == "" {
		return apperr.New(apperr.Invalid, "a sign-in link needs a person, a hash, a future expiry and who made it")
	}
	_, err := tx.exec(ctx, `INSERT INTO signin_links (token_hash, person_id, created_at, expires_at, created_by)
		VALUES ($1, $2, $3, $4, $5)`, tokenHash, personID, ms(tx.Now), ms(expires), by)
	if err != nil {
		return fmt.Errorf("store: create sign-in link: %w", err)
	}
	return nil
}

// UseSigninLink uses a live link once (a guarded update: two clicks
// cannot both use it) and returns its person, or ErrLinkUsed.
func UseSigninLink(ctx context.Context, tx *Tx, tokenHash string) (int64, error) {
	var person int64
	err := tx.queryRow(ctx, `UPDATE signin_links SET used_at = $1
		WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING person_id`, ms(tx.Now), tokenHash).Scan(&person)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrLinkUsed
	}
	if err != nil {
		return 0, fmt.Errorf("store: use sign-in link: %w", err)
	}
	return person, nil
}

// SigninLinkLive reports whether a link can still be used, without using it.
func (db *DB) SigninLinkLive(ctx context.Context, tokenHash string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM signin_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
		tokenHash, ms(db.clock.Now())).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: sign-in link: %w", err)
	}
	return n > 0, nil
}

// forgetStaff ends an erased person's roles and deletes their sign-in
// links; the audit keeps their id only.
func forgetStaff(ctx context.Context, tx *Tx, personID int64) error {
	if _, err := RevokeRoles(ctx, tx, personID, "", "erase"); err != nil {
		return err
	}
	return DeleteSigninLinks(ctx, tx, personID)
}

// DeleteSigninLinks deletes a person's sign-in links, used or not: their
// roles were taken away, or they were erased.
func DeleteSigninLinks(ctx context.Context, tx *Tx, personID int64) error {
	if _, err := tx.exec(ctx, "DELETE FROM signin_links WHERE person_id = $1", personID); err != nil {
		return fmt.Errorf("store: delete sign-in links of person %d: %w", personID, err)
	}
	return nil
}
