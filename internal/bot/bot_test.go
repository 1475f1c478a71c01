package bot

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// Every language has every message, and what goes on a button fits one.
func TestCatalogsAreComplete(t *testing.T) {
	for _, p := range locale.Problems(os.DirFS("."), "locales", Languages) {
		t.Error(p)
	}
	for _, lang := range Languages {
		for _, id := range []string{"notice.yes", "notice.no", "optin.yes", "optin.no", "age.yes", "age.no", "booth.skip",
			"delete.yes", "delete.no", "district.menu", "ac.menu",
			"vol.offer.yes", "vol.offer.no", "vol.notice.yes", "vol.notice.no", "vol.work.yes", "vol.work.other", "vol.wa.yes", "vol.wa.no",
			"vol.done", "vol.langs.menu", "unvol.yes", "unvol.no"} {
			if n := utf8.RuneCountInString(tr(lang, id)); n > maxButtonTitle {
				t.Errorf("%s %s: %d characters, a button takes %d", lang, id, n, maxButtonTitle)
			}
		}
	}
}

// Commands are whole messages in either language; a join code counts only
// after the word JOIN (or जुड़ें), since ten letters may be a name.
func TestCommands(t *testing.T) {
	for text, want := range map[string]command{
		"STOP": cmdStop, " stop! ": cmdStop, "रुको": cmdStop, "बंद करो": cmdStop, "Start": cmdStart, "शुरू": cmdStart,
		"help": cmdHelp, "मदद": cmdHelp, "My data": cmdMyData, "मेरा डेटा": cmdMyData, "DELETE": cmdDelete, "हटाओ": cmdDelete,
		"join": cmdJoin, "जुड़ें": cmdJoin, "Volunteer": cmdVolunteer, "कार्यकर्ता बनें": cmdVolunteer, "karyakarta": cmdVolunteer,
		"कार्यकर्ता": cmdVolunteer, "Stop volunteering": cmdStopVolunteering, "कार्यकर्ता छोड़ें": cmdStopVolunteering,
		"कार्यकर्ता छो\u095Cें": cmdStopVolunteering, "Stop Singh": cmdNone, "please stop": cmdNone, "hi": cmdNone, "": cmdNone,
	} {
		if got, _ := commandOf(text); got != want {
			t.Errorf("%q: command %d, want %d", text, got, want)
		}
	}
	for _, text := range []string{"मिटाएं", "मिटाएँ", "मिटा दो"} {
		if got, _ := commandOf(text); got != cmdDelete {
			t.Errorf("%q: command %d, want DELETE", text, got)
		}
	}
	for _, text := range []string{"जुडें", "जुड़े", "जु\u095Cें"} { // no nukta; no chandrabindu; ड़ as one code point
		if got, _ := commandOf(text); got != cmdJoin {
			t.Errorf("%q: command %d, want JOIN", text, got)
		}
		if cmd, code := commandOf(text + " abcd234567"); cmd != cmdJoin || code != "ABCD234567" {
			t.Errorf("%q with a code: %d %q", text, cmd, code)
		}
	}
	if cmd, code := commandOf("JOIN ABCD234567"); cmd != cmdJoin || code != "ABCD234567" {
		t.Errorf("JOIN with a code: %d %q", cmd, code)
	}
	if cmd, code := commandOf("जुड़ें abcd234567"); cmd != cmdJoin || code != "ABCD234567" {
		t.Errorf("जुड़ें with a code: %d %q", cmd, code)
	}
	if _, code := commandOf("ABCDEFGHJK"); code != "" {
		t.Errorf("ten letters without JOIN read as code %q", code)
	}
	for text, want := range map[string]int{"हाँ": 1, "Yes": 1, "ji": 1, "नहीं": -1, "no": -1, "maybe": 0} {
		if got := yesNo(text); got != want {
			t.Errorf("yesNo(%q) = %d, want %d", text, got, want)
		}
	}
}

// Every command word the Hindi texts put in quotes is one the bot takes,
// and the help lists the advertised words (“बंद”, not रुको, which also
// means "wait"; “मेरी जानकारी”, not मेरा डेटा, read as mobile data).
func TestAdvertisedHindiCommandsWork(t *testing.T) {
	quoted := regexp.MustCompile(`“([^”]+)”`)
	for _, id := range []string{"notice", "notice.declined", "optin", "welcome", "member", "stopped", "mydata", "deleted",
		"vol.later", "vol.member.first", "vol.notice", "vol.declined", "vol.started", "unvol.done", "unvol.none"} {
		for _, m := range quoted.FindAllStringSubmatch(tr("hi", id), -1) {
			if got, _ := commandOf(m[1]); got == cmdNone && m[1] != "छोड़ें" {
				t.Errorf("hi %s advertises “%s”, which is no command", id, m[1])
			}
		}
	}
	help := tr("hi", "help")
	for word, want := range map[string]command{"कार्यकर्ता बनें": cmdVolunteer, "कार्यकर्ता छोड़ें": cmdStopVolunteering, "जुड़ें": cmdJoin, "मेरी जानकारी": cmdMyData, "मिटाओ": cmdDelete, "बंद": cmdStop,
		"शुरू": cmdStart, "मदद": cmdHelp} {
		if got, _ := commandOf(word); got != want || !strings.Contains(help, "\n"+word+" – ") {
			t.Errorf("hi help should offer %q (command %d, want %d):\n%s", word, got, want, help)
		}
	}
	for _, word := range []string{"रुको", "मेरा डेटा", "हटाओ"} {
		if strings.Contains(help, word) {
			t.Errorf("hi help still advertises %q:\n%s", word, help)
		}
	}
}

// The notice names everything the chat stores: the booth too, when given.
func TestNoticeNamesWhatTheChatStores(t *testing.T) {
	for lang, words := range map[string][]string{
		"en": {"name", "phone number", "constituency", "polling booth"},
		"hi": {"नाम", "फ़ोन नंबर", "विधानसभा क्षेत्र", "मतदान केंद्र (बूथ)"},
	} {
		for _, w := range words {
			if notice := tr(lang, "notice"); !strings.Contains(notice, w) {
				t.Errorf("%s notice does not name %q: %s", lang, w, notice)
			}
		}
	}
}

// A reply becomes buttons (≤ 3) or a list (more, or a menu), always within
// WhatsApp's limits, and long lists page with a More row that comes round.
func TestRepliesFitWhatsApp(t *testing.T) {
	areas := make([]store.Area, 24)
	for i := range areas {
		areas[i] = store.Area{Code: "D" + strings.Repeat("X", i%3) + string(rune('A'+i)), Kind: "district",
			NameEN: strings.Repeat("Long district name ", 3)}
	}
	seen := map[string]bool{}
	page := 0
	for range 3 {
		rows := areaList("en", "d:", areas, page)
		if len(rows) > maxRows {
			t.Fatalf("page %d has %d rows", page, len(rows))
		}
		o := Outgoing(Reply{Text: "Which district?", Menu: "Districts", Choices: rows}, "")
		if _, err := o.Encode(); err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, r := range rows[:len(rows)-1] {
			seen[r.ID] = true
		}
		next, ok := pageOf(rows[len(rows)-1].ID)
		if !ok {
			t.Fatalf("page %d ends without More: %v", page, rows[len(rows)-1])
		}
		page = next
	}
	if len(seen) != 24 || page != 0 {
		t.Errorf("three pages showed %d districts and then page %d, want all 24 and back to 0", len(seen), page)
	}
	o := Outgoing(Reply{Text: "?", Choices: []Option{{ID: "a", Title: strings.Repeat("अ", 30)}, {ID: "b", Title: "B"}}}, "")
	if o.Kind != graph.KindButtons {
		t.Errorf("two choices: %s", o.Kind)
	}
	if _, err := o.Encode(); err != nil {
		t.Errorf("a long button title is not cut: %v", err)
	}
}

// Typed text is outside input: reading it as a command, a yes/no or a page
// never panics, and normalising is idempotent.
func FuzzCommands(f *testing.F) {
	for _, s := range []string{"STOP", "जुड़ें ABCD234567", "more:12", "हाँ", "\x00\uffff", "join join join"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normalise(s)
		if normalise(n) != n {
			t.Errorf("normalise is not idempotent on %q", s)
		}
		commandOf(s)
		yesNo(s)
		if p, ok := pageOf(s); ok && (p < 0 || p >= 1000) {
			t.Errorf("page %d from %q", p, s)
		}
	})
}
