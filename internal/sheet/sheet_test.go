package sheet

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNeutral(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"Ranchi":            "Ranchi",
		"रांची":             "रांची",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+91 98xxxxxx10":    "'+91 98xxxxxx10",
		"-2+3":              "'-2+3",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tcmd":             "'\tcmd",
		"\r=1":              "'\r=1",
		"a=1":               "a=1",
		" =1":               "' =1",
		"  @x":              "'  @x",
		"\n=1":              "'\n=1",
		"＝1+1":              "'＝1+1",
		"－5":                "'－5",
		"a b":               "a b",
		"   ":               "   ",
	} {
		if got := Neutral(in); got != want {
			t.Errorf("Neutral(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	c := NewCSV(&buf)
	if err := c.Row("area", "members", "percent"); err != nil {
		t.Fatal(err)
	}
	if err := c.Row("=cmd|' /C calc'!A0", int64(-3), 12.5); err != nil {
		t.Fatal(err)
	}
	if err := c.Row("रांची, \"JH\"", 7, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\uFEFFarea,") || !strings.Contains(raw, "\r\n") {
		t.Fatalf("want a BOM and CRLF lines: %q", raw)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"area", "members", "percent"}, {"'=cmd|' /C calc'!A0", "-3", "12.5"}, {"रांची, \"JH\"", "7", ""}}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, rows[i], want[i])
		}
	}
	if err := c.Row(struct{}{}); err == nil {
		t.Error("a cell of an unknown type must be refused")
	}
}

// FuzzNeutral: whatever text goes in, no cell comes out that a spreadsheet
// would run, and nothing of the text is lost.
func FuzzNeutral(f *testing.F) {
	for _, s := range []string{"=1+1", "+1", "-1", "@A1", "\t=1", "\r", "plain", "", "रांची"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Neutral(s)
		first, _ := utf8.DecodeRuneInString(strings.TrimLeft(got, " "))
		if got != "" && strings.ContainsRune(formulaStarts, first) {
			t.Errorf("Neutral(%q) = %q still starts a formula", s, got)
		}
		if strings.TrimPrefix(got, "'") != s && got != s {
			t.Errorf("Neutral(%q) = %q lost text", s, got)
		}
	})
}
