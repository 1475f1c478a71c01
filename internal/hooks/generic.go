package hooks

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/respond"
)

// generic serves any other provider posting {"call_id","from","to","at"}.
func (h *Hooks) generic(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.channel(w, r, "generic"); !ok {
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		h.malformed(w, r, "generic", body, err)
		return
	}
	call, err := intake.ParseGeneric(body)
	if err != nil {
		h.malformed(w, r, "generic", body, err)
		return
	}
	h.record(w, r, call, body, "", func(w http.ResponseWriter) {
		respond.JSON(w, http.StatusOK, map[string]string{"status": "stored"})
	})
}
