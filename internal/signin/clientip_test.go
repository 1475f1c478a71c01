package signin

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func proxied(trusted ...string) *Signin {
	var ps []netip.Prefix
	for _, p := range trusted {
		ps = append(ps, netip.MustParsePrefix(p))
	}
	return &Signin{cfg: withDefaults(Config{TrustedProxies: ps})}
}

func TestClientIP(t *testing.T) {
	s := proxied("10.0.0.0/8", "2001:db8:ffff::/48")
	for _, c := range []struct {
		peer string
		xff  []string
		want string
	}{
		{"192.0.2.1:5000", nil, "192.0.2.1"},
		{"192.0.2.1:5000", []string{"203.0.113.9"}, "192.0.2.1"},                           // untrusted peer: header ignored
		{"10.1.2.3:5000", nil, "10.1.2.3"},                                                 // a proxy with no header is the client
		{"10.1.2.3:5000", []string{"203.0.113.9"}, "203.0.113.9"},                          // one trusted proxy
		{"10.1.2.3:5000", []string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9"},            // the client's forged hop is skipped
		{"10.1.2.3:5000", []string{"198.51.100.1, 203.0.113.9, 10.9.9.9"}, "203.0.113.9"},  // two proxies
		{"10.1.2.3:5000", []string{"198.51.100.1", "203.0.113.9,10.9.9.9"}, "203.0.113.9"}, // several header lines
		{"10.1.2.3:5000", []string{"10.7.7.7, 10.9.9.9"}, "10.7.7.7"},                      // proxies all the way
		{"10.1.2.3:5000", []string{"203.0.113.9, nonsense"}, "10.1.2.3"},                   // garbage stops at the last trusted hop
		{"10.1.2.3:5000", []string{"nonsense, 10.9.9.9"}, "10.9.9.9"},
		{"10.1.2.3:5000", []string{"[2001:db8:1::7]:443"}, "2001:db8:1::7"},      // with a port
		{"10.1.2.3:5000", []string{" ::ffff:203.0.113.9 "}, "203.0.113.9"},       // IPv4-mapped
		{"[2001:db8:ffff:1::1]:443", []string{"2001:db8:1::7"}, "2001:db8:1::7"}, // an IPv6 proxy
		{"[::ffff:10.1.2.3]:5000", []string{"203.0.113.9"}, "203.0.113.9"},       // a mapped proxy address
		{"[fe80::1%eth0]:5000", nil, "fe80::1"},
		{"@", []string{"203.0.113.9"}, "invalid IP"}, // a unix socket peer
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.ClientIP(r).String(); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: got %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
}

func TestIPPrefix(t *testing.T) {
	for addr, want := range map[string]string{
		"198.51.100.7":                     "198.51.100.7/32",
		"::ffff:198.51.100.7":              "198.51.100.7/32",
		"2001:db8:1:2:3:4:5:6":             "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:ffff:ffff": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":                  "2001:db8:1:3::/64",
		"fe80::1%eth0":                     "fe80::/64",
	} {
		if got := ipPrefix(netip.MustParseAddr(addr)); got != want {
			t.Errorf("ipPrefix(%s) = %s, want %s", addr, got, want)
		}
	}
	if got := ipPrefix(netip.Addr{}); got != "unknown" {
		t.Errorf("ipPrefix of no address = %s", got)
	}
}

// FuzzClientIP: whatever the header holds, an untrusted peer is never
// looked past, and the answer is a clean address with nothing but
// readable, trusted hops to its right: a client cannot pick its address
// by writing the header.
func FuzzClientIP(f *testing.F) {
	f.Add("10.1.2.3:5000", "198.51.100.1, 203.0.113.9, 10.9.9.9")
	f.Add("192.0.2.1:5000", "203.0.113.9")
	f.Add("[2001:db8:ffff::1]:443", "[2001:db8::1]:80,::ffff:1.2.3.4")
	f.Add("10.0.0.1:1", ",,, ,")
	f.Add("10.0.0.1:1", "fe80::1%25eth0, 10.0.0.2")
	s := proxied("10.0.0.0/8", "2001:db8:ffff::/48")
	f.Fuzz(func(t *testing.T, peer, xff string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = peer
		r.Header.Set("X-Forwarded-For", xff)
		got := s.ClientIP(r)
		p := parseHop(peer)
		if !s.trusted(p) {
			if got != p {
				t.Fatalf("untrusted peer %q: got %v", peer, got)
			}
			return
		}
		if got.Zone() != "" || got.Is4In6() || ipPrefix(got) == "unknown" {
			t.Fatalf("peer %q, header %q: got %v, not a clean address", peer, xff, got)
		}
		hops := strings.Split(xff, ",")
		if got == p && !parseHop(hops[len(hops)-1]).IsValid() {
			return // nothing readable to go by
		}
		i := len(hops) - 1
		for i >= 0 && parseHop(hops[i]) != got {
			i--
		}
		if i < 0 {
			t.Fatalf("peer %q, header %q: got %v, neither the peer nor a hop", peer, xff, got)
		}
		for _, h := range hops[i+1:] {
			if !s.trusted(parseHop(h)) {
				t.Fatalf("peer %q, header %q: got %v, left of the untrusted hop %q", peer, xff, got, h)
			}
		}
	})
}
