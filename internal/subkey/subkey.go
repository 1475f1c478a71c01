// Package subkey derives keys for one purpose each from JODO_SECRET_KEY,
// and uses them: a keyed hash (HMAC-SHA256) that finds a secret without
// storing it, and a sealer (AES-256-GCM) that stores one so that only Jodo
// can read it back. A key derived for one purpose never serves another, so
// that a hash made to find group links cannot be matched against anything
// else, and what one sealer seals another cannot open.
package subkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// Derive is the 32-byte key for purpose: HMAC-SHA256 of the purpose's
// label under the installation's secret key.
func Derive(secretKey []byte, purpose string) []byte {
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte("jodo subkey: " + purpose))
	return mac.Sum(nil)
}

// Hash is the keyed hash of s under key, in hex.
func Hash(key []byte, s string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(s))
	return hex.EncodeToString(mac.Sum(nil))
}

// Sealer seals and opens short secrets under one key.
type Sealer struct{ aead cipher.AEAD }

// NewSealer returns a Sealer under key (32 bytes: Derive's).
func NewSealer(key []byte) *Sealer {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // Derive's keys are always 32 bytes
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &Sealer{aead: aead}
}

// sealedPrefix names the format, so that a later one (a rotated key) can
// be told apart from this.
const sealedPrefix = "v1."

// Seal returns plain sealed, as text: "v1." and base64 of nonce and
// ciphertext. context binds it to its row (a group's id, say): sealed for
// one, it does not open for another.
func (s *Sealer) Seal(plain, context string) string {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plain), []byte(context)))
}

// ErrSealed is a sealed text that does not open: not made here, made for
// another context, or changed.
var ErrSealed = errors.New("subkey: the sealed text does not open")

// Open returns what Seal sealed with the same context.
func (s *Sealer) Open(sealed, context string) (string, error) {
	b64, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", ErrSealed
	}
	b, err := base64.RawURLEncoding.DecodeString(b64)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", ErrSealed
	}
	plain, err := s.aead.Open(nil, b[:s.aead.NonceSize()], b[s.aead.NonceSize():], []byte(context))
	if err != nil {
		return "", ErrSealed
	}
	return string(plain), nil
}
