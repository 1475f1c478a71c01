package phone

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Kind is a number's line type as phonenumbers decides it. Reply channels
// depend on it: landlines take neither SMS nor WhatsApp.
type Kind int

const (
	// Other is any valid number of another type (shared cost, premium,
	// UAN…) and anything that is not a valid number.
	Other Kind = iota
	// Mobile is phonenumbers' MOBILE or FIXED_LINE_OR_MOBILE.
	Mobile
	FixedLine
	TollFree
)

func (k Kind) String() string {
	switch k {
	case Mobile:
		return "mobile"
	case FixedLine:
		return "fixed_line"
	case TollFree:
		return "toll_free"
	default:
		return "other"
	}
}

// KindOf reports the line type of a number in E.164, as Normalize returns it.
// Indian numbers of 10 and 11 digits are answered from a prefix table read
// off phonenumbers' metadata; anything else (other lengths, other countries,
// other spellings) is parsed by phonenumbers (region IN) and is Other if it
// cannot be parsed.
func KindOf(e164 string) Kind {
	if nsn, ok := indianNational(e164); ok {
		if t := table(); t != nil {
			if c := classOf(t, nsn); c != classAsk {
				return c.kind()
			}
		}
	}
	return referenceKind(e164)
}

// IsMobile reports whether a number in E.164 is a mobile (MOBILE or
// FIXED_LINE_OR_MOBILE), which a first-digit rule cannot tell: Ranchi
// landlines (+91651…) start with 6.
func IsMobile(e164 string) bool { return KindOf(e164) == Mobile }

// referenceKind is phonenumbers' own answer, which the table must match.
func referenceKind(s string) Kind {
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return Other
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return Mobile
	case phonenumbers.FIXED_LINE:
		return FixedLine
	case phonenumbers.TOLL_FREE:
		return TollFree
	default:
		return Other
	}
}

func (c class) kind() Kind {
	switch c {
	case classMobile:
		return Mobile
	case classFixedLine:
		return FixedLine
	case classTollFree:
		return TollFree
	default:
		return Other
	}
}

// indianNational returns the national number of "+91" and digits. One
// starting with 0 is left to phonenumbers, which strips the 0 as a trunk
// prefix.
func indianNational(s string) (string, bool) {
	nsn, ok := strings.CutPrefix(s, "+91")
	if !ok || nsn == "" || nsn[0] == '0' || !isDigits(nsn) {
		return "", false
	}
	return nsn, true
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
