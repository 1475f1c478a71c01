// Package smstext holds the SMS texts Jodo sends, exactly as they are to be
// registered as DLT templates (docs/sms.md, which a test keeps equal to
// these). Each is by language; {#var#} marks a variable.
package smstext

// Marks in a template that are fixed for an installation or a drive but
// not for the registered text in the docs: BaseURL becomes JODO_BASE_URL
// and Number the drive's WhatsApp number (country code, no +).
const (
	BaseURL = "{JODO_BASE_URL}"
	Number  = "919800000000"
)

// Followup is the SMS after a missed call; its variables are the drive's
// SMS name, the registration token and the join code.
var Followup = map[string]string{
	"en": "Thanks for calling {#var#}. Join: {JODO_BASE_URL}/j/{#var#} or on WhatsApp: https://wa.me/919800000000?text=JOIN%20{#var#}",
	"hi": "{#var#}: कॉल के लिए धन्यवाद। जुड़ें: {JODO_BASE_URL}/j/{#var#} WhatsApp: https://wa.me/919800000000?text=JOIN%20{#var#}",
}

// SignIn carries a one-time sign-in code; its variable is the code.
var SignIn = map[string]string{
	"en": "{#var#} is your Jodo sign-in code. It is valid for 10 minutes. Do not share it with anyone.",
	"hi": "{#var#} आपका जोड़ो साइन-इन कोड है। 10 मिनट तक मान्य। किसी को न बताएँ।",
}

// GroupReminder tells a volunteer that their group stops counting unless
// they confirm it is still active; its variables are the group's name (its
// first 30 characters) and the day it lapses.
var GroupReminder = map[string]string{
	"en": "Jodo: your group {#var#} stops counting on {#var#} unless you confirm it is still active: {JODO_BASE_URL}/me",
	"hi": "जोड़ो: आपका ग्रुप {#var#} {#var#} से नहीं गिना जाएगा, जब तक आप इसे पक्का न करें: {JODO_BASE_URL}/me",
}

// ImportNotice tells a person an import brought in where Jodo got their
// number, before any other message goes to them (docs/import.md); its
// variables are the drive's name and the import's source (the first 30
// characters of each).
var ImportNotice = map[string]string{
	"en": "Jodo: {#var#} added your number from {#var#}, with the consent you gave there. See or erase your data: {JODO_BASE_URL}/me",
	"hi": "जोड़ो: {#var#} ने आपका नंबर {#var#} से जोड़ा है, वहाँ दी गई आपकी सहमति से। अपनी जानकारी देखें या मिटाएँ: {JODO_BASE_URL}/me",
}

// RequestCode confirms a request the person made to staff offline
// (erasure, a consent withdrawn): they read the code back to the staff
// member. Its variables are the code and what it confirms, in capitals in
// English (RequestAction); it warns a person who asked nothing.
var RequestCode = map[string]string{
	"en": "{#var#} is your Jodo code to {#var#}. Read it out only to the office you asked. If you did not ask for this, do not share the code.",
	"hi": "{#var#} आपका जोड़ो कोड है, इससे {#var#} पक्का होगा। अगर आपने यह नहीं माँगा, तो कोड किसी को न बताएँ।",
}

// RequestAction is what a request code confirms, by the request's kind
// and language: RequestCode's second variable (30 characters at most).
var RequestAction = map[string]map[string]string{
	"erase":               {"en": "ERASE ALL YOUR DATA", "hi": "आपकी सारी जानकारी मिटाना"},
	"withdraw:membership": {"en": "END YOUR MEMBERSHIP", "hi": "आपकी सदस्यता खत्म करना"},
	"withdraw:whatsapp":   {"en": "STOP WHATSAPP MESSAGES", "hi": "WhatsApp संदेश बंद करना"},
	"withdraw:sms":        {"en": "STOP SMS MESSAGES", "hi": "SMS संदेश बंद करना"},
	"withdraw:volunteer":  {"en": "STOP YOUR VOLUNTEERING", "hi": "कार्यकर्ता का काम बंद करना"},
}

// Enrol asks a member whether a volunteer may register them, door to
// door: its variables are the code, the volunteer's first name and the
// drive's name (the first 30 characters of each). Giving the code is the
// member's consent; the link is the notice.
var Enrol = map[string]string{
	"en": "{#var#} is your Jodo code. {#var#} wants to register you as a member of {#var#}. Give the code only if you agree. Notice: {JODO_BASE_URL}/enrol/notice",
	"hi": "{#var#} आपका जोड़ो कोड है। {#var#} आपको {#var#} का सदस्य बनाना चाहते हैं। सहमत हों तभी कोड दें। सूचना: {JODO_BASE_URL}/enrol/notice",
}

// Registered lists every template in the order docs/sms.md gives them.
var Registered = []struct {
	Name, Lang string
	Text       string
}{
	{"followup_en", "en", Followup["en"]},
	{"followup_hi", "hi", Followup["hi"]},
	{"signin_en", "en", SignIn["en"]},
	{"signin_hi", "hi", SignIn["hi"]},
	{"group_reminder_en", "en", GroupReminder["en"]},
	{"group_reminder_hi", "hi", GroupReminder["hi"]},
	{"import_notice_en", "en", ImportNotice["en"]},
	{"import_notice_hi", "hi", ImportNotice["hi"]},
	{"request_code_en", "en", RequestCode["en"]},
	{"request_code_hi", "hi", RequestCode["hi"]},
	{"enrol_code_en", "en", Enrol["en"]},
	{"enrol_code_hi", "hi", Enrol["hi"]},
}
