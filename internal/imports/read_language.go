package imports

import (
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/handles"
)

// messageLanguages are the languages Jodo writes to people in.
var messageLanguages = []string{"hi", "en"}

// languageWords are the ways a people file writes a message language: its
// code, its English name, its own name and its Hindi name, lower case and
// with the nukta taken off.
var languageWords = func() map[string]string {
	words := map[string]string{}
	for _, code := range messageLanguages {
		l, _ := handles.LanguageOf(code)
		for _, w := range []string{l.Code, l.English, l.Native, l.Hindi} {
			words[foldWord(w)] = code
		}
	}
	return words
}()

// nukta is taken off both sides: a nukta letter can be typed as one
// character or as its letter and the nukta sign.
var nukta = strings.NewReplacer("\u093c", "", "\u095b", "\u091c", "\u095e", "\u092b", "\u0958", "\u0915",
	"\u0959", "\u0916", "\u095a", "\u0917", "\u095c", "\u0921", "\u095d", "\u0922", "\u095f", "\u092f")

func foldWord(s string) string { return nukta.Replace(strings.ToLower(s)) }

// language is the language column as a code, hi or en.
func (rd *reader) language(line int64, s string) string {
	if s == "" {
		return ""
	}
	if code, ok := languageWords[s]; ok { // most files write the code itself
		return code
	}
	if code, ok := languageWords[foldWord(s)]; ok {
		return code
	}
	rd.problem(line, "language", "language is hi or en (Hindi, English, हिंदी, अंग्रेज़ी), or empty")
	return ""
}

// languages is a volunteer's working languages as space-separated codes, in
// the order handles.Languages lists them, each once.
func (rd *reader) languages(line int64, s string) string {
	if s == "" {
		return ""
	}
	var seen uint64
	for code := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' }) {
		i := languageIndex(code)
		if i < 0 {
			rd.problem(line, "languages", "\""+code+"\" is not a language code: the codes are "+languageCodes)
			return ""
		}
		seen |= 1 << i
	}
	if joined, ok := rd.languageSets[seen]; ok {
		return joined
	}
	var b strings.Builder
	for i, l := range handles.Languages {
		if seen&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(l.Code)
		}
	}
	rd.languageSets[seen] = b.String()
	return b.String()
}

func languageIndex(code string) int {
	for i, l := range handles.Languages {
		if strings.EqualFold(code, l.Code) {
			return i
		}
	}
	return -1
}

var languageCodes = func() string {
	codes := make([]string, len(handles.Languages))
	for i, l := range handles.Languages {
		codes[i] = l.Code
	}
	return strings.Join(codes, ", ")
}()

// date is the consent_date column as YYYY-MM-DD: a real day, not after
// today in India.
func (rd *reader) date(line int64, s string) string {
	if s == "" {
		return ""
	}
	if s == rd.lastDate[0] { // a list's rows often share a date
		return rd.lastDate[1]
	}
	day, ok := isoDate(s)
	switch {
	case !ok:
		rd.problem(line, "consent_date", "consent_date is a date written YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY, a day that exists")
		return ""
	case day > rd.today:
		rd.problem(line, "consent_date", "consent_date "+day+" is after today")
		return ""
	}
	rd.lastDate = [2]string{s, day}
	return day
}

// isoDate reads YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.
func isoDate(s string) (string, bool) {
	if len(s) != len(time.DateOnly) {
		return "", false
	}
	var y, m, d string
	switch {
	case s[4] == '-' && s[7] == '-':
		y, m, d = s[:4], s[5:7], s[8:]
	case s[2] == s[5] && (s[2] == '-' || s[2] == '/'):
		y, m, d = s[6:], s[3:5], s[:2]
	default:
		return "", false
	}
	if !digits(y) || !digits(m) || !digits(d) {
		return "", false
	}
	day := y + "-" + m + "-" + d
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", false
	}
	return day, true
}
