package sms

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/send"
)

// ExotelBaseURL is Exotel's Mumbai cluster, where Indian accounts live (the
// Singapore cluster is https://api.exotel.com).
const ExotelBaseURL = "https://api.in.exotel.com"

// exotelMaxBody is Exotel's limit on Body, in characters.
const exotelMaxBody = 2000

// ExotelConfig is one Exotel account and its DLT registration.
type ExotelConfig struct {
	BaseURL        string // default ExotelBaseURL; a local server in tests
	AccountSID     string
	APIKey         string // basic-auth user
	APIToken       string // basic-auth password
	SenderID       string // the DLT header, sent as From (e.g. JODOIN)
	EntityID       string // DLT principal entity id (PE ID), 19 digits
	StatusCallback string // URL Exotel posts the delivery report to; omitted when empty
	SmsType        string // optional: transactional | transactional_opt_in | promotional
	Client         *http.Client
}

// Exotel sends SMS through Exotel's Send SMS API (form POST, JSON answer).
type Exotel struct {
	c   ExotelConfig
	url string
}

// NewExotel returns an Exotel provider. Its Client should have a timeout; a
// nil Client gets one of 30 seconds.
func NewExotel(c ExotelConfig) *Exotel {
	base := strings.TrimRight(c.BaseURL, "/")
	if base == "" {
		base = ExotelBaseURL
	}
	return &Exotel{c: c, url: base + "/v1/Accounts/" + url.PathEscape(c.AccountSID) + "/Sms/send.json"}
}

// Name is "exotel".
func (e *Exotel) Name() string { return "exotel" }

// Send posts one message. The Ref travels as CustomField, which Exotel echoes
// in the status callback.
func (e *Exotel) Send(ctx context.Context, m send.Message) send.Result {
	form, err := e.form(m)
	if err != nil {
		return send.Result{Outcome: send.Rejected, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, strings.NewReader(form.Encode()))
	if err != nil {
		return send.Result{Outcome: send.Rejected, Err: fmt.Errorf("sms: exotel: %w", err)}
	}
	req.SetBasicAuth(e.c.APIKey, e.c.APIToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return exotelResult(do(e.c.Client, req))
}

// form is the request body; an error means the message cannot pass DLT
// scrubbing or Exotel's checks, so it is never sent.
func (e *Exotel) form(m send.Message) (url.Values, error) {
	switch {
	case e.c.EntityID == "" || e.c.SenderID == "":
		return nil, fmt.Errorf("sms: exotel: DLT entity id and sender id must be configured")
	case m.To == "":
		return nil, fmt.Errorf("sms: exotel: message has no recipient")
	case m.TemplateID == "":
		return nil, fmt.Errorf("sms: exotel: message has no DLT template id")
	case m.Body == "" || !utf8.ValidString(m.Body):
		return nil, fmt.Errorf("sms: exotel: message body is empty or not UTF-8")
	case utf8.RuneCountInString(m.Body) > exotelMaxBody:
		return nil, fmt.Errorf("sms: exotel: body is over %d characters", exotelMaxBody)
	}
	encoding := "plain"
	if enc, _ := Parts(m.Body); m.Unicode || enc == UCS2 {
		encoding = "unicode"
	}
	v := url.Values{
		"From":          {e.c.SenderID},
		"To":            {m.To},
		"Body":          {m.Body},
		"DltEntityId":   {e.c.EntityID},
		"DltTemplateId": {m.TemplateID},
		"EncodingType":  {encoding},
	}
	setIf(v, "StatusCallback", e.c.StatusCallback)
	setIf(v, "SmsType", e.c.SmsType)
	setIf(v, "CustomField", m.Ref)
	return v, nil
}

func setIf(v url.Values, key, value string) {
	if value != "" {
		v.Set(key, value)
	}
}

// exotelAnswer is the JSON answer: a message on success, an exception on
// failure (the legacy RestException shape, as JSON).
type exotelAnswer struct {
	SMSMessage *struct {
		Sid, Status, DetailedStatus string
		DetailedStatusCode          any
	}
	RestException *struct {
		Status, Code any
		Message      string
	}
}

// exotelResult classifies what came back. Exotel says to rely on the HTTP
// status, not the message text, so the text only goes into the error.
func exotelResult(x exchange) send.Result {
	const name = "exotel"
	if x.Status == 0 || (x.Err != nil && x.Status/100 == 2) {
		return transportResult(name, x)
	}
	var a exotelAnswer
	jsonErr := json.Unmarshal(x.Body, &a)
	if a.SMSMessage != nil {
		a.SMSMessage.Sid = strings.TrimSpace(a.SMSMessage.Sid) // as a delivery report's SmsSid is read
	}
	if x.Status/100 != 2 {
		detail := ""
		if a.RestException != nil {
			detail = ": " + exotelText(a.RestException.Message)
		}
		return statusResult(name, x, detail)
	}
	switch {
	case jsonErr != nil:
		return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("sms: exotel: HTTP %d with an unreadable answer: %w", x.Status, jsonErr)}
	case a.RestException != nil:
		return send.Result{Outcome: send.Rejected, Err: fmt.Errorf("sms: exotel: HTTP %d: %s", x.Status, exotelText(a.RestException.Message))}
	case a.SMSMessage == nil || a.SMSMessage.Sid == "":
		return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("sms: exotel: HTTP %d: %w", x.Status, errEmptyID)}
	case len(a.SMSMessage.Sid) > 256 || !printable(a.SMSMessage.Sid):
		// No delivery report could name it (ParseExotelStatus), nor could
		// PostgreSQL store it: the message may have gone, untraceably.
		return send.Result{Outcome: send.Unknown, Err: fmt.Errorf("sms: exotel: HTTP %d: the answer's message id %s is not short printable text",
			x.Status, exotelText(a.SMSMessage.Sid))}
	case strings.HasPrefix(a.SMSMessage.Status, "failed"):
		return send.Result{Outcome: send.Rejected, ProviderID: a.SMSMessage.Sid, Err: fmt.Errorf("sms: exotel: %s: %s (%s)",
			exotelText(a.SMSMessage.Status), exotelText(a.SMSMessage.DetailedStatus), exotelText(fmt.Sprint(a.SMSMessage.DetailedStatusCode)))}
	}
	return send.Result{Outcome: send.Accepted, ProviderID: a.SMSMessage.Sid}
}

// exotelText is text from Exotel's answer as it goes into an error, which
// the outbox stores: cut to 256 bytes, and quoted only when it holds what
// PostgreSQL's text refuses (NUL, invalid UTF-8) or a log would mangle.
func exotelText(s string) string {
	if len(s) > 256 {
		s = strings.ToValidUTF8(s[:256], "") + "…"
	}
	if !printable(s) {
		return strconv.Quote(s)
	}
	return s
}
