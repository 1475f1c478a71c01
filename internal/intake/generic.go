package intake

import (
	"encoding/json"
	"strings"
	"time"
)

// ParseGeneric reads Jodo's own missed-call format, for any source that can
// POST JSON:
//
//	{"call_id": "c-1", "from": "+919876543210", "to": "18001234567", "at": "2026-02-12T10:00:00+05:30"}
//
// call_id is required. at is optional, but when present it must be RFC 3339
// with an offset (Z or ±hh:mm): a zone-less time would be read differently by
// every sender. Unknown fields are ignored; the caller limits the body's size.
func ParseGeneric(body []byte) (Call, error) {
	var in struct {
		CallID string `json:"call_id"`
		From   string `json:"from"`
		To     string `json:"to"`
		At     string `json:"at"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return Call{}, malformed("generic: cannot read the JSON body: %v", err)
	}
	c := Call{
		Provider: ProviderGeneric,
		CallID:   strings.TrimSpace(in.CallID),
		From:     strings.TrimSpace(in.From),
		To:       strings.TrimSpace(in.To),
	}
	if at := strings.TrimSpace(in.At); at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return Call{}, malformed("generic: at %.40q is not an RFC 3339 time with an offset, like 2026-02-12T10:00:00+05:30", at)
		}
		c.At = t
	}
	if err := checkCall(c, "call_id", "from", "to"); err != nil {
		return Call{}, err
	}
	return c, nil
}
