package smstext_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/smstext"
)

// docs/sms.md tells people to register exactly the texts Jodo sends, in
// the same order.
func TestDocsGiveTheTemplatesSent(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sms.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(doc), "```dlt\n")[1:]
	if len(blocks) != len(smstext.Registered) {
		t.Fatalf("docs/sms.md has %d dlt blocks, Jodo sends %d templates", len(blocks), len(smstext.Registered))
	}
	for i, r := range smstext.Registered {
		text, _, _ := strings.Cut(blocks[i], "\n```")
		if text != r.Text {
			t.Errorf("docs/sms.md's block %d\n  %s\ndiffers from what Jodo sends as %s\n  %s", i+1, text, r.Name, r.Text)
		}
	}
}

// The sign-in code SMS fits one part in each language (a Unicode part
// holds 70 characters: the Hindi text is kept short for it).
func TestSignInFitsOnePart(t *testing.T) {
	for lang, text := range smstext.SignIn {
		body, err := sms.Template{Text: text}.Render("123456")
		if err != nil {
			t.Fatal(err)
		}
		if _, parts := sms.Parts(body); parts != 1 {
			t.Errorf("%s sign-in SMS is %d parts: %s", lang, parts, body)
		}
	}
}

// parts is what each language's text costs, with a 23-character base URL
// and vars filling its variables.
type parts map[string]struct {
	enc   string
	parts int
}

func checkParts(t *testing.T, texts map[string]string, want parts, vars ...string) {
	t.Helper()
	for lang, text := range texts {
		text = strings.ReplaceAll(text, smstext.BaseURL, "https://jodo.example.in")
		body, err := sms.Template{Text: text}.Render(vars...)
		if err != nil {
			t.Fatal(err)
		}
		if enc, n := sms.Parts(body); enc != want[lang].enc || n != want[lang].parts {
			t.Errorf("%s: %s/%d parts, want %s/%d: %s", lang, enc, n, want[lang].enc, want[lang].parts, body)
		}
	}
}

// The follow-up's budgets docs/sms.md states: English in one part, Hindi
// in three, with the token and code at their real lengths.
func TestFollowupParts(t *testing.T) {
	checkParts(t, smstext.Followup, parts{"en": {sms.GSM7, 1}, "hi": {sms.UCS2, 3}}, "JH Sadasyata", "x3wd3xhmxf2yc", "Y8W5AV2SGR")
}

// The group reminder's budgets docs/sms.md states: English in one part
// with the longest Latin name, Hindi in two.
func TestGroupReminderParts(t *testing.T) {
	checkParts(t, smstext.GroupReminder, parts{"en": {sms.GSM7, 1}, "hi": {sms.UCS2, 2}}, strings.Repeat("w", 30), "02-01-2027")
}

// The request confirmation code docs/sms.md states: one part in English,
// two in Hindi, whatever it confirms; it says what (each action fits a
// DLT variable's 30 characters) and warns a person who asked nothing.
func TestRequestCodeParts(t *testing.T) {
	want := parts{"en": {sms.GSM7, 1}, "hi": {sms.UCS2, 2}}
	warn := map[string]string{"en": "If you did not ask for this, do not share the code.", "hi": "अगर आपने यह नहीं माँगा, तो कोड किसी को न बताएँ।"}
	for kind, actions := range smstext.RequestAction {
		for lang, text := range smstext.RequestCode {
			action := actions[lang]
			if action == "" || len([]rune(action)) > 30 {
				t.Errorf("%s's action in %s: %q, want 1 to 30 characters", kind, lang, action)
			}
			body, err := sms.Template{Text: text}.Render("123456", action)
			if err != nil {
				t.Fatal(err)
			}
			if enc, n := sms.Parts(body); enc != want[lang].enc || n != want[lang].parts {
				t.Errorf("%s %s: %s/%d parts, want %s/%d: %s", kind, lang, enc, n, want[lang].enc, want[lang].parts, body)
			}
			if !strings.Contains(body, action) || !strings.Contains(body, warn[lang]) {
				t.Errorf("%s %s: %s does not say what it confirms and warn", kind, lang, body)
			}
		}
	}
}
