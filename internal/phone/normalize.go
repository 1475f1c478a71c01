package phone

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// region is assumed for numbers written without a country code.
const region = "IN"

// trimSet is what providers wrap numbers in: CSV-style quotes and stray
// whitespace. phonenumbers refuses a number with a trailing quote, so both
// paths see the number without them.
const trimSet = " \t\r\n\"'"

// Normalize returns the E.164 form of a number as Indian providers send it:
// "09876543210", "+919876543210", "919876543210", "9876543210",
// " \"09876543210\" ", "+91 98765 43210" → "+919876543210";
// "1800 000 0000" → "+9118000000000" (toll free); "0651-2345678" →
// "+916512345678" (a Ranchi landline); "+14155552671" stays as it is.
//
// Input with any letter is refused before parsing: phonenumbers would read
// letters off a keypad ("+91 98111 ABCDE" → "+919811122233"), and a
// number nobody typed must not become a lead or get an SMS.
//
// A number is accepted only if phonenumbers (region IN) parses it and
// IsValidNumber holds. That holds on the fast path too (it takes only what
// the prefix table knows to be valid), so the fast path changes speed, never
// answers. A number with an extension is refused, because E.164 would
// silently drop it. Every error matches ErrInvalid and is an *InvalidError
// with a reason.
func Normalize(raw string) (string, error) {
	s := strings.Trim(raw, trimSet)
	if s == "" {
		return "", invalid("empty")
	}
	if e164, ok := fastNormalize(s); ok {
		return e164, nil
	}
	if strings.IndexFunc(s, unicode.IsLetter) >= 0 {
		return "", invalid("has letters")
	}
	return parseNormalize(s)
}

// maxFastLen keeps the fast path to caller-ID-sized input, well under the
// 250 bytes beyond which phonenumbers refuses to parse.
const maxFastLen = 24

// fastNormalize handles the common Indian shapes: "+91", "91", "0" or
// nothing, then a national number of 10 or 11 digits (1800… toll free) not
// starting with 0, with spaces or hyphens between digits. It declines (ok
// false) anything else, and any number the prefix table does not know to be
// valid, leaving those to phonenumbers.
func fastNormalize(s string) (e164 string, ok bool) {
	if len(s) > maxFastLen {
		return "", false
	}
	var buf [maxFastLen]byte
	digits := buf[:0]
	plus := strings.HasPrefix(s, "+")
	for i := range len(s) {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '-' || (c == '+' && i == 0):
		default:
			return "", false
		}
	}
	nsn := nationalPart(digits, plus)
	if len(nsn) == 0 || nsn[0] == '0' {
		return "", false
	}
	t := table()
	if t == nil {
		return "", false
	}
	if c := classOf(t, nsn); c == classInvalid || c == classAsk {
		return "", false
	}
	if plus && len(s) == len(digits)+1 {
		return s, true // already E.164: no allocation
	}
	return "+91" + string(nsn), true
}

// nationalPart strips "+91", "91" or the trunk "0" from the digits of one of
// the fast path's shapes; nil if they are in none. The shapes cannot be
// confused with each other: with the national number 10 or 11 digits long
// and not starting with 0, the first digit or the length tells them apart.
// Bare 11 digits starting 91 are taken as an 11-digit national number:
// phonenumbers strips such a 91 only when the 11 digits match no Indian
// pattern, and then the table calls them invalid and the fast path declines.
func nationalPart(digits []byte, plus bool) []byte {
	n := len(digits)
	switch {
	case n == 0:
		return nil
	case !plus && digits[0] == '0':
		return digits[1:]
	case plus || n == 2+minTableLen || n == 2+maxTableLen:
		if n < 2 || digits[0] != '9' || digits[1] != '1' {
			return nil
		}
		return digits[2:]
	default:
		return digits
	}
}

// parseNormalize is the general path, and the reference the fast path is
// fuzzed against.
func parseNormalize(s string) (string, error) {
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", invalid(parseReason(err))
	}
	if n.GetExtension() != "" {
		return "", invalid("has an extension")
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", invalid(invalidReason(n))
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

func parseReason(err error) string {
	switch err {
	case phonenumbers.ErrInvalidCountryCode:
		return "unknown country code"
	case phonenumbers.ErrTooShortNSN, phonenumbers.ErrTooShortAfterIDD:
		return "too short"
	case phonenumbers.ErrNumTooLong:
		return "too long"
	default:
		return "not a number"
	}
}

func invalidReason(n *phonenumbers.PhoneNumber) string {
	switch phonenumbers.IsPossibleNumberWithReason(n) {
	case phonenumbers.TOO_SHORT:
		return "too short"
	case phonenumbers.TOO_LONG:
		return "too long"
	case phonenumbers.INVALID_LENGTH:
		return "wrong length"
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "unknown country code"
	default:
		return "not a valid number"
	}
}
