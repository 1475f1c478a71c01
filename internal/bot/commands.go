package bot

import (
	"strings"
	"unicode"

	"github.com/jodo-org/jodo/internal/links"
	"golang.org/x/text/unicode/norm"
)

// command is a word that works at any point of any flow.
type command int

const (
	cmdNone command = iota
	cmdStop
	cmdStart
	cmdHelp
	cmdMyData
	cmdDelete
	cmdJoin
	cmdLeave
	cmdVolunteer
	cmdStopVolunteering
	cmdGroup
	cmdMyGroups
)

// commands are the words, as normalise leaves them, in English, Hindi and
// the romanised Hindi people type, with the spellings phone keyboards give
// (मिटाएं for मिटाएँ, जुडें without the nukta). A whole message must be the
// word: "Stop Singh" is a name, not STOP. The bot advertises “बंद”, “शुरू”,
// “मदद”, “मेरी जानकारी”, “मिटाओ” and “जुड़ें”; रुको, मेरा डेटा and हटाओ
// were advertised by earlier texts and keep working for those who learnt
// them, though रुको also means "wait" (the reply to STOP says how to undo it).
var commands = map[string]command{
	"stop": cmdStop, "unsubscribe": cmdStop, "stop all": cmdStop, "रुको": cmdStop, "रुकें": cmdStop,
	"बंद": cmdStop, "बंद करो": cmdStop, "बंद करें": cmdStop, "band": cmdStop, "band karo": cmdStop, "ruko": cmdStop,
	"start": cmdStart, "unstop": cmdStart, "शुरू": cmdStart, "शुरू करो": cmdStart, "शुरू करें": cmdStart, "shuru": cmdStart,
	"help": cmdHelp, "मदद": cmdHelp, "सहायता": cmdHelp, "madad": cmdHelp, "menu": cmdHelp,
	"my data": cmdMyData, "mydata": cmdMyData, "मेरा डेटा": cmdMyData, "मेरा डाटा": cmdMyData, "मेरी जानकारी": cmdMyData, "mera data": cmdMyData,
	"delete": cmdDelete, "delete my data": cmdDelete, "erase": cmdDelete, "हटाओ": cmdDelete, "हटाएँ": cmdDelete, "हटाएं": cmdDelete,
	"मिटाओ": cmdDelete, "मिटाएँ": cmdDelete, "मिटाएं": cmdDelete, "मिटा दो": cmdDelete, "hatao": cmdDelete, "mitao": cmdDelete,
	"leave": cmdLeave, "end membership": cmdLeave, "सदस्यता छोड़ें": cmdLeave, "सदस्यता छोड़ो": cmdLeave, "sadasyata chhodein": cmdLeave,
	"join": cmdJoin, "जुड़ें": cmdJoin, "जुडें": cmdJoin, "जुड़े": cmdJoin, "जुडे": cmdJoin, "जुड़ना है": cmdJoin, "जोड़ें": cmdJoin,
	"judna hai": cmdJoin, "judein": cmdJoin,
	"volunteer": cmdVolunteer, "become a volunteer": cmdVolunteer, "कार्यकर्ता": cmdVolunteer, "कार्यकर्ता बनें": cmdVolunteer,
	"कार्यकर्ता बने": cmdVolunteer, "कार्यकर्ता बनना है": cmdVolunteer, "karyakarta": cmdVolunteer, "karyakarta banein": cmdVolunteer,
	"karyakarta bane":   cmdVolunteer,
	"stop volunteering": cmdStopVolunteering, "leave volunteering": cmdStopVolunteering, "कार्यकर्ता छोड़ें": cmdStopVolunteering,
	"कार्यकर्ता छोड़ो": cmdStopVolunteering, "karyakarta chhodein": cmdStopVolunteering,
	"group": cmdGroup, "register group": cmdGroup, "add group": cmdGroup, "group jodo": cmdGroup, "ग्रुप": cmdGroup,
	"ग्रुप जोड़ें": cmdGroup, "ग्रुप जोड़ो": cmdGroup, "ग्रुप जोडें": cmdGroup, "grup": cmdGroup, "grup jodo": cmdGroup,
	"my groups": cmdMyGroups, "mygroups": cmdMyGroups, "groups": cmdMyGroups, "मेरे ग्रुप": cmdMyGroups, "mere group": cmdMyGroups,
	"mere grup": cmdMyGroups,
}

// doneWords end a list of picks (languages, handles) as the Done button does.
var doneWords = map[string]bool{"done": true, "finish": true, "skip": true, "no more": true, "हो गया": true, "हो गई": true,
	"बस": true, "छोड़ें": true, "ho gaya": true, "bas": true}

// platformWords are what people type before a handle for each platform
// (handles.Platforms' codes and names are read too).
var platformWords = map[string]string{
	"wa": "whatsapp", "whats app": "whatsapp", "व्हाट्सएप": "whatsapp", "व्हाट्सऐप": "whatsapp", "fb": "facebook", "फेसबुक": "facebook",
	"फ़ेसबुक": "facebook", "insta": "instagram", "ig": "instagram", "इंस्टाग्राम": "instagram", "twitter": "x", "ट्विटर": "x",
	"yt": "youtube", "यूट्यूब": "youtube", "tg": "telegram", "टेलीग्राम": "telegram", "शेयरचैट": "sharechat", "मोज": "moj",
	"जोश": "josh", "कू": "koo", "लिंक्डइन": "linkedin",
}

// rightAfterStop tells the commands answered after STOP: START, and a
// person's rights to help, to see their data, to have it erased and to
// end their membership or their volunteering (an answer to a rights request is no message Jodo
// starts).
func rightAfterStop(c command) bool {
	return c == cmdStart || c == cmdHelp || c == cmdMyData || c == cmdDelete || c == cmdLeave || c == cmdStopVolunteering
}

// yes and no are typed answers to a yes/no question.
var (
	yesWords = map[string]bool{"yes": true, "y": true, "ha": true, "haan": true, "han": true, "ji": true, "ok": true, "okay": true,
		"agree": true, "i agree": true, "हाँ": true, "हां": true, "जी": true, "जी हाँ": true, "हाँ जी": true, "सहमत": true, "मैं सहमत हूँ": true}
	noWords = map[string]bool{"no": true, "n": true, "nahi": true, "nahin": true, "na": true, "नहीं": true, "नही": true, "ना": true,
		"no thanks": true, "नहीं धन्यवाद": true}
)

// normalise lower-cases text, drops punctuation and joins its words with
// single spaces: "  STOP! " → "stop". NFC first, so a letter with a nukta
// typed as one code point (ड़, U+095C) matches the words above, which are
// stored as NFC spells it (ड + nukta).
func normalise(text string) string {
	text = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsPunct(r) || r == '।' || unicode.IsSymbol(r):
			return ' '
		}
		return unicode.ToLower(r)
	}, norm.NFC.String(text))
	return strings.Join(strings.Fields(text), " ")
}

// commandOf is the command text is, if any. A join code's message ("JOIN
// ABCD234567", "जुड़ें ABCD234567", as the follow-up SMS's wa.me link
// writes it) is cmdJoin with the code, and so is a referral code's ("JOIN
// K7M2Q9XRT", as a member's wa.me link writes it): the two are told apart
// by their length (links.ReferralCodeLen). Without the word, ten letters
// are more likely a name than a code.
func commandOf(text string) (command, string) {
	n := normalise(text)
	for _, word := range []string{"join", "जुड़े", "जुडे", "जोड़ें"} {
		if strings.HasPrefix(n, word) {
			if code, ok := links.ParseJoinCode(text); ok {
				return cmdJoin, code
			}
			if code, ok := links.ParseReferralCode(text); ok {
				return cmdJoin, code
			}
		}
	}
	return commands[n], ""
}

// yesNo reads a typed answer: +1 yes, -1 no, 0 neither.
func yesNo(text string) int {
	n := normalise(text)
	switch {
	case yesWords[n]:
		return 1
	case noWords[n]:
		return -1
	}
	return 0
}
