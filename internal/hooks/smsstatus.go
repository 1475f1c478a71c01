package hooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/reports"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/store"
)

// SMSStatusSecret is the secret in the delivery-report URL Jodo gives
// Exotel with each SMS. It is derived from JODO_SECRET_KEY, so there is
// nothing more to configure and every node computes the same one.
func SMSStatusSecret(secretKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte("jodo exotel sms status"))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}

// SMSStatusURL is that URL under baseURL.
func SMSStatusURL(baseURL, secretKey string) string {
	return baseURL + "/hooks/exotel/sms-status/" + SMSStatusSecret(secretKey)
}

// exotelSMSStatus receives Exotel's SMS delivery reports: stored, then
// applied to the outbox (forward only), then acknowledged. A report for a
// message not found yet is kept and retried (reports.Retrier).
func (h *Hooks) exotelSMSStatus(w http.ResponseWriter, r *http.Request) {
	const provider = "exotel_sms"
	if h.smsSecret == "" || !hmac.Equal([]byte(r.PathValue("secret")), []byte(h.smsSecret)) {
		h.rejected.WithLabelValues(provider, "secret").Inc()
		respond.Error(w, r, h.log, apperr.New(apperr.NotFound, "There is nothing at this address."))
		return
	}
	raw, err := readBody(w, r)
	if err != nil {
		h.malformed(w, r, provider, raw, err)
		return
	}
	form, err := url.ParseQuery(string(raw))
	if err != nil {
		h.malformed(w, r, provider, raw, err)
		return
	}
	st, err := sms.ParseExotelStatus(form)
	if err == nil && len(reports.ExotelItem(st, raw).Key) > store.MaxInboxKey {
		err = fmt.Errorf("exotel: SmsSid and Status are longer than %d bytes together", store.MaxInboxKey)
	}
	if err != nil {
		h.malformed(w, r, provider, raw, err)
		return
	}
	outcome, err := reports.Receive(r.Context(), h.db, st, raw)
	if err != nil {
		respond.Error(w, r, h.log, err)
		return
	}
	h.reports.WithLabelValues("exotel", string(outcome)).Inc()
	ok(w)
}
