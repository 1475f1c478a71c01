package hooks

import (
	"net/http"
	"net/url"

	"github.com/jodo-org/jodo/internal/intake"
)

// exotel serves Exotel's Passthru applet: GET with the call in the query
// string, or POST with it in a form body.
func (h *Hooks) exotel(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.channel(w, r, "exotel"); !ok {
		return
	}
	raw := []byte(r.URL.RawQuery)
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		body, err := readBody(w, r)
		if err != nil {
			h.malformed(w, r, "exotel", body, err)
			return
		}
		raw = body
		posted, err := url.ParseQuery(string(body))
		if err != nil {
			h.malformed(w, r, "exotel", raw, err)
			return
		}
		for k, v := range posted {
			form[k] = v
		}
	}
	call, err := intake.ParseExotel(form)
	if err != nil {
		h.malformed(w, r, "exotel", raw, err)
		return
	}
	h.record(w, r, call, raw, "", ok)
}
