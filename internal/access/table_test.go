package access_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
)

// TestDocsShowTheTable: docs/access.md's table is the code's, row by row,
// so the one table people read is the one the code enforces.
func TestDocsShowTheTable(t *testing.T) {
	doc, err := os.ReadFile("../../docs/access.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- access-table -->\n")
	table, _, ok2 := strings.Cut(rest, "<!-- /access-table -->")
	if !ok || !ok2 {
		t.Fatal("docs/access.md has no <!-- access-table --> … <!-- /access-table --> block")
	}
	lines := strings.Split(strings.TrimSpace(table), "\n")
	header := "| permission |"
	for _, r := range access.Roles {
		header += " " + string(r) + " |"
	}
	if !strings.HasPrefix(lines[0], header) {
		t.Errorf("header %q, want it to start %q", lines[0], header)
	}
	rows := lines[2:]
	if len(rows) != len(access.Permissions) {
		t.Fatalf("docs list %d permissions, the code %d", len(rows), len(access.Permissions))
	}
	for i, p := range access.Permissions {
		want := "| `" + string(p) + "` |"
		for _, r := range access.Roles {
			if r.Has(p) {
				want += " yes |"
			} else {
				want += " — |"
			}
		}
		if !strings.HasPrefix(rows[i], want) {
			t.Errorf("row %d is %q, the code says %q", i+1, rows[i], want)
		}
	}
}

func TestRolesArePermissionSets(t *testing.T) {
	if !access.Coordinator.Has(access.PeopleReveal) || access.Viewer.Has(access.PeopleRead) || access.FactChecker.Has(access.PeopleRead) {
		t.Error("the table lost its shape")
	}
	a := access.Actor{Grants: []access.Grant{{Role: access.Viewer, Areas: []string{"JH"}}, {Role: access.FactChecker, Areas: []string{"JH-PC-08"}}}}
	if a.Can(access.PeopleRead) || !a.Can(access.Tipline) || !a.Can(access.Public) {
		t.Error("an actor's permissions are the union of their roles'")
	}
	if got := a.ScopeLabel(); got != "viewer:JH;fact_checker:JH-PC-08" {
		t.Errorf("scope label %q", got)
	}
}
