package whatsapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrMalformed is wrapped by every Parse and ParseError failure: the body is
// not what Meta sends, and retrying it will not help.
var ErrMalformed = errors.New("whatsapp: malformed payload")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Parse reads a webhook POST body: {"object":"whatsapp_business_account",
// "entry":[{"id":…,"changes":[{"field":"messages","value":{…}}]}]}.
//
// Only changes of field "messages" are read; other subscriptions (template
// status, account updates, echoes of the business's own messages) are skipped
// without error. Unknown properties are ignored. A body that is not JSON, not
// a whatsapp_business_account object, or has a message or status without its
// id is an error wrapping ErrMalformed. A message whose content does not read
// is kept as KindUnknown with its Raw JSON rather than failing the batch; one
// that reads but cannot be stored or trusted as it is (an id longer than the
// store's key, a wa_id that is not 7–15 digits, control characters in an id)
// is put in Rejected, and the rest of the body stands. Free text loses any
// NUL, which PostgreSQL cannot store.
//
// Parse does not limit the size of body; Meta's bodies are up to 3 MB, and
// the handler bounds what it reads.
func Parse(body []byte) (Notification, error) {
	var env struct {
		Object string `json:"object"`
		Entry  []struct {
			ID      string `json:"id"`
			Changes []struct {
				Field string          `json:"field"`
				Value json.RawMessage `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return Notification{}, malformed("not a webhook body: %v", err)
	}
	if env.Object != "whatsapp_business_account" {
		return Notification{}, malformed("object is %.40q, not whatsapp_business_account", env.Object)
	}
	var n Notification
	for i, entry := range env.Entry {
		for j, change := range entry.Changes {
			if change.Field != "messages" {
				continue
			}
			if err := n.add(entry.ID, change.Value); err != nil {
				return Notification{}, malformed("entry %d change %d: %v", i, j, err)
			}
		}
	}
	return n, nil
}

// wireValue is a change's value for field "messages". Messages stay raw until
// their metadata and sender are known, and so that each keeps its own JSON.
type wireValue struct {
	Metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []wireContact     `json:"contacts"`
	Messages []json.RawMessage `json:"messages"`
	Statuses []json.RawMessage `json:"statuses"`
	Errors   []wireError       `json:"errors"`
}

type wireContact struct {
	Profile struct {
		Name     string `json:"name"`
		Username string `json:"username"`
	} `json:"profile"`
	WaID   string `json:"wa_id"`
	UserID string `json:"user_id"`
}

// add appends the items of one change's value to n.
func (n *Notification) add(accountID string, raw json.RawMessage) error {
	var v wireValue
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	meta := Metadata{
		BusinessAccountID:  accountID,
		PhoneNumberID:      v.Metadata.PhoneNumberID,
		DisplayPhoneNumber: e164(v.Metadata.DisplayPhoneNumber),
	}
	for k, rm := range v.Messages {
		m, err := readMessage(rm, meta, v.Contacts)
		if err != nil {
			return fmt.Errorf("message %d: %w", k, err)
		}
		if err := checkMessage(m); err != nil {
			n.Rejected = append(n.Rejected, Rejected{Metadata: meta, Raw: rm, Reason: fmt.Sprintf("message %d: %v", k, err)})
			continue
		}
		n.Messages = append(n.Messages, m)
	}
	for k, rs := range v.Statuses {
		var ws wireStatus
		if err := json.Unmarshal(rs, &ws); err != nil {
			return fmt.Errorf("status %d: %w", k, err)
		}
		s, err := ws.status(meta)
		if err != nil {
			return fmt.Errorf("status %d: %w", k, err)
		}
		if err := checkStatus(s); err != nil {
			n.Rejected = append(n.Rejected, Rejected{Metadata: meta, Raw: rs, Reason: fmt.Sprintf("status %d: %v", k, err)})
			continue
		}
		n.Statuses = append(n.Statuses, s)
	}
	n.Errors = append(n.Errors, readErrors(v.Errors, meta)...)
	return nil
}

// contactFor finds the sender's profile among a value's contacts: by phone
// number, else by business-scoped id. A message that names no sender at all
// gets the only contact, if there is just one.
func contactFor(contacts []wireContact, waID, userID string) wireContact {
	for _, c := range contacts {
		if (waID != "" && c.WaID == waID) || (userID != "" && c.UserID == userID) {
			return c
		}
	}
	if waID == "" && userID == "" && len(contacts) == 1 {
		return contacts[0]
	}
	return wireContact{}
}

type wireStatus struct {
	ID              string      `json:"id"`
	Status          string      `json:"status"`
	Timestamp       unixTime    `json:"timestamp"`
	RecipientID     string      `json:"recipient_id"`
	RecipientUserID string      `json:"recipient_user_id"`
	Errors          []wireError `json:"errors"`
	Conversation    struct {
		ID                  string   `json:"id"`
		ExpirationTimestamp unixTime `json:"expiration_timestamp"`
		Origin              struct {
			Type string `json:"type"`
		} `json:"origin"`
	} `json:"conversation"`
	Pricing struct {
		Billable     bool   `json:"billable"`
		PricingModel string `json:"pricing_model"`
		Type         string `json:"type"`
		Category     string `json:"category"`
	} `json:"pricing"`
}

func (w wireStatus) status(meta Metadata) (Status, error) {
	if w.ID == "" || w.Status == "" {
		return Status{}, errors.New("no id or no status")
	}
	return Status{
		Metadata:       meta,
		ID:             w.ID,
		Status:         w.Status,
		Timestamp:      w.Timestamp.Time,
		RecipientID:    w.RecipientID,
		RecipientBSUID: w.RecipientUserID,
		Errors:         readErrors(w.Errors, meta),
		Conversation: Conversation{
			ID:         w.Conversation.ID,
			OriginType: w.Conversation.Origin.Type,
			ExpiresAt:  w.Conversation.ExpirationTimestamp.Time,
		},
		Pricing: Pricing{
			Billable: w.Pricing.Billable,
			Model:    w.Pricing.PricingModel,
			Type:     w.Pricing.Type,
			Category: w.Pricing.Category,
		},
	}, nil
}

type wireError struct {
	Code      int    `json:"code"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
	Href string `json:"href"`
}

func readErrors(ws []wireError, meta Metadata) []Error {
	var out []Error
	for _, w := range ws {
		out = append(out, Error{
			Metadata: meta,
			Code:     w.Code,
			Title:    text(w.Title),
			Message:  text(w.Message),
			Details:  text(w.ErrorData.Details),
			Href:     text(w.Href),
		})
	}
	return out
}

// maxUnix is 9999-12-31T23:59:59Z: later times cannot be stored in the fixed
// format the store uses, and no webhook carries one.
const maxUnix = 253402300799

// unixTime reads Meta's timestamps: Unix seconds in a JSON string ("1763095530").
// A bare number is accepted too; an empty or absent one is the zero time.
type unixTime struct{ time.Time }

func (t *unixTime) UnmarshalJSON(data []byte) error {
	s := string(data)
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
	}
	if s == "" {
		return nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil || sec < 0 || sec > maxUnix {
		return errors.New("timestamp is not Unix seconds")
	}
	t.Time = time.Unix(sec, 0).UTC()
	return nil
}

// e164 writes a business display number, which Meta sends as digits with
// the country code, in E.164. Separators are dropped; anything that still is
// not 1–15 digits is returned trimmed but otherwise as sent.
func e164(s string) string {
	s = strings.TrimSpace(s)
	digits := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')', '.':
			return -1
		}
		return r
	}, strings.TrimPrefix(s, "+"))
	if digits == "" || len(digits) > 15 || strings.Trim(digits, "0123456789") != "" {
		return s
	}
	return "+" + digits
}
