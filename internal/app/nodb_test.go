package app_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A one-off command without --db or JODO_DATABASE_URL says where it looked
// and leaves no empty ./jodo.db behind (it used to make one and report "no
// drive"); with JODO_DATABASE_URL it uses that database, as serve does.
func TestOneOffCommandsNeedADatabase(t *testing.T) {
	t.Chdir(t.TempDir())
	os.WriteFile("drive.json", []byte("{}"), 0o600)
	for _, args := range [][]string{
		{"drive", "export", "jh-warriors"},
		{"drive", "apply", "drive.json"},
		{"token", "create", "--name", "me", "--area", "JH"},
		{"token", "list"},
		{"token", "revoke", "me"},
		{"import", "areas", "builtin:jharkhand"},
		{"geo", "match", "ranchi"},
	} {
		_, err := runEnv(t, nil, args...)
		if err == nil || err.Error() != "no database at ./jodo.db — pass --db or set JODO_DATABASE_URL" {
			t.Errorf("jodo %s: %v", strings.Join(args, " "), err)
		}
		if _, err := os.Stat("jodo.db"); err == nil {
			t.Fatalf("jodo %s made ./jodo.db", strings.Join(args, " "))
		}
	}

	db := storetest.URL(t)
	env := map[string]string{"JODO_DATABASE_URL": db}
	if _, err := runEnv(t, env, "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, err := runEnv(t, env, "import", "areas", "builtin:jharkhand"); err != nil || !strings.Contains(out, "0 retired") {
		t.Errorf("import with JODO_DATABASE_URL: %q %v", out, err)
	}
	if _, err := runEnv(t, env, "drive", "export", "jh-warriors"); err == nil || strings.Contains(err.Error(), "no database") {
		t.Errorf("export of a missing drive: %v, want it not found", err)
	}
}
