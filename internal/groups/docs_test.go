package groups_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/groups"
)

var backticked = regexp.MustCompile("`([^`]+)`")

// TestDocsInviteTable: docs/volunteers.md's table of invite links names
// every kind of group once, in the code's order, and what it says is
// accepted is read as that kind, what it says is refused is refused.
func TestDocsInviteTable(t *testing.T) {
	doc, err := os.ReadFile("../../docs/volunteers.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- invite-table -->\n")
	table, _, ok2 := strings.Cut(rest, "<!-- /invite-table -->")
	if !ok || !ok2 {
		t.Fatal("docs/volunteers.md has no <!-- invite-table --> … <!-- /invite-table --> block")
	}
	rows := strings.Split(strings.TrimSpace(table), "\n")[2:]
	var kinds []string
	for _, row := range rows {
		cells := strings.Split(strings.Trim(row, "| "), " | ")
		if len(cells) != 5 {
			t.Fatalf("row %.60q has %d cells, want 5", row, len(cells))
		}
		kind := strings.Trim(cells[0], "`")
		kinds = append(kinds, kind)
		accepted, refused := examples(cells[2]), examples(cells[4])
		if len(accepted) < 2 || len(refused) < 1 {
			t.Errorf("%s: %d accepted and %d refused examples, want 2 and 1 at least", kind, len(accepted), len(refused))
		}
		for _, ex := range accepted {
			if inv, reason := groups.ParseInvite(ex); inv.Kind != kind || reason != "" {
				t.Errorf("the docs say %q is a %s invite; ParseInvite: %+v %q", ex, kind, inv, reason)
			}
		}
		for _, ex := range refused {
			if inv, reason := groups.ParseInvite(ex); reason == "" {
				t.Errorf("the docs say %q is refused; ParseInvite reads %+v", ex, inv)
			}
		}
	}
	if !slices.Equal(kinds, groups.Kinds) {
		t.Errorf("the docs list kinds %q, the code %q", kinds, groups.Kinds)
	}
}

// examples are the backticked examples of a cell.
func examples(cell string) []string {
	var out []string
	for _, m := range backticked.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}
