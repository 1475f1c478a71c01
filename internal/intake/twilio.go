package intake

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// TwilioRejectBusy is the TwiML answer to an incoming call that rejects it
// with a busy tone: the call is never answered, so the caller is not charged.
const TwilioRejectBusy = `<?xml version="1.0" encoding="UTF-8"?>
<Response><Reject reason="busy"/></Response>
`

// ParseTwilioVoice reads Twilio's incoming-call webhook form. Numbers are
// E.164; a withheld caller may arrive as "anonymous". The payload carries no
// call time, so At is zero and the handler stamps its own clock.
func ParseTwilioVoice(v url.Values) (Call, error) {
	c := Call{
		Provider: ProviderTwilio,
		CallID:   twilioText(v, "CallSid"),
		From:     twilioText(v, "From", "Caller"),
		To:       twilioText(v, "To", "Called"),
	}
	if err := checkCall(c, "CallSid", "From", "To"); err != nil {
		return Call{}, err
	}
	return c, nil
}

// twilioText returns the first non-empty parameter among names (the legacy
// Caller/Called duplicate From/To).
func twilioText(v url.Values, names ...string) string {
	for _, name := range names {
		if s := strings.TrimSpace(v.Get(name)); s != "" {
			return s
		}
	}
	return ""
}

// TwilioSignature is the X-Twilio-Signature Twilio sends for a request to
// fullURL with POST form: base64(HMAC-SHA1(authToken, fullURL followed by each
// parameter's name and value, sorted by name)). Empty values count. Repeated
// names contribute each value, values sorted, as twilio-python does.
func TwilioSignature(authToken, fullURL string, form url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	for _, name := range slices.Sorted(maps.Keys(form)) {
		for _, value := range slices.Sorted(slices.Values(form[name])) {
			mac.Write([]byte(name))
			mac.Write([]byte(value))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// TwilioSignatureWellFormed says whether signature can be an
// X-Twilio-Signature at all (the base64 of an HMAC-SHA1), which a handler
// can know before it reads the body: one that cannot is refused unread.
func TwilioSignatureWellFormed(signature string) bool {
	mac, err := base64.StdEncoding.DecodeString(signature)
	return err == nil && len(mac) == sha1.Size
}

// VerifyTwilio reports whether signature is Twilio's signature of a request to
// fullURL with POST form. fullURL must be the URL configured at Twilio (public
// scheme and host from configuration, path, and query if any), not one rebuilt
// from the request behind a proxy.
//
// Like Twilio's SDKs it also accepts the signature of the same URL with the
// default port written out or left off, because Twilio's own signing is not
// consistent about it. An empty auth token verifies nothing.
func VerifyTwilio(authToken, fullURL string, form url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	ok := hmac.Equal([]byte(TwilioSignature(authToken, fullURL, form)), []byte(signature))
	if alt, has := otherPortForm(fullURL); has {
		// Both forms are always computed, so timing does not reveal which matched.
		altOK := hmac.Equal([]byte(TwilioSignature(authToken, alt, form)), []byte(signature))
		ok = ok || altOK
	}
	return ok
}

// otherPortForm returns rawURL with its scheme's default port added when it
// has no port, or removed when it has exactly that port. The rest of the URL
// is left byte for byte as it was, since any re-encoding changes the signature.
func otherPortForm(rawURL string) (string, bool) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return "", false
	}
	var port string
	switch strings.ToLower(scheme) {
	case "https":
		port = ":443"
	case "http":
		port = ":80"
	default:
		return "", false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host, tail := rest[:end], rest[end:]
	if strings.Contains(host, "@") || strings.HasSuffix(host, "]") {
		return "", false // userinfo or bare IPv6: not a form Twilio is configured with
	}
	switch {
	case strings.HasSuffix(host, port):
		host = strings.TrimSuffix(host, port)
	case strings.Contains(host, ":"):
		return "", false // some other port: only that form is right
	default:
		host += port
	}
	return scheme + "://" + host + tail, true
}
