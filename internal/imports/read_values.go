package imports

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// The longest values a people file may give, in characters.
const (
	maxName     = 100
	maxEvidence = 200
	maxLegacyNo = 40
)

// values checks the fields of one record of the right width and valid
// UTF-8, adding a problem for each that is wrong.
func (rd *reader) values(line int64, rec []string) store.StagedRow {
	c := &rd.cols
	row := store.StagedRow{
		Line:            line,
		Phone:           rd.phone(line, field(rec, c.phone)),
		Name:            rd.name(line, field(rec, c.name)),
		AreaID:          rd.area(line, field(rec, c.area)),
		Language:        rd.language(line, field(rec, c.language)),
		Languages:       rd.languages(line, field(rec, c.languages)),
		Volunteer:       rd.role(line, field(rec, c.role)),
		Adult:           rd.yesNo(line, "adult", field(rec, c.adult)),
		AdultEvidence:   rd.text(line, "adult_evidence", field(rec, c.adultEvidence), maxEvidence),
		ConsentEvidence: rd.text(line, "consent_evidence", field(rec, c.consentEvidence), maxEvidence),
		ConsentDate:     rd.date(line, field(rec, c.consentDate)),
		WhatsAppOptIn:   rd.yesNo(line, "whatsapp_optin", field(rec, c.whatsApp)),
		SMSOptIn:        rd.yesNo(line, "sms_optin", field(rec, c.sms)),
		LegacyNo:        rd.legacyNo(line, field(rec, c.legacyNo)),
	}
	if row.Adult && row.AdultEvidence == "" {
		rd.problem(line, "adult", "adult: yes needs adult_evidence: what showed they are 18 or over (an ID seen, a signed form)")
	}
	const optIn = ": yes needs consent_evidence: where and how they agreed to messages (a signed form, a recorded call)"
	if row.WhatsAppOptIn && row.ConsentEvidence == "" {
		rd.problem(line, "whatsapp_optin", "whatsapp_optin"+optIn)
	}
	if row.SMSOptIn && row.ConsentEvidence == "" {
		rd.problem(line, "sms_optin", "sms_optin"+optIn)
	}
	return row
}

// phone is the E.164 form of the phone column; a later line with the same
// phone as an earlier one names it.
func (rd *reader) phone(line int64, raw string) string {
	s := strings.TrimPrefix(raw, "'") // Excel's mark of a number kept as text
	switch {
	case s == "":
		rd.problem(line, "phone", "no phone number")
		return ""
	case scientific(s):
		rd.problem(line, "phone", "Excel turned this number into "+s+"; format the column as Text and export again")
		return ""
	}
	e164, err := phone.Normalize(s)
	if err != nil {
		reason := "not a phone number"
		if ie := (*phone.InvalidError)(nil); errors.As(err, &ie) {
			reason = "not a phone number we can use: " + ie.Reason
		}
		rd.problem(line, "phone", reason)
		return ""
	}
	key, _ := strconv.ParseUint(e164[1:], 10, 64) // E.164 is at most 15 digits
	if first, ok := rd.first[key]; ok {
		rd.problem(line, "phone", "same phone as line "+strconv.FormatInt(first, 10))
		return e164
	}
	rd.first[key] = line
	return e164
}

// scientific reports whether s is a number in scientific notation, as
// Excel shows a long number in a General column (9.19876E+11).
func scientific(s string) bool {
	mantissa, exponent, ok := strings.Cut(strings.ToUpper(s), "E")
	if !ok || mantissa == "" || exponent == "" {
		return false
	}
	exponent = strings.TrimLeft(exponent, "+-")
	whole, frac, _ := strings.Cut(mantissa, ".")
	return digits(whole) && (frac == "" || digits(frac)) && exponent != "" && digits(exponent)
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// name is the name column with its spaces collapsed.
func (rd *reader) name(line int64, s string) string {
	if strings.Contains(s, "  ") || strings.ContainsAny(s, "\t\n\r") {
		s = strings.Join(strings.Fields(s), " ")
	}
	if utf8.RuneCountInString(s) > maxName {
		rd.problem(line, "name", "longer than "+strconv.Itoa(maxName)+" characters")
	}
	return s
}

// area is the id of the area column's code, which must be an AC or a
// booth of the drive that is not retired.
func (rd *reader) area(line int64, code string) int64 {
	if code == "" {
		rd.problem(line, "area", "no area code: give the code of an assembly constituency (AC) or a booth")
		return 0
	}
	code = strings.ToUpper(code)
	a, ok := rd.areas(code)
	var reason string
	switch {
	case !ok:
		reason = "no area has this code: " + code
	case a.Kind == "district":
		reason = code + " is a district: members count in an assembly constituency or a booth, give the AC or booth code"
	case a.Kind != "ac" && a.Kind != "booth":
		reason = code + " is a " + kindName(a.Kind) + ": too wide, give the code of an AC or a booth in it"
	case a.Retired:
		reason = code + " is retired: give the code of the area that took its place"
	case !rd.inDrive(a):
		reason = code + " is outside this drive's area"
	default:
		return a.ID
	}
	rd.problem(line, "area", reason)
	return 0
}

func kindName(kind string) string {
	switch kind {
	case "pc":
		return "parliamentary constituency (PC)"
	case "":
		return "area of no kind"
	}
	return kind
}

// role is whether the row makes a volunteer: the role column, or the
// import's own when it is empty.
func (rd *reader) role(line int64, s string) bool {
	switch {
	case s == "":
		return rd.volunteer
	case strings.EqualFold(s, AsMember):
		return false
	case strings.EqualFold(s, AsVolunteer):
		return true
	}
	rd.problem(line, "role", "role is member or volunteer (or empty, for the import's own)")
	return false
}

var (
	yesWords = []string{"yes", "y", "true", "1", "हाँ", "हां"}
	noWords  = []string{"no", "n", "false", "0", "नहीं"}
)

// yesNo reads a yes/no column; empty is no.
func (rd *reader) yesNo(line int64, column, s string) bool {
	if s == "" {
		return false
	}
	for _, w := range yesWords {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	for _, w := range noWords {
		if strings.EqualFold(s, w) {
			return false
		}
	}
	rd.problem(line, column, column+" is yes or no (y/n, true/false, 1/0, हाँ/नहीं; empty is no)")
	return false
}

// text is a free text column of at most max characters.
func (rd *reader) text(line int64, column, s string, max int) string {
	if utf8.RuneCountInString(s) > max {
		rd.problem(line, column, "longer than "+strconv.Itoa(max)+" characters")
	}
	return s
}

// legacyNo is the number the source system gave the person.
func (rd *reader) legacyNo(line int64, s string) string {
	if utf8.RuneCountInString(s) > maxLegacyNo {
		rd.problem(line, "legacy_no", "longer than "+strconv.Itoa(maxLegacyNo)+" characters")
	} else if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		rd.problem(line, "legacy_no", "has a character that cannot be printed")
	}
	return s
}
