package sms

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var followupEN = Template{ID: "1107000000000000001", Name: "followup_en", Lang: "en",
	Text: "Thanks for your call to {#var#}. Join: https://jodo.example.in/j/{#var#} or WhatsApp: https://wa.me/919800000000?text=JOIN%20{#var#}"}

func TestRenderFillsInOrder(t *testing.T) {
	got, err := followupEN.Render("JH Drive", "k3Xq9aZ", "AB12CD34")
	if err != nil {
		t.Fatal(err)
	}
	want := "Thanks for your call to JH Drive. Join: https://jodo.example.in/j/k3Xq9aZ or WhatsApp: https://wa.me/919800000000?text=JOIN%20AB12CD34"
	if got != want {
		t.Errorf("Render =\n%q, want\n%q", got, want)
	}
}

func TestRenderRefusesWhatBreaksDLT(t *testing.T) {
	hindi30 := strings.Repeat("क", 30)
	if _, err := followupEN.Render(hindi30, strings.Repeat("x", MaxVarLen), "a"); err != nil {
		t.Errorf("values of exactly %d characters: %v", MaxVarLen, err)
	}
	for name, args := range map[string][]string{
		"too few":      {"a", "b"},
		"too many":     {"a", "b", "c", "d"},
		"too long":     {strings.Repeat("x", MaxVarLen+1), "b", "c"},
		"newline":      {"a\nb", "b", "c"},
		"carriage ret": {"a", "b\r", "c"},
		"bad utf-8":    {"a", "\xff", "c"},
	} {
		if _, err := followupEN.Render(args...); err == nil {
			t.Errorf("%s: Render(%q) accepted", name, args)
		}
	}
}

func TestRenderValueLooksLikePlaceholder(t *testing.T) {
	got, err := Template{Text: "a {#var#} b {#var#}"}.Render("{#var#}", "x")
	if err != nil || got != "a {#var#} b x" {
		t.Errorf("Render = %q, %v", got, err)
	}
}

func TestRenderTypedPlaceholders(t *testing.T) {
	tpl := Template{Text: "{#x {#numeric#} code {#alphanumeric#}{#var#}#} {##}"}
	if n := tpl.Vars(); n != 3 {
		t.Fatalf("Vars = %d, want 3", n)
	}
	got, err := tpl.Render("1", "A", "b")
	if want := "{#x 1 code Ab#} {##}"; err != nil || got != want {
		t.Errorf("Render = %q, %v; want %q", got, err, want)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("Hi {#var#}, see {#var#}", "Priya", "https://x")
	f.Add("{#var#}{#var#", "\n", "")
	f.Add("नमस्ते {#var#}", "प्रिया", "{#var#}")
	f.Fuzz(func(t *testing.T, text, a, b string) {
		tpl := Template{Text: text}
		args := []string{a, b}[:min(tpl.Vars(), 2)]
		got, err := tpl.Render(args...)
		if err != nil {
			return
		}
		if tpl.Vars() != len(args) || utf8.RuneCountInString(a) > MaxVarLen && len(args) > 0 {
			t.Fatalf("Render(%q, %q) accepted: %q", text, args, got)
		}
		if len(args) == 0 && got != text {
			t.Fatalf("Render(%q) = %q, want the text unchanged", text, got)
		}
	})
}

// Clip keeps a variable within DLT's length, counting characters (not
// bytes), and leaves no space at the cut.
func TestClip(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Ranchi", "Ranchi"},
		{strings.Repeat("क", 30), strings.Repeat("क", 30)},
		{strings.Repeat("क", 31), strings.Repeat("क", 30)},
		{strings.Repeat("a", 29) + " tail", strings.Repeat("a", 29)},
	} {
		if got := Clip(c.in); got != c.want {
			t.Errorf("Clip(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
