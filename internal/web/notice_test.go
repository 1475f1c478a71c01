package web

import (
	"strings"
	"testing"
)

// storedWords are, per language, how the notices name each thing the join
// form stores about a person: name, phone, constituency and, if chosen,
// the booth; and the registration marks: the network and the device
// cookie.
var storedWords = map[string][]string{
	"en": {"name", "phone number", "constituency", "polling booth", "network", "cookie", "30 days"},
	"hi": {"नाम", "फ़ोन नंबर", "विधानसभा क्षेत्र", "मतदान केंद्र (बूथ)", "नेटवर्क", "कुकी", "30 दिन"},
}

// The membership notice names everything the form stores, in every
// language: a booth chosen on the form is kept, so the notice says so.
func TestNoticeNamesWhatTheFormStores(t *testing.T) {
	for _, lang := range Languages {
		notice := page{Lang: lang}.T("notice.membership", "Drive", "JH")
		for _, w := range storedWords[lang] {
			if !strings.Contains(notice, w) {
				t.Errorf("%s notice.membership does not name %q: %s", lang, w, notice)
			}
		}
	}
}

// The volunteer notice names what volunteering keeps beside the
// membership's: the work area (constituency, booth), languages, handles.
func TestVolunteerNoticeNamesWhatItKeeps(t *testing.T) {
	words := map[string][]string{
		"en": {"constituency", "polling booth", "languages", "handles"},
		"hi": {"विधानसभा क्षेत्र", "मतदान केंद्र (बूथ)", "भाषाओं", "हैंडल"},
	}
	for _, lang := range Languages {
		notice := page{Lang: lang}.T("vol.notice.keep")
		for _, w := range words[lang] {
			if !strings.Contains(notice, w) {
				t.Errorf("%s vol.notice.keep does not name %q: %s", lang, w, notice)
			}
		}
	}
}
