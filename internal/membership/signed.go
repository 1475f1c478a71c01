package membership

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Purposes are written into every MAC, so a signature made for one link
// never passes as another's, nor as a keyed hash made elsewhere with the
// same installation key (links.Links uses its own prefixes).
const (
	verifyPurpose = "jodo membership verify\x00"
	cardPurpose   = "jodo membership card\x00"
)

// CardLinkTTL is how long a card link stays valid.
const CardLinkTTL = 30 * 24 * time.Hour

// sigLen bytes of HMAC-SHA256 (128 bits): plenty against online guessing,
// and short enough for a QR code and an SMS link (22 characters).
const sigLen = 16

// VerifySignature signs the verification link of a canonical number. It
// does not expire: it is printed on the card as a QR code.
func VerifySignature(key []byte, number string) string {
	return sign(key, verifyPurpose, number)
}

// CheckVerify reports whether sig is VerifySignature's for number.
func CheckVerify(key []byte, number, sig string) bool {
	return equal(sig, VerifySignature(key, number))
}

// VerifyURL is the link a card's QR code carries: baseURL (JODO_BASE_URL)
// + /verify/{number}?s=SIG. Without a valid s the page only says whether
// the number is valid.
func VerifyURL(baseURL string, key []byte, number string) string {
	return strings.TrimRight(baseURL, "/") + "/verify/" + number + "?s=" + VerifySignature(key, number)
}

// CardSignature signs the card image link of a canonical number until
// expires (to the second).
func CardSignature(key []byte, number string, expires time.Time) string {
	return sign(key, cardPurpose, number+"\x00"+strconv.FormatInt(expires.Unix(), 10))
}

// CheckCard reports whether sig is CardSignature's for number and expires,
// and now is before expires.
func CheckCard(key []byte, number string, expires time.Time, sig string, now time.Time) bool {
	return equal(sig, CardSignature(key, number, expires)) && now.Before(expires)
}

// CardURL is the expiring link to a card image, for the bot and the
// confirmation SMS: baseURL + /card/{number}.png?e=UNIX&s=SIG.
func CardURL(baseURL string, key []byte, number string, expires time.Time) string {
	q := url.Values{"e": {strconv.FormatInt(expires.Unix(), 10)}, "s": {CardSignature(key, number, expires)}}
	return strings.TrimRight(baseURL, "/") + "/card/" + number + ".png?" + q.Encode()
}

// CheckCardQuery checks the query of a card link for number (canonical,
// from the path): exactly one e, written as CardURL writes it, and one s.
func CheckCardQuery(key []byte, number string, q url.Values, now time.Time) bool {
	e, s := q["e"], q["s"]
	if len(e) != 1 || len(s) != 1 {
		return false
	}
	unix, err := strconv.ParseInt(e[0], 10, 64)
	if err != nil || strconv.FormatInt(unix, 10) != e[0] {
		return false
	}
	return CheckCard(key, number, time.Unix(unix, 0), s[0], now)
}

// sign is base64url HMAC-SHA256 over purpose and message, cut to sigLen.
// An empty key signs nothing anyone could not forge, so it never checks
// (equal refuses the empty signature it yields).
func sign(key []byte, purpose, message string) string {
	if len(key) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(purpose))
	mac.Write([]byte(message))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:sigLen])
}

// equal compares signatures in constant time; the empty one never matches.
func equal(got, want string) bool {
	return want != "" && hmac.Equal([]byte(got), []byte(want))
}
