package intake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/ist"
)

// ParseMyOperator reads a MyOperator after-call webhook sent as a form POST:
// the whole call log is JSON in the one form field "myoperator".
func ParseMyOperator(v url.Values) (Call, error) {
	log := v.Get("myoperator")
	if strings.TrimSpace(log) == "" {
		return Call{}, malformed("myoperator: form field myoperator is missing")
	}
	return ParseMyOperatorJSON([]byte(log))
}

// ParseMyOperatorJSON reads a MyOperator after-call log given as raw JSON, the
// body newer accounts POST as application/json.
//
// The call's id is _ai, not _ci: in the documented log _ai's first 8 hex
// digits are the call's start (_st), while _ci shares its prefix with the
// department and agent ids, i.e. it is the company's id and repeats on every
// call. The caller is _cl (with +91) or else _cr (10 digits); the log names no
// called number. At is _st, Unix seconds. The log describes every call,
// answered or not; telling a missed one apart is left to the caller.
func ParseMyOperatorJSON(body []byte) (Call, error) {
	var log struct {
		ID          looseText `json:"_ai"`
		Caller      looseText `json:"_cl"`
		CallerLocal looseText `json:"_cr"`
		Start       looseText `json:"_st"`
	}
	if err := json.Unmarshal(body, &log); err != nil {
		return Call{}, malformed("myoperator: cannot read the call log: %v", err)
	}
	c := Call{
		Provider: ProviderMyOperator,
		CallID:   strings.TrimSpace(string(log.ID)),
		From:     strings.TrimSpace(string(log.Caller)),
		At:       unixSeconds(string(log.Start)),
	}
	fromName := "_cl"
	if c.From == "" {
		c.From, fromName = strings.TrimSpace(string(log.CallerLocal)), "_cr"
	}
	if err := checkCall(c, "_ai", fromName, "to"); err != nil {
		return Call{}, err
	}
	return c, nil
}

// looseText is a JSON string or number kept as text. MyOperator's sample mixes
// the two for the same kind of field (_su is 1 at the top, "1" in a leg), so
// the fields read here accept either rather than failing the whole log.
type looseText string

func (t *looseText) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = looseText(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		*t = ""
		return nil
	}
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return fmt.Errorf("want text or a number, got %.20q", b) // quoted: the reason becomes a stored note
	}
	*t = looseText(b) // a number literal, already checked by the decoder
	return nil
}

// maxUnix is 10000-01-01T00:00:00Z; later times have no RFC 3339 form.
const maxUnix = 253402300800

// unixSeconds reads whole Unix seconds; anything else, or a time outside
// (1970, 10000), is the zero time.
func unixSeconds(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n >= maxUnix {
		return time.Time{}
	}
	return time.Unix(n, 0).In(ist.Zone)
}
