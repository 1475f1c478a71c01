package whatsapp

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rejected is an item of a signed body that reads but cannot be trusted or
// stored as it is (an id too long for the inbox, a wa_id that is not a
// number): the handler keeps it, with Reason, for diagnosis, and stores the
// rest of the body.
type Rejected struct {
	Metadata
	Raw    json.RawMessage // the item's JSON as sent
	Reason string          // names the field, never its value
}

// Limits on what an item may carry to be stored.
const (
	// MaxKey is the longest inbox key (the store's provider_key column).
	MaxKey = 200
	// A wa_id is a phone number in international form without the +:
	// E.164 allows at most 15 digits, and no country's numbers are
	// shorter than 7.
	minWAID, maxWAID = 7, 15
	// maxRef bounds the other ids Meta sends (phone_number_id, the
	// business-scoped user id, a display number): real ones are under 40.
	maxRef = 64
)

// ValidWAID reports whether s can be a wa_id: 7 to 15 ASCII digits.
func ValidWAID(s string) bool {
	if len(s) < minWAID || len(s) > maxWAID {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkMetadata says why a change's metadata cannot be stored, if it cannot.
func checkMetadata(m Metadata) error {
	if err := checkRef("phone_number_id", m.PhoneNumberID, maxRef); err != nil {
		return err
	}
	return checkRef("display_phone_number", m.DisplayPhoneNumber, maxRef)
}

// checkMessage says why a message that read cannot be stored, if it cannot.
func checkMessage(m Message) error {
	if err := checkRef("id", m.ID, MaxKey); err != nil {
		return err
	}
	if m.From != "" && !ValidWAID(m.From) {
		return fmt.Errorf("from (wa_id) is not %d to %d digits", minWAID, maxWAID)
	}
	if err := checkRef("from_user_id", m.BSUID, maxRef); err != nil {
		return err
	}
	return checkMetadata(m.Metadata)
}

// checkStatus says why a status that read cannot be stored, if it cannot.
func checkStatus(s Status) error {
	if len(s.Key()) > MaxKey {
		return fmt.Errorf("id and status are longer than %d bytes", MaxKey)
	}
	if err := checkRef("id", s.ID, MaxKey); err != nil {
		return err
	}
	if err := checkRef("status", s.Status, maxRef); err != nil {
		return err
	}
	return checkMetadata(s.Metadata)
}

// checkRef accepts an identifier that fits max bytes and is printable text:
// what a database column and a log line can hold as is.
func checkRef(name, s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("%s is longer than %d bytes", name, max)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("%s is not printable text", name)
	}
	return nil
}

// text makes free text storable on both engines: JSON decoding already
// replaced invalid UTF-8, and PostgreSQL's text refuses NUL (\u0000).
func text(s string) string { return strings.ReplaceAll(s, "\x00", "") }
