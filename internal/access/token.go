package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

const tokenPrefix = "jodo_"

// NewToken makes a token string: 32 random bytes, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// Hash is what is stored of a token. Tokens carry 256 random bits, so a
// plain SHA-256 is enough; there is nothing to brute-force.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues a token for name with role over the area codes and
// returns it; only its hash is kept. replace revokes a live token of the
// same name first.
func CreateToken(ctx context.Context, db *store.DB, name, role string, areas []string, replace bool) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.New(apperr.Invalid, "a token needs a --name")
	}
	if _, ok := ParseRole(role); !ok {
		return "", apperr.New(apperr.Invalid, "role must be one of %s, not %q", RoleNames(), role)
	}
	if len(areas) == 0 {
		return "", apperr.New(apperr.Invalid, "a token needs --area CODE[,CODE…]")
	}
	if _, err := db.ScopeAreas(ctx, areas); err != nil {
		return "", err
	}
	token := NewToken()
	err := db.CreateToken(ctx, store.Token{Name: name, Role: role, Areas: areas}, Hash(token), replace)
	return token, err
}

// Authenticate resolves an "Authorization: Bearer …" header to an Actor.
func Authenticate(ctx context.Context, db *store.DB, header string) (Actor, error) {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || !strings.HasPrefix(token, tokenPrefix) {
		return Actor{}, apperr.New(apperr.Unauthorized, "Send a token as: Authorization: Bearer jodo_…")
	}
	t, err := db.TokenByHash(ctx, Hash(strings.TrimSpace(token)))
	if err != nil {
		return Actor{}, err
	}
	scope, err := db.ScopeAreas(ctx, t.Areas)
	if err != nil {
		return Actor{}, err
	}
	a := Actor{Label: "token:" + t.Name}
	if role, ok := ParseRole(t.Role); ok {
		a.Grants = []Grant{{Role: role, Areas: t.Areas, Scope: scope}}
	}
	return a, nil
}

// RoleNames lists the roles for a message: "admin, coordinator, …".
func RoleNames() string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
