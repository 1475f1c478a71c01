package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const staffKey = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"

// staffJodo runs a command with the server's secret key (and env), as an
// operator on the server would.
func staffJodo(t *testing.T, db string, env map[string]string, args ...string) (string, error) {
	t.Helper()
	all := map[string]string{"JODO_SECRET_KEY": staffKey}
	for k, v := range env {
		all[k] = v
	}
	return runEnv(t, all, append(args, "--db", db)...)
}

func mustStaff(t *testing.T, db string, args ...string) string {
	t.Helper()
	out, err := staffJodo(t, db, nil, args...)
	if err != nil {
		t.Fatalf("jodo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// noFullNumber fails when text holds a number of the test in full, in any
// of the forms it was typed or stored.
func noFullNumber(t *testing.T, what, text string) {
	t.Helper()
	for _, n := range []string{"9876500001", "9876500002", "9876500003", "9876500004"} {
		if strings.Contains(text, n) {
			t.Errorf("%s shows the full number %s:\n%s", what, n, text)
		}
	}
}

var linkLine = regexp.MustCompile(`(?m)^(\S+)/signin/link/([A-Za-z0-9_-]{43})$`)

// jodo staff add, list, link and remove, end to end: what they print
// (numbers masked, never in full), what they refuse, and the audit
// entries they leave as cli:<user>.
func TestStaffCommands(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	mustJodo(t, db, "migrate")
	mustJodo(t, db, "import", "areas", "builtin:jharkhand")
	if _, err := jodo(t, db, "staff", "list"); err == nil || !strings.Contains(err.Error(), "JODO_SECRET_KEY") {
		t.Fatalf("staff without the server's key: %v", err)
	}

	out := mustStaff(t, db, "staff", "add", "--phone", "98765 00001", "--name", "Asha Kumari", "--role", "coordinator", "--area", "JH-AC-063")
	if !regexp.MustCompile(`^gave \+91 98xxxxxx01 the role coordinator over JH-AC-063 \(person \d+, new\)\n$`).MatchString(out) {
		t.Errorf("staff add: %q", out)
	}
	out = mustStaff(t, db, "staff", "add", "--phone", "+919876500001", "--role", "coordinator", "--area", "JH-AC-063,JH-AC-064")
	if !strings.HasPrefix(out, "replaced the areas of +91 98xxxxxx01 the role coordinator") || strings.Contains(out, "new") {
		t.Errorf("staff add again: %q", out)
	}
	mustStaff(t, db, "staff", "add", "--phone", "9876500001", "--role", "viewer", "--area", "JH")
	list := mustStaff(t, db, "staff", "list")
	for _, want := range []string{"Asha Kumari", "+91 98xxxxxx01", "coordinator", "JH-AC-063,JH-AC-064", "viewer", "cli:"} {
		if !strings.Contains(list, want) {
			t.Errorf("staff list lacks %q:\n%s", want, list)
		}
	}
	if strings.Count(list, "Asha Kumari") != 2 {
		t.Errorf("staff list: want one line per role:\n%s", list)
	}

	out = mustStaff(t, db, "staff", "link", "--phone", "9876500001")
	m := linkLine.FindStringSubmatch(out)
	if m == nil || m[1] != "http://127.0.0.1:8080" || !strings.Contains(out, "+91 98xxxxxx01") {
		t.Errorf("staff link: %q", out)
	}
	out, err := staffJodo(t, db, map[string]string{"JODO_BASE_URL": "https://join.example.org"}, "staff", "link", "--phone", "9876500001")
	if m2 := linkLine.FindStringSubmatch(out); err != nil || m2 == nil || m2[1] != "https://join.example.org" || m2[2] == m[2] {
		t.Errorf("staff link on JODO_BASE_URL: %q %v", out, err)
	}

	// Refusals, each naming the number masked only.
	attach := storetest.Attach(t, db)
	ctx := context.Background()
	err = attach.Update(ctx, func(tx *store.Tx) error {
		if err := store.AddSuppression(ctx, tx, store.SuppressionHash([]byte(staffKey), "+919876500003"), store.SuppressErased); err != nil {
			return err
		}
		return store.AddSuppression(ctx, tx, store.SuppressionHash([]byte(staffKey), "+919876500004"), store.SuppressUnder18)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "--phone", "9876500002", "--name", "Ravi", "--role", "god", "--area", "JH"}, "role must be one of"},
		{[]string{"add", "--phone", "9876500002", "--name", "Ravi", "--role", "admin", "--area", "JH-AC-999"}, "JH-AC-999"},
		{[]string{"add", "--phone", "9876500002", "--role", "admin", "--area", "JH"}, "--name"},
		{[]string{"add", "--phone", "12345", "--name", "Ravi", "--role", "admin", "--area", "JH"}, "not a phone number"},
		{[]string{"add", "--phone", "9876500003", "--name", "Ravi", "--role", "admin", "--area", "JH"}, "erased"},
		{[]string{"add", "--phone", "9876500004", "--name", "Ravi", "--role", "admin", "--area", "JH"}, "under_18"},
		{[]string{"link", "--phone", "9876500002"}, "nobody has the number +91 98xxxxxx02"},
		{[]string{"remove", "--phone", "9876500002"}, "nobody has the number +91 98xxxxxx02"},
		{[]string{"remove", "--phone", "9876500001", "--role", "admin"}, "holds no such role"},
	} {
		out, err := staffJodo(t, db, nil, append([]string{"staff"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("staff %s: %v (%q), want an error saying %q", strings.Join(c.args, " "), err, out, c.want)
			continue
		}
		noFullNumber(t, "the error of staff "+c.args[0], err.Error())
	}
	if got := storetest.PeopleCount(t, attach); got != 1 {
		t.Errorf("%d people after the refusals, want 1 (only Asha)", got)
	}

	out = mustStaff(t, db, "staff", "remove", "--phone", "9876500001", "--role", "viewer")
	if out != "removed viewer from +91 98xxxxxx01; their sessions have ended\n" {
		t.Errorf("staff remove --role: %q", out)
	}
	out = mustStaff(t, db, "staff", "remove", "--phone", "9876500001")
	if out != "removed coordinator from +91 98xxxxxx01; their sessions have ended\n" {
		t.Errorf("staff remove: %q", out)
	}
	if list := mustStaff(t, db, "staff", "list"); strings.Contains(list, "Asha") {
		t.Errorf("removed staff still listed:\n%s", list)
	}
	if _, err := staffJodo(t, db, nil, "staff", "link", "--phone", "9876500001"); err == nil || !strings.Contains(err.Error(), "holds no role") {
		t.Errorf("a link for someone holding no role: %v", err)
	}
	noFullNumber(t, "staff list", list)

	entries, err := attach.AuditEntries(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Actor, "cli:") || e.PersonID == 0 || e.Scope != "admin:IN" {
			t.Errorf("audit entry %+v: want actor cli:<user>, the person and the command line's scope", e)
		}
		noFullNumber(t, "the audit entry "+e.Action, e.Detail+e.Reason+e.Scope)
		actions = append(actions, e.Action)
	}
	want := "role_remove role_remove signin_link signin_link role_grant role_grant role_grant"
	if strings.Join(actions, " ") != want {
		t.Errorf("audit actions, newest first: %q, want %q", strings.Join(actions, " "), want)
	}
}

// jodo drive apply leaves an audit entry: who applied which version of
// which drive, about its root area.
func TestDriveApplyIsAudited(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	mustJodo(t, db, "migrate")
	mustJodo(t, db, "import", "areas", "builtin:jharkhand")
	mustJodo(t, db, "drive", "apply", repoFile(t, "internal/drive/testdata/example_drive.json"))
	attach := storetest.Attach(t, db)
	entries, err := attach.AuditEntries(context.Background(), store.AuditFilter{Action: "drive_apply"})
	if err != nil {
		t.Fatal(err)
	}
	jh := storetest.AreaIDs(t, attach, "JH")["JH"]
	if len(entries) != 1 {
		t.Fatalf("%d drive_apply entries, want 1", len(entries))
	}
	e := entries[0]
	if !strings.HasPrefix(e.Actor, "cli:") || e.AreaID != jh || e.Detail != "jh-warriors version 3" || e.PersonID != 0 || e.Scope == "" {
		t.Errorf("drive_apply entry %+v; want cli:<user>, area %d (JH), detail \"jh-warriors version 3\"", e, jh)
	}
	if _, err := jodo(t, db, "drive", "apply", repoFile(t, "internal/geo/testdata/example_areas.csv")); err == nil {
		t.Fatal("a file that is no drive applied")
	}
	if entries, _ := attach.AuditEntries(context.Background(), store.AuditFilter{Action: "drive_apply"}); len(entries) != 1 {
		t.Errorf("a refused apply was audited: %d entries", len(entries))
	}
}
