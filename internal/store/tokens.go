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

// Token is an API token as stored: never the token itself, only its hash.
type Token struct {
	ID         int64
	Name, Role string
	Areas      []string // area codes; the token sees exactly their subtrees
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// CreateToken stores a token's hash. With replace, a live token of the
// same name is revoked first (the demo's admin token is re-issued at each
// start); without it, a live name is a conflict.
func (db *DB) CreateToken(ctx context.Context, t Token, hash string, replace bool) error {
	return db.Update(ctx, func(tx *Tx) error {
		if replace {
			if _, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL", ms(tx.Now), t.Name); err != nil {
				return fmt.Errorf("store: replace token: %w", err)
			}
		} else {
			var n int
			if err := tx.queryRow(ctx, "SELECT count(*) FROM api_tokens WHERE name = $1 AND revoked_at IS NULL", t.Name).Scan(&n); err != nil {
				return fmt.Errorf("store: create token: %w", err)
			}
			if n > 0 {
				return apperr.New(apperr.Conflict, "a token named %q exists; revoke it first", t.Name)
			}
		}
		_, err := tx.exec(ctx, "INSERT INTO api_tokens (name, hash, role, areas, created_at) VALUES ($1, $2, $3, $4, $5)",
			t.Name, hash, t.Role, strings.Join(t.Areas, ","), ms(tx.Now))
		if err != nil {
			return fmt.Errorf("store: create token: %w", err)
		}
		return nil
	})
}

// TokenByHash finds a live token. Its last use is recorded at most once a
// minute, so authentication stays a read on busy dashboards.
func (db *DB) TokenByHash(ctx context.Context, hash string) (Token, error) {
	var t Token
	var areas string
	var created int64
	var used sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT id, name, role, areas, created_at, last_used_at FROM api_tokens
		WHERE hash = $1 AND revoked_at IS NULL`, hash).Scan(&t.ID, &t.Name, &t.Role, &areas, &created, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, apperr.New(apperr.Unauthorized, "This token is not valid.")
	}
	if err != nil {
		return Token{}, fmt.Errorf("store: token: %w", err)
	}
	t.Areas = strings.Split(areas, ",")
	t.CreatedAt, t.LastUsedAt = fromMS(created), fromNullMS(used)
	if now := db.clock.Now(); now.Sub(t.LastUsedAt) > time.Minute {
		db.Update(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", ms(now), t.ID)
			return err
		})
	}
	return t, nil
}

// Tokens lists live tokens by name.
func (db *DB) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, role, areas, created_at, last_used_at FROM api_tokens
		WHERE revoked_at IS NULL ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var areas string
		var created int64
		var used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &areas, &created, &used); err != nil {
			return nil, fmt.Errorf("store: tokens: %w", err)
		}
		t.Areas = strings.Split(areas, ",")
		t.CreatedAt, t.LastUsedAt = fromMS(created), fromNullMS(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes the live token called name.
func (db *DB) RevokeToken(ctx context.Context, name string) error {
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL", ms(tx.Now), name)
		if err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "no live token named %q", name)
		}
		return nil
	})
}
