package handles_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/handles"
)

// TestDocsShowTheTables: docs/volunteers.md lists exactly the platforms and
// the languages of the code, in its order, so the page people read is the
// list the forms offer.
func TestDocsShowTheTables(t *testing.T) {
	doc, err := os.ReadFile("../../docs/volunteers.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- platform-table -->\n")
	table, _, ok2 := strings.Cut(rest, "<!-- /platform-table -->")
	if !ok || !ok2 {
		t.Fatal("docs/volunteers.md has no <!-- platform-table --> … <!-- /platform-table --> block")
	}
	rows := strings.Split(strings.TrimSpace(table), "\n")[2:]
	if len(rows) != len(handles.Platforms) {
		t.Fatalf("docs list %d platforms, the code %d", len(rows), len(handles.Platforms))
	}
	for i, p := range handles.Platforms {
		if want := "| `" + p.Code + "` | " + p.Name + " |"; !strings.HasPrefix(rows[i], want) {
			t.Errorf("row %d is %.40q…, the code says %q", i+1, rows[i], want)
		}
	}
	for _, l := range handles.Languages {
		if row := "| `" + l.Code + "` | " + l.English + " | " + l.Native + " | " + l.Hindi + " |"; !strings.Contains(string(doc), row) {
			t.Errorf("docs have no row %q", row)
		}
	}
}

func TestLanguages(t *testing.T) {
	if l, ok := handles.LanguageOf("sat"); !ok || l.English != "Santali" {
		t.Errorf("LanguageOf(sat) = %v, %v", l, ok)
	}
	seen := map[string]bool{}
	for _, l := range handles.Languages {
		if seen[l.Code] || l.English == "" || l.Native == "" || l.Hindi == "" {
			t.Errorf("language %+v repeats a code or lacks a name", l)
		}
		seen[l.Code] = true
	}
	if len(handles.Languages) != 12 || !seen["other"] {
		t.Errorf("%d languages; the issue names 11 and other", len(handles.Languages))
	}
}
