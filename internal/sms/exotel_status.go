package sms

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/ist"
)

// Delivery states a report can move a message to.
const (
	StatusSent      = "sent"      // the provider or operator has it; not known to be on the handset
	StatusDelivered = "delivered" // on the handset
	StatusFailed    = "failed"    // will not be delivered
)

// Status is one delivery report.
type Status struct {
	ProviderID string    // the provider's message id (Exotel SmsSid)
	Status     string    // StatusSent, StatusDelivered or StatusFailed
	ErrorCode  string    // the provider's code when failed (Exotel DetailedStatusCode, e.g. 23185)
	Detail     string    // the provider's own words, e.g. "sent DELIVERED_TO_HANDSET 20005"
	At         time.Time // when the provider says it happened; zero if absent
	Ref        string    // our Message.Ref, when the provider echoed it
	Units      int       // parts billed, when known
}

// ErrMalformed is wrapped by every report parse error, so a handler can answer
// 400 to a bad request and 500 to its own failures.
var ErrMalformed = errors.New("malformed delivery report")

// ParseExotelStatus reads Exotel's SMS StatusCallback form (SmsSid, Status,
// DetailedStatus, DetailedStatusCode, DateSent, SmsUnits, CustomField).
//
// Exotel's "sent" is its terminal success, which may mean on the handset or
// only handed to the operator: DetailedStatus tells them apart. Codes are kept
// as data — Exotel's own pages disagree on them (20005 vs 20000 for
// delivered) — so the text DELIVERED_TO_HANDSET decides, the code only when
// the text is missing.
func ParseExotelStatus(v url.Values) (Status, error) {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	raw, detailed, code := strings.ToLower(get("Status")), get("DetailedStatus"), get("DetailedStatusCode")
	s := Status{
		ProviderID: get("SmsSid"),
		Detail:     strings.TrimSpace(strings.Join([]string{raw, detailed, code}, " ")),
		At:         exotelTime(get("DateSent")),
		Ref:        get("CustomField"),
	}
	s.Units, _ = strconv.Atoi(get("SmsUnits"))
	if s.ProviderID == "" {
		return Status{}, malformed("exotel: SmsSid is missing")
	}
	for _, f := range [][2]string{{"SmsSid", s.ProviderID}, {"CustomField", s.Ref}, {"Status", s.Detail}} {
		if len(f[1]) > 256 || !printable(f[1]) {
			return Status{}, malformed("exotel: %s is not short printable text", f[0])
		}
	}
	switch raw {
	case "failed", "failed_dnd":
		s.Status, s.ErrorCode = StatusFailed, firstOf(code, detailed, raw)
	case "sent":
		s.Status = StatusSent
		if detailed == "DELIVERED_TO_HANDSET" || (detailed == "" && (code == "20005" || code == "20000")) {
			s.Status = StatusDelivered
		}
	case "queued", "sending", "submitted":
		s.Status = StatusSent
	default:
		return Status{}, malformed("exotel: unknown Status %q", raw)
	}
	return s, nil
}

var exotelLayouts = []string{"2006-01-02 15:04:05", time.RFC3339, "2006-01-02T15:04:05"}

// exotelTime reads a time in IST; absent, unreadable or epoch times are zero.
func exotelTime(s string) time.Time {
	for _, layout := range exotelLayouts {
		if t, err := time.ParseInLocation(layout, s, ist.Zone); err == nil && t.Unix() > 0 {
			return t
		}
	}
	return time.Time{}
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func printable(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0
}

type malformedError struct{ reason string }

func (e *malformedError) Error() string { return "sms: " + e.reason }
func (e *malformedError) Unwrap() error { return ErrMalformed }

func malformed(format string, args ...any) error {
	return &malformedError{reason: fmt.Sprintf(format, args...)}
}
