// Package intake owns what people send Jodo on its way to being durable,
// for every channel alike. The missed-call providers' wire formats: parsing
// and verifying each (Exotel Passthru, MyOperator after-call, Twilio voice,
// and Jodo's own generic JSON), turning them into one Call. And the
// recorders, one per channel, that turn a parsed item into inbox rows,
// people and leads: each normalises numbers in the caller's goroutine,
// routes items to the drive whose channel received them at their time (in
// the drive's zone), and writes them through a group commit, returning
// only once they are committed: Recorder for calls, WhatsAppRecorder for
// WhatsApp notifications (parsed by internal/whatsapp). How many batches
// of each commit at once is decided in writers.go.
//
// The parsers and verifiers are pure: no HTTP routing, no database, and no
// number normalisation. Numbers stay as the provider sent them
// (internal/phone normalises, in the recorders), so a Call can always be
// traced back to the request that carried it.
package intake

import (
	"errors"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	_ "time/tzdata" // Exotel's zone-less times are IST; the binary must not depend on the host's zoneinfo.
)

// Call is one missed call as a provider reported it.
type Call struct {
	Provider string    // "exotel", "myoperator", "twilio", "generic"
	CallID   string    // the provider's unique id for the call; never empty
	From     string    // caller number, raw as sent; "" or "anonymous" when withheld
	To       string    // called number, raw; "" when the provider does not send one (MyOperator)
	At       time.Time // provider's call time; zero if absent or unparseable
}

// Provider names, as stored in Call.Provider.
const (
	ProviderExotel     = "exotel"
	ProviderMyOperator = "myoperator"
	ProviderTwilio     = "twilio"
	ProviderGeneric    = "generic"
)

// ErrMalformed is wrapped by every parse error, so a handler can tell a bad
// request (answer 400) apart from its own failures.
var ErrMalformed = errors.New("malformed missed-call request")

// malformedError carries the reason a person reads ("exotel: CallSid is
// missing") while still matching errors.Is(err, ErrMalformed).
type malformedError struct{ reason string }

func (e *malformedError) Error() string { return e.reason }
func (e *malformedError) Unwrap() error { return ErrMalformed }

func malformed(format string, args ...any) error {
	return &malformedError{reason: fmt.Sprintf(format, args...)}
}

// Limits on what a Call may carry. Real ids are 16–34 characters and numbers
// under 20; anything far longer is not a provider talking.
const (
	maxCallID = 128
	maxNumber = 64
)

// checkCall rejects what the store could not keep or a person could not read:
// a missing id, oversized values, invalid UTF-8 and control characters
// (PostgreSQL refuses NUL in text). Names are the provider's field names, so
// the error points at the parameter that was wrong.
func checkCall(c Call, idName, fromName, toName string) error {
	if c.CallID == "" {
		return malformed("%s: %s is missing", c.Provider, idName)
	}
	fields := []struct {
		name, value string
		max         int
	}{
		{idName, c.CallID, maxCallID},
		{fromName, c.From, maxNumber},
		{toName, c.To, maxNumber},
	}
	for _, f := range fields {
		if len(f.value) > f.max {
			return malformed("%s: %s is longer than %d bytes", c.Provider, f.name, f.max)
		}
		if !printable(f.value) {
			return malformed("%s: %s is not printable text", c.Provider, f.name)
		}
	}
	return nil
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
