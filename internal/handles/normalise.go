package handles

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/phone"
)

// maxInput bounds what is looked at at all: the longest profile link people
// paste, query string and all, is well under it.
const maxInput = 512

// rule is one platform's: the sites its profile links live on, how a link
// gives the name, and how a name is checked and brought to its normal form.
type rule struct {
	hosts    []string
	fromLink func(l link) (string, string) // name, or "" and a reason
	check    func(s string) (string, string)
	spaces   bool // spaces inside are part of what people write (phone numbers)
}

// Normalise returns the one form a handle is stored in, or an *Error whose
// Reason says why it was refused. It accepts what people paste: "name",
// "@name", a profile link with or without scheme, www./m./mobile./web.,
// trailing slash, query string or fragment; for WhatsApp a phone number.
// docs/volunteers.md lists the accepted forms and normal form of each.
func Normalise(platform, input string) (string, error) {
	r, ok := rules[platform]
	if !ok {
		return "", refuse(platform, UnknownPlatform)
	}
	s, reason := clean(input, r.spaces)
	if reason == "" && (isLink(s) || r.isHost(s)) {
		s, reason = r.name(s)
	}
	if reason == "" {
		s, reason = r.check(s)
	}
	if reason == "" && platform != "whatsapp" && looksLikeMobile(s) {
		reason = PhoneNumber
	}
	if reason != "" {
		return "", refuse(platform, reason)
	}
	return s, nil
}

// looksLikeMobile: a name that is a whole Indian mobile number (ten digits,
// perhaps after 0, 91 or +91) is someone's phone, which only WhatsApp's
// handle may be: shown to staff as a handle, it would skip the masking and
// the audited reveal that every number gets. Numeric Facebook ids are longer.
func looksLikeMobile(s string) bool {
	d := strings.TrimPrefix(s, "+")
	if strings.Trim(d, "0123456789") != "" || len(d) < 10 || len(d) > 12 {
		return false
	}
	e164, err := phone.Normalize(d)
	return err == nil && phone.IsMobile(e164)
}

// clean trims the spaces people paste around a handle and refuses what no
// platform's handle has: control and invisible characters, invalid UTF-8,
// spaces inside (except where the rule allows them).
func clean(input string, spaces bool) (string, string) {
	s := strings.TrimSpace(input)
	switch {
	case s == "":
		return "", Empty
	case len(s) > maxInput:
		return "", TooLong
	case !utf8.ValidString(s):
		return "", BadCharacters
	}
	for _, c := range s {
		if !unicode.IsPrint(c) || (c == ' ' && !spaces) {
			return "", BadCharacters
		}
	}
	return s, ""
}

// isLink: no platform's handle has a slash, so one means a link was pasted.
func isLink(s string) bool { return strings.Contains(s, "/") }

// isHost: "instagram.com" alone is a link without a profile, not a name.
func (r rule) isHost(s string) bool { return slices.Contains(r.hosts, siteOf(s)) }

// name takes the profile's name out of a link to one of the rule's sites.
func (r rule) name(s string) (string, string) {
	l, reason := parseLink(s)
	if reason != "" {
		return "", reason
	}
	if !slices.Contains(r.hosts, l.host) {
		return "", OtherSite
	}
	return r.fromLink(l)
}
