package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// Why VerifySignature refused a request. A missing or malformed header is a
// request that did not come from Meta (or a proxy that dropped the header); a
// mismatch is a body altered on the way, a wrong app secret, or a forgery.
var (
	ErrNoAppSecret        = errors.New("whatsapp: no app secret configured")
	ErrSignatureMissing   = errors.New("whatsapp: X-Hub-Signature-256 header missing")
	ErrSignatureMalformed = errors.New(`whatsapp: X-Hub-Signature-256 header is not "sha256=" and 64 hex digits`)
	ErrSignatureMismatch  = errors.New("whatsapp: X-Hub-Signature-256 does not match the body")
)

const signaturePrefix = "sha256="

// Signature is the X-Hub-Signature-256 value Meta sends with body:
// "sha256=" and the lowercase hex HMAC-SHA256 of the raw body keyed with the
// app secret. Fakes of Meta in tests sign with it.
func Signature(appSecret, body []byte) string {
	return signaturePrefix + hex.EncodeToString(mac(appSecret, body))
}

// VerifySignature checks header, the request's X-Hub-Signature-256, against
// the raw request body. It must see the bytes exactly as they arrived: Meta
// signs its own serialisation (non-ASCII text as \uXXXX escapes, "/" perhaps
// as "\/"), which re-encoding decoded JSON does not reproduce.
func VerifySignature(appSecret []byte, body []byte, header string) error {
	if len(appSecret) == 0 {
		return ErrNoAppSecret // an empty key is one anybody can sign with
	}
	got, err := signatureOf(header)
	if err != nil {
		return err
	}
	if !hmac.Equal(got, mac(appSecret, body)) {
		return ErrSignatureMismatch
	}
	return nil
}

// CheckSignatureHeader says whether header, an X-Hub-Signature-256, is
// present and well-formed, which a handler can know before it reads the
// body: a request without one is refused unread.
func CheckSignatureHeader(header string) error {
	_, err := signatureOf(header)
	return err
}

// signatureOf reads the HMAC out of an X-Hub-Signature-256 header.
func signatureOf(header string) ([]byte, error) {
	header = strings.TrimSpace(header)
	if header == "" {
		return nil, ErrSignatureMissing
	}
	if len(header) < len(signaturePrefix) || !strings.EqualFold(header[:len(signaturePrefix)], signaturePrefix) {
		return nil, ErrSignatureMalformed
	}
	got, err := hex.DecodeString(header[len(signaturePrefix):])
	if err != nil || len(got) != sha256.Size {
		return nil, ErrSignatureMalformed
	}
	return got, nil
}

func mac(key, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(body)
	return h.Sum(nil)
}
