package hooks

import (
	"errors"
	"io"
	"net/http"

	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// maxWhatsAppBody is Meta's limit on a webhook POST (3 MB), with room.
const maxWhatsAppBody = 4 << 20

// whatsappVerify answers Meta's subscription handshake.
func (h *Hooks) whatsappVerify(w http.ResponseWriter, r *http.Request) {
	if h.waVerifyToken == "" {
		h.unconfigured(w, r, "whatsapp")
		return
	}
	challenge, ok := whatsapp.VerifyChallenge(r.URL.Query(), h.waVerifyToken)
	if !ok {
		h.rejected.WithLabelValues("whatsapp", "verify_token").Inc()
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, challenge)
}

// whatsappEvents receives Meta's notifications: a POST without a
// well-formed signature is refused unread, the signature is checked over
// the raw body before anything is parsed (401 and nothing stored
// otherwise), the intake stores every message and status, deduplicated,
// and only then is the POST acknowledged.
func (h *Hooks) whatsappEvents(w http.ResponseWriter, r *http.Request) {
	if h.waAppSecret == "" || h.wa == nil {
		h.unconfigured(w, r, "whatsapp")
		return
	}
	header := r.Header.Get("X-Hub-Signature-256")
	if err := whatsapp.CheckSignatureHeader(header); err != nil {
		h.waUnsigned(w)
		return
	}
	raw, err := h.readUnverified(w, r, maxWhatsAppBody)
	if errors.Is(err, errBusy) {
		respond.Error(w, r, h.log, err)
		return
	}
	if err != nil {
		h.waUnsigned(w) // what was not read whole cannot be verified
		return
	}
	if err := whatsapp.VerifySignature([]byte(h.waAppSecret), raw, header); err != nil {
		h.waUnsigned(w)
		return
	}
	n, err := whatsapp.Parse(raw)
	if err != nil {
		h.malformed(w, r, "whatsapp", raw, err)
		return
	}
	results, err := h.wa.Record(r.Context(), n, h.waRejected(n.Rejected))
	if err != nil {
		respond.Error(w, r, h.log, err)
		return
	}
	for _, res := range results {
		h.waMessages.WithLabelValues(outcome(res.Duplicate, res.Note, res.NewLead)).Inc()
	}
	ok(w)
}

func (h *Hooks) waUnsigned(w http.ResponseWriter) {
	h.rejected.WithLabelValues("whatsapp", "signature").Inc()
	http.Error(w, "signature does not match", http.StatusUnauthorized)
}

// waRejected are the inbox items that keep a signed body's rejected items
// (whatsapp.Rejected) for diagnosis, within the cap on kept malformed
// items: stored processed, with the reason, for no worker.
func (h *Hooks) waRejected(rs []whatsapp.Rejected) []store.InboxItem {
	var out []store.InboxItem
	for _, rj := range rs {
		h.rejected.WithLabelValues("whatsapp", "malformed").Inc()
		if it, ok := h.unreadable("whatsapp", rj.Raw, rj.Reason); ok {
			out = append(out, it)
		}
	}
	return out
}
