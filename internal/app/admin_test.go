package app_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/app"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// jodo runs one command in-process and returns its output and error.
func jodo(t *testing.T, dbURL string, args ...string) (string, error) {
	t.Helper()
	return runEnv(t, nil, append(args, "--db", dbURL)...)
}

// runEnv runs one command in-process with only env (as a shell would,
// without --db unless args have it) and returns its output and error.
func runEnv(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	cfg, err := config.Parse(args, mapEnv(env), io.Discard)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	err = app.Run(context.Background(), cfg, app.IO{Stdout: &out, Stderr: io.Discard})
	return out.String(), err
}

func mustJodo(t *testing.T, dbURL string, args ...string) string {
	t.Helper()
	out, err := jodo(t, dbURL, args...)
	if err != nil {
		t.Fatalf("jodo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func repoFile(t *testing.T, path string) string {
	t.Helper()
	p := filepath.Join("..", "..", path)
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// The documented worked examples load through the real commands.
func TestImportAndDriveCommands(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	mustJodo(t, db, "migrate")
	out := mustJodo(t, db, "import", "areas", "builtin:jharkhand")
	if !strings.Contains(out, "0 retired") {
		t.Fatalf("import Jharkhand: %s", out)
	}
	if out := mustJodo(t, db, "import", "areas", "builtin:jharkhand"); !strings.Contains(out, "0 added or changed, 0 retired") {
		t.Fatalf("re-import changed something: %s", out)
	}
	example := repoFile(t, "internal/geo/testdata/example_areas.csv")
	if out := mustJodo(t, db, "import", "areas", example); !strings.Contains(out, "9 areas read; 9 added") {
		t.Fatalf("import the docs example: %s", out)
	}

	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("code,kind,number,name_en,name_local,reservation,parent,district\nXT,state,,T,,,,\nXT-PC-1,pc,x1,P,,,XT,\nXT-PC-1,pc,2,Q,,,XT,\n"), 0o600)
	_, err := jodo(t, db, "import", "areas", bad)
	if err == nil || !strings.Contains(err.Error(), "nothing imported") || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("bad area file: %v", err)
	}
	if _, err := jodo(t, db, "token", "create", "--name", "t", "--area", "XT"); err == nil {
		t.Fatal("a bad file left area XT behind")
	}

	driveFile := repoFile(t, "internal/drive/testdata/example_drive.json")
	if out := mustJodo(t, db, "drive", "apply", driveFile); !strings.Contains(out, "created (version 3)") {
		t.Fatalf("drive apply: %s", out)
	}
	exported := mustJodo(t, db, "drive", "export", "jh-warriors")
	want, _ := os.ReadFile(repoFile(t, "internal/drive/testdata/example_export.json"))
	if exported != string(want) {
		t.Fatalf("drive export:\n%s\nwant:\n%s", exported, want)
	}
	older := filepath.Join(t.TempDir(), "older.json")
	os.WriteFile(older, bytes.Replace([]byte(exported), []byte(`"version": 3`), []byte(`"version": 2`), 1), 0o600)
	if _, err := jodo(t, db, "drive", "apply", older); err == nil || !strings.Contains(err.Error(), "older") {
		t.Fatalf("older drive file accepted: %v", err)
	}
	if out := mustJodo(t, db, "drive", "apply", older, "--force"); !strings.Contains(out, "updated (version 2)") {
		t.Fatalf("--force: %s", out)
	}
	// The same file again is allowed (targets recomputed); a change that
	// keeps the version is not: what was made from version 2 (a
	// follow-up's texts) must not change under it.
	if out := mustJodo(t, db, "drive", "apply", older); !strings.Contains(out, "updated (version 2)") {
		t.Fatalf("the same file again: %s", out)
	}
	renamed := bytes.Replace([]byte(exported), []byte(`"name": "Social media warriors — Jharkhand"`), []byte(`"name": "Social media warriors — Ranchi"`), 1)
	changed := filepath.Join(t.TempDir(), "changed.json")
	os.WriteFile(changed, bytes.Replace(renamed, []byte(`"version": 3`), []byte(`"version": 2`), 1), 0o600)
	if _, err := jodo(t, db, "drive", "apply", changed); err == nil || !strings.Contains(err.Error(), "raise its version to 3") {
		t.Fatalf("a changed file at the same version: %v", err)
	}
	os.WriteFile(changed, renamed, 0o600)
	if out := mustJodo(t, db, "drive", "apply", changed); !strings.Contains(out, "updated (version 3)") {
		t.Fatalf("the change at version 3: %s", out)
	}
}

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	mustJodo(t, db, "migrate")
	mustJodo(t, db, "import", "areas", "builtin:jharkhand")
	out := mustJodo(t, db, "token", "create", "--name", "ranchi", "--area", "JH-PC-08,jh-d-ranchi", "--role", "coordinator")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if tok := lines[len(lines)-1]; !strings.HasPrefix(tok, "jodo_") || len(tok) < 40 {
		t.Fatalf("token create must print the token as its last line: %q", out)
	}
	if _, err := jodo(t, db, "token", "create", "--name", "ranchi", "--area", "JH"); err == nil {
		t.Fatal("a second live token with the same name was created")
	}
	if _, err := jodo(t, db, "token", "create", "--name", "x", "--area", "JH-PC-99"); err == nil {
		t.Fatal("token for an unknown area was created")
	}
	if _, err := jodo(t, db, "token", "create", "--name", "x", "--area", "JH", "--role", "god"); err == nil {
		t.Fatal("token with an unknown role was created")
	}
	list := mustJodo(t, db, "token", "list")
	if !strings.Contains(list, "ranchi") || !strings.Contains(list, "JH-PC-08,JH-D-RANCHI") || strings.Contains(list, "jodo_") {
		t.Fatalf("token list: %s", list)
	}
	mustJodo(t, db, "token", "revoke", "ranchi")
	if list := mustJodo(t, db, "token", "list"); strings.Contains(list, "ranchi") {
		t.Fatalf("revoked token still listed: %s", list)
	}
	if _, err := jodo(t, db, "token", "revoke", "ranchi"); err == nil {
		t.Fatal("revoking twice succeeded")
	}
}
