package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/url"
)

// VerifyChallenge answers Meta's GET handshake, sent when the callback URL or
// verify token is saved in the App Dashboard:
//
//	?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=<token>
//
// When the mode is subscribe and the token is the configured one, ok is true
// and the handler replies 200 with challenge as a plain-text body; otherwise
// it replies 403. An empty configured token or an empty challenge is never ok.
func VerifyChallenge(query url.Values, verifyToken string) (challenge string, ok bool) {
	challenge = query.Get("hub.challenge")
	if verifyToken == "" || challenge == "" || query.Get("hub.mode") != "subscribe" {
		return "", false
	}
	// Comparing digests keeps the time taken independent of the token, its
	// length included.
	want := sha256.Sum256([]byte(verifyToken))
	got := sha256.Sum256([]byte(query.Get("hub.verify_token")))
	if !hmac.Equal(got[:], want[:]) {
		return "", false
	}
	return challenge, true
}
