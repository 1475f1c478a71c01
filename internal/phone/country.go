package phone

import (
	"slices"

	"github.com/nyaruka/phonenumbers"
)

// Region is the country of a number in E.164 as phonenumbers decides it,
// an ISO 3166 region code ("IN" for +91…, "US" or "CA" for +1…); "" if
// it is no valid number. Indian numbers are answered without parsing:
// +91 is India's alone.
func Region(e164 string) string {
	if _, ok := indianNational(e164); ok {
		return region
	}
	n, err := phonenumbers.Parse(e164, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(n)
}

// Countries are the countries an installation serves (JODO_COUNTRIES),
// its home country first. Sign-in codes and follow-up SMS go only to
// their numbers (an Indian DLT template is no use elsewhere, and SMS
// pumping lives on foreign premium ranges), and calls from elsewhere make
// no lead. Empty serves India alone, JODO_COUNTRIES' default.
type Countries []string

// Home is the first country served.
func (c Countries) Home() string {
	if len(c) == 0 {
		return region
	}
	return c[0]
}

// Serves reports whether a number in E.164 belongs to a country served,
// and which country it belongs to.
func (c Countries) Serves(e164 string) (country string, ok bool) {
	country = Region(e164)
	if len(c) == 0 {
		return country, country == region
	}
	return country, country != "" && slices.Contains(c, country)
}
