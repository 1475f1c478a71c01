package web

import (
	"net/netip"
	"testing"
)

// A mark keeps the network, never the address: an IPv4 /24 (also when
// mapped into IPv6), an IPv6 /64, nothing for an unknown address.
func TestNetwork(t *testing.T) {
	for in, want := range map[string]string{
		"49.36.12.201":          "49.36.12.0/24",
		"::ffff:49.36.12.201":   "49.36.12.0/24",
		"2409:40e1:1a:2b::9f:3": "2409:40e1:1a:2b::/64",
	} {
		if got := network(netip.MustParseAddr(in)); got != want {
			t.Errorf("network(%s) = %q, want %q", in, got, want)
		}
	}
	if got := network(netip.Addr{}); got != "" {
		t.Errorf("network of no address = %q", got)
	}
}

// A referral code is taken from a link only whole: nine symbols of the
// code alphabet, any case; a join code (ten) or anything around it is not
// one.
func TestRefCode(t *testing.T) {
	for in, want := range map[string]string{"k7m2q9xrt": "K7M2Q9XRT", "K7M2Q9XRT": "K7M2Q9XRT", " K7M2Q9XRT ": "K7M2Q9XRT",
		"K7M2Q9XRTA": "", "JOIN K7M2Q9XRT": "", "": "", "K7M2Q9XR!": ""} {
		if got, _ := refCode(in); got != want {
			t.Errorf("refCode(%q) = %q, want %q", in, got, want)
		}
	}
}
