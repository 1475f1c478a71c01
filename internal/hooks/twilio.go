package hooks

import (
	"io"
	"net/http"
	"net/url"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/respond"
)

// twilioVoice serves Twilio's voice webhook: the signature is checked over
// the URL Twilio called (JODO_BASE_URL + path), and the call is rejected as
// busy, so the caller pays nothing.
func (h *Hooks) twilioVoice(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		h.malformed(w, r, "twilio", body, err)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		h.malformed(w, r, "twilio", body, err)
		return
	}
	signed := h.baseURL + r.URL.Path
	if r.URL.RawQuery != "" {
		signed += "?" + r.URL.RawQuery
	}
	if h.twilioToken == "" || !intake.VerifyTwilio(h.twilioToken, signed, form, r.Header.Get("X-Twilio-Signature")) {
		h.rejected.WithLabelValues("twilio", "signature").Inc()
		respond.Error(w, r, h.log, apperr.New(apperr.Forbidden, "The request signature is not valid."))
		return
	}
	call, err := intake.ParseTwilioVoice(form)
	if err != nil {
		h.malformed(w, r, "twilio", body, err)
		return
	}
	h.record(w, r, call, body, "", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, intake.TwilioRejectBusy)
	})
}
