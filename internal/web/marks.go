package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/netip"

	"github.com/jodo-org/jodo/internal/subkey"
)

// Registration marks (for the coordinators' velocity flags, kept 30 days):
// the client's network (an IPv4 /24, an IPv6 /64) and a keyed hash of a
// random device id kept in a cookie; the registration notice names both.

// deviceCookieDays is how long the device cookie lives.
const deviceCookieDays = 30

// deviceCookie is the device cookie's name: __Host- on https, so no other
// host or path may set it.
func (h *Web) deviceCookie() string {
	if h.secure {
		return "__Host-jodo_device"
	}
	return "jodo_device"
}

// device is the keyed hash of the request's device id, giving the browser
// a new id first if it has none (or a malformed one).
func (h *Web) device(w http.ResponseWriter, r *http.Request) string {
	id := ""
	if c, err := r.Cookie(h.deviceCookie()); err == nil && len(c.Value) == 22 {
		if _, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			id = c.Value
		}
	}
	if id == "" {
		b := make([]byte, 16)
		rand.Read(b)
		id = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: h.deviceCookie(), Value: id, Path: "/", MaxAge: deviceCookieDays * 24 * 3600,
			HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	}
	return subkey.Hash(h.deviceKey, id)
}

// network is the address's network as the marks keep it: an IPv4 /24 or
// an IPv6 /64; "" when the address is unknown.
func network(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	a = a.Unmap()
	bits := 64
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}
