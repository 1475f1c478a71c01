package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// LinkTTL is how long a one-time sign-in link works.
const LinkTTL = 15 * time.Minute

// linkBytes of crypto/rand make a link's token: 256 bits, nothing to
// guess, so a plain SHA-256 of it is what is stored.
const linkBytes = 32

// NewLink makes a one-time sign-in link's token for a person in tx (it
// works once, for LinkTTL); by is who made it, for the record. Only the
// token's hash is stored: the token is shown once, to whoever made it.
func NewLink(ctx context.Context, tx *store.Tx, personID int64, by string) (string, error) {
	b := make([]byte, linkBytes)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := store.CreateSigninLink(ctx, tx, personID, linkHash(token), tx.Now.Add(LinkTTL), by); err != nil {
		return "", err
	}
	return token, nil
}

// UseLink uses a link's token once in tx and returns its person; an
// unknown, used or expired token is store.ErrLinkUsed.
func UseLink(ctx context.Context, tx *store.Tx, token string) (int64, error) {
	if !wellFormedLink(token) {
		return 0, store.ErrLinkUsed
	}
	return store.UseSigninLink(ctx, tx, linkHash(token))
}

// LinkLive reports whether a link's token can still be used, without using
// it: the page a link opens says so before anyone presses the button.
func LinkLive(ctx context.Context, db *store.DB, token string) (bool, error) {
	if !wellFormedLink(token) {
		return false, nil
	}
	return db.SigninLinkLive(ctx, linkHash(token))
}

func wellFormedLink(token string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == linkBytes
}

func linkHash(token string) string {
	sum := sha256.Sum256([]byte("jodo sign-in link\x00" + token))
	return hex.EncodeToString(sum[:])
}

// ErrNoCodes is sign-in by code on a server with no SMS provider: only
// sign-in links work there.
var ErrNoCodes = apperr.New(apperr.Forbidden, "This server sends no sign-in codes; ask an admin for a sign-in link.")
