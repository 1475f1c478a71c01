package signin

import (
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP is the address of the client behind r. X-Forwarded-For is
// believed only from a trusted proxy, and only as far as the chain of
// trusted proxies goes: reading from the right, the first hop that is not
// a trusted proxy is the client (anything left of it the client could have
// written itself). An unreadable hop ends the walk at the last trusted
// one, so garbage never picks a fresh address. Invalid when even the peer
// is unreadable.
func (s *Signin) ClientIP(r *http.Request) netip.Addr {
	addr := parseHop(r.RemoteAddr)
	if !s.trusted(addr) {
		return addr
	}
	hops := forwardedHops(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		hop := parseHop(hops[i])
		if !hop.IsValid() {
			return addr
		}
		addr = hop
		if !s.trusted(addr) {
			return addr
		}
	}
	return addr
}

func (s *Signin) trusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedHops splits X-Forwarded-For headers, in order, into hops.
func forwardedHops(values []string) []string {
	var hops []string
	for _, v := range values {
		hops = append(hops, strings.Split(v, ",")...)
	}
	return hops
}

// parseHop reads an address with or without a port ("192.0.2.1",
// "192.0.2.1:443", "[2001:db8::1]:443"), without its zone, an IPv4-mapped
// IPv6 address as IPv4; invalid if it is none of these.
func parseHop(s string) netip.Addr {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}
		}
		a = ap.Addr()
	}
	return a.WithZone("").Unmap()
}

// ipPrefix is the network the per-IP limit counts by: the address itself
// for IPv4 (a carrier NAT puts a town behind one, hence a generous limit),
// its /64 for IPv6 (one subscriber's allocation, which its owner can walk
// through at will).
func ipPrefix(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case !a.IsValid():
		return "unknown"
	case a.Is4():
		return netip.PrefixFrom(a, 32).String()
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.String()
}

// netPrefix is the wider network the per-network cap counts by: an IPv4
// /24, an IPv6 /48 (a site's allocation). One source holding many
// addresses in it cannot spend more than the cap.
func netPrefix(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	if !a.IsValid() {
		return "unknown"
	}
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p.String()
}
