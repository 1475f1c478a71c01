package hooks

import (
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/respond"
)

// twilioVoice serves Twilio's voice webhook: the signature is checked over
// the URL Twilio called (JODO_BASE_URL + path) before anything is kept, and
// the call is rejected as busy, so the caller pays nothing.
func (h *Hooks) twilioVoice(w http.ResponseWriter, r *http.Request) {
	const provider = "twilio"
	if h.twilioToken == "" {
		h.unconfigured(w, r, provider)
		return
	}
	sig := r.Header.Get("X-Twilio-Signature")
	if !intake.TwilioSignatureWellFormed(sig) {
		h.badSignature(w, r)
		return
	}
	body, err := h.readUnverified(w, r, maxBody)
	if errors.Is(err, errBusy) {
		respond.Error(w, r, h.log, err)
		return
	}
	if err != nil {
		h.badSignature(w, r) // what was not read whole cannot be verified
		return
	}
	form, err := url.ParseQuery(string(body))
	signed := h.baseURL + r.URL.Path
	if r.URL.RawQuery != "" {
		signed += "?" + r.URL.RawQuery
	}
	if err != nil || !intake.VerifyTwilio(h.twilioToken, signed, form, sig) {
		h.badSignature(w, r)
		return
	}
	call, err := intake.ParseTwilioVoice(form)
	if err != nil {
		h.malformed(w, r, provider, body, err)
		return
	}
	h.record(w, r, call, body, "", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, intake.TwilioRejectBusy)
	})
}

func (h *Hooks) badSignature(w http.ResponseWriter, r *http.Request) {
	h.rejected.WithLabelValues("twilio", "signature").Inc()
	respond.Error(w, r, h.log, apperr.New(apperr.Forbidden, "The request signature is not valid."))
}
