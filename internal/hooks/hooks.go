// Package hooks serves the providers' webhooks: it checks each request's
// secret or signature, hands the parsed item to the intake, and answers
// only once the item is durable.
//
// Nothing an unauthenticated sender sends is stored. A route whose
// provider is not configured, or whose URL secret is wrong, is a 404
// before the body is read; a missing or malformed signature is refused
// before the body is read, and a wrong one after a bounded read (403
// Twilio, 401 WhatsApp). All are counted in jodo_hook_rejected_total.
package hooks

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// maxBody bounds a missed-call webhook: real ones are well under 4 KB.
const maxBody = 64 << 10

// Hooks holds the webhook handlers' dependencies.
type Hooks struct {
	rec       *intake.Recorder
	db        *store.DB
	smsSecret string
	reports   *prometheus.CounterVec
	// WhatsApp: the handshake's verify token and the app secret that signs
	// every POST.
	waVerifyToken, waAppSecret string
	waMessages                 *prometheus.CounterVec
	wa                         *intake.WhatsAppRecorder
	secrets                    *secretBook
	twilioToken                string
	baseURL                    string
	log                        *slog.Logger
	calls                      *prometheus.CounterVec
	rejected                   *prometheus.CounterVec
	// unverified holds a slot for each body being read before its
	// signature can be checked (Twilio, WhatsApp).
	unverified chan struct{}
	// unverifiedWait is how long a body waits for a reading slot.
	unverifiedWait time.Duration
	kept           keepCap
}

// UnverifiedReads bounds how many bodies are read at once before their
// signature is checked: a forger with a well-formed header can make Jodo
// read at most this many (up to 4 MB each, WhatsApp's bound) at a time;
// the rest wait. Meta's and Twilio's real requests are small and quick.
const UnverifiedReads = 8

// Deps is what New needs.
type Deps struct {
	DB          *store.DB
	Recorder    *intake.Recorder
	Env         config.Env
	HookSecret  string // JODO_HOOK_SECRET
	TwilioToken string // JODO_TWILIO_AUTH_TOKEN
	BaseURL     string // JODO_BASE_URL: the URL Twilio signs
	SecretKey   string // JODO_SECRET_KEY: derives the delivery-report secret; "" serves no reports
	// WhatsAppVerifyToken and WhatsAppAppSecret are JODO_WHATSAPP_VERIFY_TOKEN
	// and JODO_WHATSAPP_APP_SECRET; empty refuses every request.
	WhatsAppVerifyToken, WhatsAppAppSecret string
	// WhatsApp stores WhatsApp POSTs; without it the WhatsApp POST route
	// answers as unconfigured.
	WhatsApp *intake.WhatsAppRecorder
	Log      *slog.Logger
	Metrics  prometheus.Registerer
	// UnverifiedWait bounds a body's wait for a reading slot before it is
	// answered 429 (0: 5 s; tests shorten it).
	UnverifiedWait time.Duration
}

// New returns the webhook handlers and registers their metrics.
func New(d Deps) *Hooks {
	h := &Hooks{
		rec:           d.Recorder,
		db:            d.DB,
		smsSecret:     SMSStatusSecret(d.SecretKey),
		waVerifyToken: d.WhatsAppVerifyToken, waAppSecret: d.WhatsAppAppSecret, wa: d.WhatsApp,
		secrets:        &secretBook{db: d.DB, env: d.Env, global: d.HookSecret},
		twilioToken:    d.TwilioToken,
		baseURL:        d.BaseURL,
		log:            d.Log,
		unverified:     make(chan struct{}, UnverifiedReads),
		unverifiedWait: cmp.Or(d.UnverifiedWait, defaultUnverifiedWait),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jodo_missed_calls_total",
			Help: "Missed-call webhooks stored, by provider and outcome (lead, known, duplicate, kept: stored without a lead).",
		}, []string{"provider", "outcome"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jodo_hook_rejected_total",
			Help: "Webhooks refused, by provider and reason (unconfigured, secret, signature, verify_token, malformed: kept, malformed_dropped: over the hourly cap, not kept).",
		}, []string{"provider", "reason"}),
	}
	h.reports = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "jodo_delivery_reports_total",
		Help: "Delivery reports received, by provider and outcome (applied, stale, pending: message not found yet, duplicate).",
	}, []string{"provider", "outcome"})
	if d.SecretKey == "" {
		h.smsSecret = ""
	}
	h.waMessages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "jodo_whatsapp_messages_total",
		Help: "Inbound WhatsApp messages stored, by outcome (lead, known, duplicate, kept: stored without a lead).",
	}, []string{"outcome"})
	d.Metrics.MustRegister(h.calls, h.rejected, h.reports, h.waMessages)
	return h
}

// Routes registers the webhook routes.
func (h *Hooks) Routes(mux *server.Mux) {
	mux.HandleFunc("GET /hooks/exotel/{secret}", h.exotel)
	mux.HandleFunc("POST /hooks/exotel/{secret}", h.exotel)
	mux.HandleFunc("POST /hooks/myoperator/{secret}", h.myOperator)
	mux.HandleFunc("POST /hooks/twilio/voice", h.twilioVoice)
	mux.HandleFunc("POST /hooks/missed-call/{secret}", h.generic)
	mux.HandleFunc("POST /hooks/exotel/sms-status/{secret}", h.exotelSMSStatus)
	mux.HandleFunc("GET /hooks/whatsapp", h.whatsappVerify)
	mux.HandleFunc("POST /hooks/whatsapp", h.whatsappEvents)
}

// channel checks the URL's secret; a wrong one is answered 404, like any
// address that does not exist.
func (h *Hooks) channel(w http.ResponseWriter, r *http.Request, provider string) (string, bool) {
	number, ok := h.secrets.lookup(r.Context(), r.PathValue("secret"))
	if !ok {
		h.rejected.WithLabelValues(provider, "secret").Inc()
		respond.Error(w, r, h.log, apperr.New(apperr.NotFound, "There is nothing at this address."))
	}
	return number, ok
}

// record stores a parsed call and answers the provider once it is durable.
func (h *Hooks) record(w http.ResponseWriter, r *http.Request, c intake.Call, raw []byte, to string, answer func(http.ResponseWriter)) {
	res, err := h.rec.Record(r.Context(), c, raw, to)
	if err != nil {
		respond.Error(w, r, h.log, err)
		return
	}
	h.calls.WithLabelValues(c.Provider, outcome(res.Duplicate, res.Note, res.NewLead)).Inc()
	answer(w)
}

// outcome is how a stored call or message is counted: a duplicate, kept
// without a lead (note says why), a new lead, or from a known lead.
func outcome(duplicate bool, note string, newLead bool) string {
	switch {
	case duplicate:
		return "duplicate"
	case note != "":
		return "kept"
	case newLead:
		return "lead"
	}
	return "known"
}

// unconfigured answers a request to a provider Jodo has no credentials
// for like an address that does not exist, without reading its body.
func (h *Hooks) unconfigured(w http.ResponseWriter, r *http.Request, provider string) {
	h.rejected.WithLabelValues(provider, "unconfigured").Inc()
	respond.Error(w, r, h.log, apperr.New(apperr.NotFound, "There is nothing at this address."))
}

// malformed keeps a request of an authenticated sender that no parser
// could read (under a digest of its bytes, so repeats are harmless; capped,
// keep.go) and answers 400 with the reason.
func (h *Hooks) malformed(w http.ResponseWriter, r *http.Request, provider string, raw []byte, reason error) {
	h.rejected.WithLabelValues(provider, "malformed").Inc()
	stored, err := h.keep(r.Context(), provider, raw, reason.Error())
	if err != nil {
		respond.Error(w, r, h.log, err)
		return
	}
	if stored {
		h.log.WarnContext(r.Context(), "malformed webhook kept", "provider", provider, "reason", intake.Note(reason.Error()))
	}
	respond.Error(w, r, h.log, apperr.New(apperr.Invalid, "%s", intake.Note(reason.Error())))
}

// readBody reads a bounded request body.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
}

// defaultUnverifiedWait bounds the wait for a reading slot (then 429:
// Meta and Twilio retry), unverifiedRead the time a body may take to
// arrive once it has one.
const (
	defaultUnverifiedWait = 5 * time.Second
	unverifiedRead        = 5 * time.Second
)

// errBusy: every reading slot is taken; the provider retries.
var errBusy = apperr.New(apperr.RateLimited, "busy; retry later")

// errTooLarge is a body whose declared length is over the bound.
var errTooLarge = apperr.New(apperr.Invalid, "the request body is too large")

// readUnverified reads a body whose signature can only be checked once it
// is read: at most max bytes, refused unread if it says it is longer, and
// at most UnverifiedReads at once.
func (h *Hooks) readUnverified(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	if r.ContentLength > max {
		return nil, errTooLarge
	}
	wait := time.NewTimer(h.unverifiedWait)
	defer wait.Stop()
	select {
	case h.unverified <- struct{}{}:
		defer func() { <-h.unverified }()
	case <-wait.C:
		return nil, errBusy
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	// A forger trickling a body would hold its slot until the server's
	// read timeout; a provider's body arrives at once.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(unverifiedRead))
	size := r.ContentLength
	if size < 0 {
		size = bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+1))
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, max)); err != nil {
		return nil, fmt.Errorf("unreadable body: %w", err)
	}
	return buf.Bytes(), nil
}

func ok(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "ok\n")
}
