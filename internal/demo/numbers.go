// Package demo is jodo demo's own world: the demo drive's generated
// history, the phone in the browser (/demo/phone) and the trickle of live
// arrivals through the real webhooks and the fake providers. Nothing in it
// is registered or run by jodo serve.
package demo

import (
	"fmt"
	"strings"
)

// The demo's people have placeholder numbers in one form of its own, +91
// 7000x xxxxx. India reserves no fictional range, so these could be
// someone's: the demo never sends anything to them outside itself (its
// SMS are kept or printed, its WhatsApp is a fake). The drive's own
// numbers and the demo admin are +91 70000 0000x, the phone page and the
// trickle use +91 70000 1xxxx to +91 70000 9xxxx, and the generated
// history +91 70001 00000 onwards.
const (
	// prefix is what every demo number starts with.
	prefix = "+917000"
	// livePrefix is the phone page's and the trickle's numbers.
	livePrefix = "+9170000"
	// MaxSeeded is how many numbers the generated history can hold.
	MaxSeeded = 900_000
)

// SeededPhone is the i-th number of the generated history (0 ≤ i <
// MaxSeeded): +91 70001 00000, +91 70001 00001, …
func SeededPhone(i int) string {
	return fmt.Sprintf("%s%06d", prefix, 100_000+i)
}

// LivePhone is the i-th number of the phone page and the trickle (0 ≤ i <
// 90,000): +91 70000 10000, …
func LivePhone(i int) string {
	return fmt.Sprintf("%s%05d", livePrefix, 10_000+i%90_000)
}

// IsLive reports whether e164 is one of the phone page's and the
// trickle's numbers: the page refuses any other, so the demo never
// messages a real person.
func IsLive(e164 string) bool {
	rest, ok := strings.CutPrefix(e164, livePrefix)
	return ok && len(rest) == 5 && rest >= "10000" && rest <= "99999" && strings.Trim(rest, "0123456789") == ""
}
