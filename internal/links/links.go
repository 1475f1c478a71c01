// Package links makes and reads what the links a follow-up carries hold:
// the token of the registration link /j/{token} and the join code in the
// wa.me link's prefilled text (the links themselves are written out by
// package smstext), so the chat a citizen opens can be tied to their lead.
// Only keyed hashes of tokens and codes are stored (store.CreateJoinLink).
package links

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// TTL is how long a registration token and a join code stay valid.
const TTL = 7 * 24 * time.Hour

const (
	// tokenAlphabet is Crockford's base32, lower case: a token is tapped,
	// not read, so 0/O and 1/l may stay; 32 symbols make 5 unbiased bits
	// a character.
	tokenAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	// TokenLen characters of 5 bits: 65 bits.
	TokenLen = 13

	// codeAlphabet survives eyes and retyping: no 0/O, 1/I/L, U, upper
	// case only (ParseJoinCode folds case).
	codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
	// CodeLen characters of log2(30) bits: 49 bits.
	CodeLen = 10
)

// Links makes links for one installation.
type Links struct {
	key []byte
}

// New returns Links keyed with the installation's secret key (JODO_SECRET_KEY).
func New(secretKey []byte) *Links {
	return &Links{key: secretKey}
}

// Link is a fresh registration token and join code: the raw values go into
// the message, only the hashes into the database.
type Link struct {
	Token, Code         string
	TokenHash, CodeHash string
	ExpiresAt           time.Time
}

// Make returns a new token and join code valid for TTL from now.
func (l *Links) Make(now time.Time) Link {
	token, code := randomString(tokenAlphabet, TokenLen), randomString(codeAlphabet, CodeLen)
	return Link{Token: token, Code: code, TokenHash: l.TokenHash(token), CodeHash: l.CodeHash(code), ExpiresAt: now.Add(TTL)}
}

// TokenHash is what is stored of a registration token. Tokens arrive in
// URLs, where a case change is harmless, so they are folded first.
func (l *Links) TokenHash(token string) string {
	return l.hash("jodo join token\x00", strings.ToLower(token))
}

// CodeHash is what is stored of a join code (upper case, as ParseJoinCode
// returns it).
func (l *Links) CodeHash(code string) string {
	return l.hash("jodo join code\x00", strings.ToUpper(code))
}

// hash is hex HMAC-SHA256 under the secret key. A plain SHA-256 would not
// do: a leaked table of 49- or 65-bit values is brute-forced offline, the
// more easily the more rows it holds. The purpose prefix keeps a token's
// hash from ever matching a code's.
func (l *Links) hash(purpose, value string) string {
	mac := hmac.New(sha256.New, l.key)
	mac.Write([]byte(purpose))
	mac.Write([]byte(value))
	return hex.EncodeToString(mac.Sum(nil))
}

// randomString draws n symbols uniformly from alphabet (at most 256
// symbols) with crypto/rand, rejecting bytes that would bias the draw.
func randomString(alphabet string, n int) string {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n*2)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}
