package bot

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/links"
)

// A "Still active" button's id is grp:confirm: and a positive id, nothing
// else; a tap on one is read as such, typed text never.
func TestParseConfirm(t *testing.T) {
	for id, want := range map[string]int64{"grp:confirm:1": 1, "grp:confirm:42": 42, "grp:confirm:007": 7,
		"grp:confirm:": 0, "grp:confirm:0": 0, "grp:confirm:-3": 0, "grp:confirm:1x": 0, "grp:confirm: 1": 0,
		"grp:confirm:99999999999999999999": 0, "grp:remove:1": 0, "confirm:1": 0, "": 0} {
		got, ok := parseConfirm(id)
		if got != want || ok != (want != 0) {
			t.Errorf("parseConfirm(%q) = %d %v, want %d", id, got, ok, want)
		}
	}
	if _, ok := confirmChoice(Input{Kind: Text, Text: "grp:confirm:1"}); ok {
		t.Error("typed text read as a button")
	}
	if id, ok := confirmChoice(Input{Kind: Choice, Choice: "grp:confirm:5"}); !ok || id != 5 {
		t.Errorf("a tap: %d %v", id, ok)
	}
}

// Sizes are read by their place in the list or as shown.
func TestSizeOf(t *testing.T) {
	for text, want := range map[string]string{"1": "1-50", "6": groups.Sizes[5], " 51 - 100 ": "51-100", "1025+": "1025+",
		"0": "", "7": "", "lots": "", "": ""} {
		if got := sizeOf(text); got != want {
			t.Errorf("sizeOf(%q) = %q, want %q", text, got, want)
		}
	}
}

// JOIN with nine symbols is a referral code, with ten a join code; both in
// either language; without the word, neither.
func TestCommandsReferralCode(t *testing.T) {
	for text, want := range map[string]string{"JOIN K7M2Q9XRT": "K7M2Q9XRT", "join k7m2q9xrt": "K7M2Q9XRT",
		"जुड़ें K7M2Q9XRT": "K7M2Q9XRT", "JOIN ABCD234567": "ABCD234567"} {
		if cmd, code := commandOf(text); cmd != cmdJoin || code != want {
			t.Errorf("%q: %d %q, want JOIN %q", text, cmd, code, want)
		}
	}
	if _, code := commandOf("K7M2Q9XRT"); code != "" {
		t.Errorf("nine letters without JOIN read as code %q", code)
	}
	for text, want := range map[string]command{"group": cmdGroup, "ग्रुप": cmdGroup, "Group jodo": cmdGroup, "MY GROUPS": cmdMyGroups,
		"मेरे ग्रुप": cmdMyGroups, "my group name": cmdNone} {
		if got, _ := commandOf(text); got != want {
			t.Errorf("%q: command %d, want %d", text, got, want)
		}
	}
}

// The words the Hindi group texts put in quotes are commands the bot takes
// (the Still active button's title aside), and the help offers GROUP and
// MY GROUPS in both languages.
func TestGroupTextsAdvertiseCommands(t *testing.T) {
	quoted := regexp.MustCompile(`“([^”]+)”`)
	button := tr("hi", "grp.still")
	for _, id := range []string{"grp.volunteer.first", "grp.registered", "grp.mine", "grp.mine.none", "grp.confirm.ended",
		"grp.confirm.unknown", "vol.started"} {
		for _, m := range quoted.FindAllStringSubmatch(tr("hi", id), -1) {
			if got, _ := commandOf(m[1]); got == cmdNone && m[1] != button && m[1] != "<no value>" {
				t.Errorf("hi %s advertises “%s”, which is no command", id, m[1])
			}
		}
	}
	for lang, words := range map[string][]string{"hi": {"ग्रुप", "मेरे ग्रुप"}, "en": {"GROUP", "MY GROUPS"}} {
		for _, w := range words {
			if !strings.Contains(tr(lang, "help"), "\n"+w+" – ") {
				t.Errorf("%s help lacks %q", lang, w)
			}
		}
	}
	for _, lang := range Languages {
		if !strings.Contains(tr(lang, "delete.confirm"), map[string]string{"hi": "ग्रुप", "en": "groups"}[lang]) {
			t.Errorf("%s DELETE's question does not mention groups", lang)
		}
	}
}

// Every reason groups.ParseInvite gives, and "taken", has its words.
func TestGroupLinkReasonsWorded(t *testing.T) {
	for _, reason := range []string{groups.Empty, groups.TooLong, groups.NotALink, groups.OtherSite, groups.NotInvite, groups.BadCode, groups.Taken} {
		for _, lang := range Languages {
			if _, ok := catalog.T(lang, problemText("link", reason)); !ok {
				t.Errorf("%s lacks the words for link reason %q", lang, reason)
			}
		}
	}
	for field := range groupFieldStep {
		if field == "link" {
			continue
		}
		for _, lang := range Languages {
			if _, ok := catalog.T(lang, problemText(field, "x")); !ok {
				t.Errorf("%s lacks the words for a %s problem", lang, field)
			}
		}
	}
	if !slices.Equal(groupSteps, []string{stepGLink, stepGWhere, stepGLang, stepGSize, stepGName}) {
		t.Errorf("group steps %v", groupSteps)
	}
}

// A button id and a typed JOIN message are outside input: reading them
// never panics, a confirm id is positive and is the digits after the prefix, and a
// code read after JOIN has a referral or a join code's length.
func FuzzGroupInputs(f *testing.F) {
	for _, s := range []string{"grp:confirm:12", "grp:confirm:", "grp:confirm:-1", "JOIN K7M2Q9XRT", "जुड़ें ABCD234567", "1025+", "join\x00k7m2q9xrt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, ok := parseConfirm(s); ok && (id <= 0 || s != confirmPrefix+strings.Repeat("0", len(s)-len(confirmPrefix)-len(strconv.FormatInt(id, 10)))+strconv.FormatInt(id, 10)) {
			t.Errorf("parseConfirm(%q) = %d", s, id)
		}
		if cmd, code := commandOf(s); code != "" && (cmd != cmdJoin || (len(code) != links.ReferralCodeLen && len(code) != links.CodeLen)) {
			t.Errorf("commandOf(%q) = %d %q", s, cmd, code)
		}
		if size := sizeOf(s); size != "" && !slices.Contains(groups.Sizes, size) {
			t.Errorf("sizeOf(%q) = %q", s, size)
		}
	})
}
