package phone

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Mask shows a number safely in logs and pages: the country code, then the
// first two and last two digits of the national number, "+91 98xxxxxx10".
// Input that is not E.164 is masked as a national number from its digits
// alone, and numbers shorter than 8 digits are masked entirely, since two and
// two would give most of them away.
func Mask(e164 string) string {
	digits, ok := strings.CutPrefix(e164, "+")
	if !ok || !isDigits(digits) {
		return maskNational(keepDigits(e164))
	}
	cc := countryCodeLen(digits)
	if cc == 0 {
		return "+" + maskNational(digits)
	}
	return "+" + digits[:cc] + " " + maskNational(digits[cc:])
}

// countryCodeLen finds the country code: calling codes are prefix-free, so
// the first known one is it. 0 if there is none.
func countryCodeLen(digits string) int {
	for n := 1; n <= 3 && n < len(digits); n++ {
		cc, _ := strconv.Atoi(digits[:n])
		if phonenumbers.GetRegionCodeForCountryCode(cc) != phonenumbers.UNKNOWN_REGION {
			return n
		}
	}
	return 0
}

func maskNational(d string) string {
	if len(d) < 8 {
		return strings.Repeat("x", len(d))
	}
	return d[:2] + strings.Repeat("x", len(d)-4) + d[len(d)-2:]
}

func keepDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
