package sms

import (
	"os"
	"strings"
	"testing"
)

// TestDocTemplates keeps docs/sms.md honest: the templates it tells people to
// register take three values and fit the budgets it states.
func TestDocTemplates(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sms.md")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, block := range strings.Split(string(doc), "```dlt\n")[1:] {
		text, _, _ := strings.Cut(block, "\n```")
		texts = append(texts, strings.ReplaceAll(text, "{JODO_BASE_URL}", "https://jodo.example.in"))
	}
	want := []struct {
		enc   string
		parts int
	}{{GSM7, 1}, {UCS2, 3}}
	if len(texts) != len(want) {
		t.Fatalf("found %d dlt templates, want %d", len(texts), len(want))
	}
	for i, text := range texts {
		body, err := Template{Text: text}.Render("JH Sadasyata", "x3wd3xhmxf2yc", "Y8W5AV2SGR") // token and code at their real lengths
		if err != nil {
			t.Fatalf("template %d: %v", i+1, err)
		}
		if enc, parts := Parts(body); enc != want[i].enc || parts != want[i].parts {
			t.Errorf("template %d: %s/%d parts, want %s/%d: %s", i+1, enc, parts, want[i].enc, want[i].parts, body)
		}
	}
}
