package intake

import (
	"net/url"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/ist"
)

// ParseExotel reads an Exotel Passthru request's parameters: the query string
// of a GET, or the form body of a POST (the handler merges them into v).
//
// Two shapes are accepted. Observed traffic sends CallFrom=09876543210 and
// IST times without a zone (StartTime=2025-11-14 10:15:30, Created=Fri, 14 Nov
// 2025 10:15:30); Exotel's newer guide shows CallFrom=+919876543210 and ISO
// times with an offset (2024-01-15T10:30:00+05:30). CallFrom/CallTo win over
// their legacy duplicates From/To. Passthru is not signed, so the handler must
// authenticate the request some other way (a secret in the URL).
func ParseExotel(v url.Values) (Call, error) {
	c := Call{
		Provider: ProviderExotel,
		CallID:   exotelText(v, "CallSid"),
		From:     exotelText(v, "CallFrom", "From"),
		To:       exotelText(v, "CallTo", "To"),
		At:       exotelTime(v, "StartTime", "Created"),
	}
	if err := checkCall(c, "CallSid", "CallFrom", "CallTo"); err != nil {
		return Call{}, err
	}
	return c, nil
}

// exotelText returns the first non-empty parameter among names, trimmed of
// spaces and of the double quotes Exotel wraps some values in (digits).
//
// A '+' that Exotel leaves unescaped in a query string decodes to a space, so
// " 919876543210" is read back as "+919876543210".
func exotelText(v url.Values, names ...string) string {
	for _, name := range names {
		s := restorePlus(v.Get(name))
		s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"`))
		if s != "" {
			return s
		}
	}
	return ""
}

func restorePlus(s string) string {
	if len(s) > 1 && s[0] == ' ' && s[1] >= '0' && s[1] <= '9' {
		return "+" + s[1:]
	}
	return s
}

// exotelLayouts are the time shapes Exotel sends; all are read in IST, which
// only matters for the ones without an offset.
var exotelLayouts = []string{
	time.RFC3339,                // newer guide: 2024-01-15T10:30:00+05:30
	"2006-01-02 15:04:05",       // StartTime, CurrentTime
	"Mon, 02 Jan 2006 15:04:05", // Created
	"2006-01-02T15:04:05",
	time.RFC1123Z,
}

// exotelTime returns the first of names that holds a usable time, or the zero
// time. Exotel writes "no time" as the Unix epoch (EndTime is always
// 1970-01-01 05:30:00), so times at or before it count as absent.
func exotelTime(v url.Values, names ...string) time.Time {
	for _, name := range names {
		s := strings.TrimSpace(v.Get(name))
		if len(s) > 10 && s[10] == 'T' {
			// An unescaped '+' in "+05:30" decodes to a space.
			s = strings.Replace(s, " ", "+", 1)
		}
		for _, layout := range exotelLayouts {
			t, err := time.ParseInLocation(layout, s, ist.Zone)
			if err == nil && t.Unix() > 0 {
				return t
			}
		}
	}
	return time.Time{}
}
