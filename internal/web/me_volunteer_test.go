package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/people"
)

// Whatever is posted to /me/volunteer, the form read from it holds known
// languages only, each once, in the list's order; handles of known
// platforms only, each valid UTF-8, trimmed, not empty and bounded; and
// the notice agreed to only when the box said "yes".
func FuzzParseVolunteerForm(f *testing.F) {
	f.Add("drive=jh&consent_volunteer=yes&ac=JH-AC-064&booth=12&language=hi&language=sat&handle.instagram=%40ravi")
	f.Add("language=hi&language=hi&language=xx&language=other&handle.x=+&handle.nope=a")
	f.Add("consent_volunteer=YES&handle.whatsapp=%ff%fe+98123&handle.youtube=" + strings.Repeat("%E0%A4%85", 120))
	f.Add("handle.facebook=" + strings.Repeat("a", 299) + "%E0%A4%85")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		form := parseVolunteerForm(v)
		if form.Agreed != (v.Get("consent_volunteer") == "yes") {
			t.Errorf("agreed %v from %q", form.Agreed, v.Get("consent_volunteer"))
		}
		last := -1
		for _, code := range form.Languages {
			i := slices.IndexFunc(handles.Languages, func(l handles.Language) bool { return l.Code == code })
			if i <= last {
				t.Errorf("languages %v: unknown, repeated or out of order", form.Languages)
			}
			last = i
		}
		for platform, h := range form.Handles {
			if _, ok := handles.Lookup(platform); !ok {
				t.Errorf("a handle for unknown platform %q", platform)
			}
			if h == "" || h != strings.TrimSpace(h) || !utf8.ValidString(h) || len(h) > maxHandleInput {
				t.Errorf("handle %q for %s", h, platform)
			}
		}
	})
}

// Every reason people.Volunteer can give is worded in both languages.
func TestVolunteerErrorsWorded(t *testing.T) {
	reasons := []string{handles.Empty, handles.TooShort, handles.TooLong, handles.BadCharacters, handles.NotAProfile,
		handles.OtherSite, handles.InviteLink, handles.BadNumber, handles.UnknownPlatform, people.ReasonTaken, people.ReasonUnknown}
	probs := people.Problems{"consent": people.ReasonMissing, "member": people.ReasonNotMember, "phone": people.ReasonUnproven,
		"languages": people.ReasonMissing, "area": people.ReasonNotInArea}
	for _, r := range reasons {
		probs["handle."+r] = r
	}
	for field, id := range volunteerErrors(probs) {
		for _, lang := range Languages {
			if _, ok := catalog.T(lang, id); !ok {
				t.Errorf("%s: %s has no %s text", field, id, lang)
			}
		}
	}
	if _, ok := catalog.T("hi", volunteerErrors(people.Problems{"languages": people.ReasonUnknown})["languages"]); !ok {
		t.Errorf("languages unknown is not worded")
	}
}
