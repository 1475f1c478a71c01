package directory

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// A search's cursor says where a page ended, and for a name search that is
// a name (the last row's matching key). It travels in links, request
// bodies and API clients' logs, so it leaves Jodo sealed: AES-GCM under a
// key derived from JODO_SECRET_KEY for this purpose only. A cursor cannot
// be read, and one that was not made here (or was changed) is refused.

var errCursor = apperr.New(apperr.Invalid, "This page link cannot be read; start the search again.")

func newCursorAEAD(secretKey []byte) cipher.AEAD {
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte("jodo search cursor"))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key is always a valid AES key
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

// sealCursor is the cursor as it leaves Jodo.
func (d *Directory) sealCursor(c store.PeopleCursor) string {
	nonce := make([]byte, d.cursors.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(d.cursors.Seal(nonce, nonce, []byte(c.String()), nil))
}

// openCursor reads a sealed cursor; "" is the first page.
func (d *Directory) openCursor(s string) (store.PeopleCursor, error) {
	if s == "" {
		return store.PeopleCursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < d.cursors.NonceSize() {
		return store.PeopleCursor{}, errCursor
	}
	n := d.cursors.NonceSize()
	plain, err := d.cursors.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return store.PeopleCursor{}, errCursor
	}
	return store.ParsePeopleCursor(string(plain))
}
