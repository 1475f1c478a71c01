package drive

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseExample(t *testing.T) {
	f, err := Parse(readTestdata(t, "example_drive.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := &File{
		Version: 3, Slug: "jh-warriors", Name: "Social media warriors — Jharkhand",
		StartsOn: "2026-02-12", EndsOn: "2026-03-12", Timezone: "Asia/Kolkata", RootArea: "JH",
		Channels: []Channel{
			{Kind: "missed_call", Number: "+9118000000000", SecretEnv: "JODO_HOOK_SECRET_JH"},
			{Kind: "whatsapp", Number: "+917000000000"},
		},
		Targets: []string{
			"state JH: 500000 members",
			"each pc: 1000 volunteers",
			"each pc: 100 office_bearers",
			"groups: 10 per volunteer target",
			"each ac: share members equally",
		},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("Parse(example) =\n%+v\nwant\n%+v", f, want)
	}
}

// The documentation's example must be the file the tests parse, so it cannot rot.
func TestDocsShowTheExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/drives.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := jsonBlocks(string(doc))
	for _, name := range []string{"example_drive.json", "example_export.json"} {
		want := strings.TrimSuffix(string(readTestdata(t, name)), "\n")
		found := false
		for _, b := range blocks {
			found = found || b == want
		}
		if !found {
			t.Errorf("docs/drives.md has no ```json block equal to testdata/%s", name)
		}
	}
}

func jsonBlocks(doc string) []string {
	var blocks []string
	for _, part := range strings.Split(doc, "```json\n")[1:] {
		body, _, ok := strings.Cut(part, "\n```")
		if ok {
			blocks = append(blocks, body)
		}
	}
	return blocks
}

func TestMarshalIsCanonicalAndRoundTrips(t *testing.T) {
	f, err := Parse(readTestdata(t, "example_drive.json"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if want := readTestdata(t, "example_export.json"); string(out) != string(want) {
		t.Errorf("Marshal =\n%s\nwant\n%s", out, want)
	}
	g, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f, g) {
		t.Errorf("Parse(Marshal(f)) = %+v, want %+v", g, f)
	}
}

func TestMarshalEmptyListsAsArrays(t *testing.T) {
	f := &File{Version: 1, Slug: "x1", Name: "x", StartsOn: "2026-01-01", EndsOn: "2026-01-01", Timezone: "UTC", RootArea: "IN"}
	out, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"channels": []`) || !strings.Contains(string(out), `"targets": []`) {
		t.Errorf("Marshal = %s, want empty lists as []", out)
	}
	g, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if g.Channels == nil || g.Targets == nil {
		t.Errorf("Parse gave nil lists: %+v", g)
	}
}

func TestParseCanonicalisesTargets(t *testing.T) {
	f, err := Parse(exampleWith(t, func(m map[string]any) {
		m["targets"] = []string{"STATE JH:  500000 Members", "Each PC: 1 volunteers", "Groups: 10 per Volunteers Target"}
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"state JH: 500000 members", "each pc: 1 volunteer", "groups: 10 per volunteer target"}
	if !reflect.DeepEqual(f.Targets, want) {
		t.Errorf("Targets = %q, want %q", f.Targets, want)
	}
	rules, err := f.Rules()
	if err != nil || len(rules) != 3 || rules[2].Of != "volunteers" {
		t.Errorf("Rules() = %+v, %v", rules, err)
	}
}

// exampleWith gives the example file changed by edit.
func exampleWith(t *testing.T, edit func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(readTestdata(t, "example_drive.json"), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func channel(m map[string]any, i int) map[string]any {
	return m["channels"].([]any)[i].(map[string]any)
}

func TestParseRefuses(t *testing.T) {
	cases := []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"unknown field", func(m map[string]any) { m["colour"] = "red" }, "colour: unknown field"},
		{"field in the wrong case", func(m map[string]any) { m["Slug"] = m["slug"]; delete(m, "slug") }, "Slug: unknown field"},
		{"literal secret in a channel", func(m map[string]any) { channel(m, 0)["secret"] = "hunter2" }, "channels[0].secret: a secret must not be written"},
		{"literal token at the top", func(m map[string]any) { m["hook_token"] = "x" }, "hook_token: a secret must not be written"},
		{"unknown channel field", func(m map[string]any) { channel(m, 1)["provider"] = "exotel" }, "channels[1].provider: unknown field"},
		{"version 0", func(m map[string]any) { m["version"] = 0 }, "version: must be 1 or more"},
		{"version as text", func(m map[string]any) { m["version"] = "3" }, "version: expected a whole number, got string"},
		{"version fractional", func(m map[string]any) { m["version"] = 3.5 }, "version: expected a whole number"},
		{"slug with capitals", func(m map[string]any) { m["slug"] = "JH_Warriors" }, "slug:"},
		{"slug too short", func(m map[string]any) { m["slug"] = "a" }, "slug:"},
		{"slug starting with a dash", func(m map[string]any) { m["slug"] = "-jh" }, "slug:"},
		{"slug too long", func(m map[string]any) { m["slug"] = strings.Repeat("a", 64) }, "slug:"},
		{"blank name", func(m map[string]any) { m["name"] = "  " }, "name: must not be empty"},
		{"missing name", func(m map[string]any) { delete(m, "name") }, "name: must not be empty"},
		{"blank Hindi name", func(m map[string]any) { m["name_local"] = " " }, "name_local:"},
		{"Hindi name on two lines", func(m map[string]any) { m["name_local"] = "सदस्यता\nअभियान" }, "name_local:"},
		{"sms name too long", func(m map[string]any) { m["sms_name"] = strings.Repeat("झ", 31) }, "sms_name:"},
		{"sms name on two lines", func(m map[string]any) { m["sms_name"] = "JH\nSadasyata" }, "sms_name:"},
		{"unknown language", func(m map[string]any) { m["language"] = "bn" }, `language: "bn" must be hi or en`},
		{"impossible date", func(m map[string]any) { m["starts_on"] = "2026-02-30" }, `starts_on: "2026-02-30" is not a date`},
		{"date in another format", func(m map[string]any) { m["ends_on"] = "12/03/2026" }, `ends_on: "12/03/2026" is not a date`},
		{"date without zero padding", func(m map[string]any) { m["ends_on"] = "2026-3-12" }, `ends_on: "2026-3-12" is not a date`},
		{"end before start", func(m map[string]any) { m["ends_on"] = "2026-02-11" }, "ends_on: 2026-02-11 is before starts_on 2026-02-12"},
		{"unknown zone", func(m map[string]any) { m["timezone"] = "Mars/Olympus" }, `timezone: "Mars/Olympus" is not a known time zone`},
		{"host zone", func(m map[string]any) { m["timezone"] = "Local" }, "timezone: must name a zone"},
		{"no zone", func(m map[string]any) { delete(m, "timezone") }, "timezone: must name a zone"},
		{"no root area", func(m map[string]any) { m["root_area"] = "" }, `root_area: "" is not an area code`},
		{"root area with a space", func(m map[string]any) { m["root_area"] = "J H" }, `root_area: "J H" is not an area code`},
		{"unknown channel kind", func(m map[string]any) { channel(m, 1)["kind"] = "telegram" }, `channels[1].kind: "telegram" is not one of`},
		{"not a phone number", func(m map[string]any) { channel(m, 1)["number"] = "12345" }, `channels[1].number: "12345" is not a valid phone number`},
		{"letters for a number", func(m map[string]any) { channel(m, 1)["number"] = "JODOIN" }, `channels[1].number: "JODOIN" is not a phone number`},
		{"no number", func(m map[string]any) { delete(channel(m, 0), "number") }, "channels[0].number: must not be empty"},
		{"number with an extension", func(m map[string]any) { channel(m, 1)["number"] = "+91 70000 00000 ext. 12" }, "has an extension"},
		{"same number twice", func(m map[string]any) { channel(m, 1)["number"] = "+91 1800-000-0000" }, "channels[1]: number +9118000000000 is already used by channels[0]"},
		{"two secret sources", func(m map[string]any) { channel(m, 0)["secret_file"] = "/run/secrets/jh" }, "channels[0]: give secret_env or secret_file, not both"},
		{"off on a missed-call number", func(m map[string]any) { channel(m, 0)["off"] = true }, "channels[0].off: only a whatsapp channel can be switched off"},
		{"secret_env not a variable name", func(m map[string]any) { channel(m, 0)["secret_env"] = "my secret" }, `channels[0].secret_env: "my secret" is not an environment variable name`},
		{"channels not a list", func(m map[string]any) { m["channels"] = map[string]any{} }, "channels: expected a list"},
		{"target not a rule", func(m map[string]any) { m["targets"] = []string{"state JH 500000 members"} }, `targets[0]: rule "state JH 500000 members"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectProblem(t, exampleWith(t, c.edit), c.want)
		})
	}
}

func TestParseRefusesWhatIsNotADriveFile(t *testing.T) {
	cases := map[string]string{
		"{":                            "not valid JSON at line 1",
		"{\n  \"version\": 3,\n  x\n}": "not valid JSON at line 3, column 3",
		"[]":                           "must be a JSON object, got array",
		"null":                         "must be a JSON object, got null",
		`{"version": 3} {}`:            "not valid JSON",
		"":                             "not valid JSON",
	}
	for data, want := range cases {
		expectProblem(t, []byte(data), want)
	}
}

func expectProblem(t *testing.T, data []byte, want string) {
	t.Helper()
	f, err := Parse(data)
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("Parse(%s) = %+v, %v; want an *Error", data, f, err)
	}
	for _, p := range perr.Problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Errorf("Parse(%s) problems %q, want one containing %q", data, perr.Problems, want)
}

func TestParseListsEveryProblem(t *testing.T) {
	_, err := Parse(exampleWith(t, func(m map[string]any) {
		m["version"] = 0
		m["slug"] = "X"
		m["colour"] = "red"
		channel(m, 0)["secret"] = "hunter2"
		m["targets"] = []string{"each pc: many volunteers"}
	}))
	var perr *Error
	if !errors.As(err, &perr) || len(perr.Problems) != 5 {
		t.Fatalf("Parse = %v, want 5 problems", err)
	}
	if !strings.HasPrefix(err.Error(), "drive: 5 problems: ") {
		t.Errorf("Error() = %q", err)
	}
}

func TestErrorMessageIsCapped(t *testing.T) {
	e := &Error{Problems: make([]string, shownProblems+3)}
	if !strings.HasSuffix(e.Error(), "; and 3 more") {
		t.Errorf("Error() = %q, want it to end with the hidden count", e.Error())
	}
	one := &Error{Problems: []string{"slug: bad"}}
	if one.Error() != "drive: slug: bad" {
		t.Errorf("Error() = %q", one.Error())
	}
}

func TestNormalizeNumber(t *testing.T) {
	cases := map[string]string{
		"1800 000 0000":     "+9118000000000",
		"1800-180-1551":     "+9118001801551",
		"+91 70000 00000":   "+917000000000",
		"070000 00000":      "+917000000000",
		"98765 43210":       "+919876543210",
		"+1 (202) 555-0100": "+12025550100",
	}
	for in, want := range cases {
		got, err := NormalizeNumber(in)
		if err != nil || got != want {
			t.Errorf("NormalizeNumber(%q) = %q, %v; want %q", in, got, err, want)
		}
		if again, err := NormalizeNumber(got); err != nil || again != got {
			t.Errorf("NormalizeNumber(%q) = %q, %v; want it unchanged", got, again, err)
		}
	}
}

func TestDuplicateKeys(t *testing.T) {
	cases := map[string][]string{
		`{"a": {"b": 1}, "b": 2}`:                   nil,
		`{"x": [{"k": 1}, {"k": [1, {"k": 2}]}]}`:   nil,
		`{"a": 1, "b": {"c": 1, "c": 2}, "a": "a"}`: {"c", "a"},
		`{"a": [], "a": {}, "s": "a", "a": null}`:   {"a", "a"},
		`["a", "a", {"a": 1}]`:                      nil,
	}
	for data, want := range cases {
		if got := duplicateKeys([]byte(data)); !reflect.DeepEqual(got, want) {
			t.Errorf("duplicateKeys(%s) = %q, want %q", data, got, want)
		}
	}
}

func TestSMSLabelAndLanguageDefaults(t *testing.T) {
	f := &File{Slug: "a-very-long-drive-slug-of-more-than-thirty-letters"}
	if f.SMSLabel() != "a-very-long-drive-slug-of-more" || f.Lang() != "hi" {
		t.Errorf("defaults: %q %q", f.SMSLabel(), f.Lang())
	}
	f.SMSName, f.Language = "JH Sadasyata", "en"
	if f.SMSLabel() != "JH Sadasyata" || f.Lang() != "en" {
		t.Errorf("set: %q %q", f.SMSLabel(), f.Lang())
	}
}
