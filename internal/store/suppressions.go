package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Reasons a phone is suppressed.
const (
	SuppressErased  = "erased"   // the person erased their data; their opt-out must hold
	SuppressUnder18 = "under_18" // a refused minor must not be contacted again
)

// SuppressionHash is the keyed hash under which a phone is suppressed:
// hex HMAC-SHA256 of the E.164 number with the installation's secret key,
// so the table cannot be reversed by hashing every possible number.
func SuppressionHash(secretKey []byte, phoneE164 string) string {
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte(phoneE164))
	return hex.EncodeToString(mac.Sum(nil))
}

// AddSuppression records that the phone behind hash must not be recreated
// or contacted. Adding it again keeps the first reason.
func AddSuppression(ctx context.Context, tx *Tx, hash, reason string) error {
	if hash == "" || reason == "" {
		return apperr.New(apperr.Invalid, "a suppression needs a hash and a reason")
	}
	_, err := tx.exec(ctx, `INSERT INTO suppressions (hash, reason, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (hash) DO NOTHING`, hash, reason, ms(tx.Now))
	if err != nil {
		return fmt.Errorf("store: add suppression: %w", err)
	}
	return nil
}

// IsRefusedUnder18 reports whether the phone behind hash was refused as
// under 18: such a number is not recreated. (An erased person's number is
// suppressed too, but coming back is their new, deliberate act.)
func IsRefusedUnder18(ctx context.Context, tx *Tx, hash string) (bool, error) {
	return exists(ctx, tx, "SELECT 1 FROM suppressions WHERE hash = $1 AND reason = $2", hash, SuppressUnder18)
}

// exists reports whether query finds a row.
func exists(ctx context.Context, tx *Tx, query string, args ...any) (bool, error) {
	var one int
	err := tx.queryRow(ctx, query, args...).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("store: check suppression: %w", err)
	}
	return true, nil
}

// SuppressionOf returns why the phone behind hash is suppressed, or "".
func SuppressionOf(ctx context.Context, tx *Tx, hash string) (string, error) {
	var reason string
	err := tx.queryRow(ctx, "SELECT reason FROM suppressions WHERE hash = $1", hash).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: suppression: %w", err)
	}
	return reason, nil
}
