package main_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const importSecret = "JODO_SECRET_KEY=import-crash-secret-import-crash-secret"

// peopleFile writes rows people, one in three an adult, over Jharkhand's
// 81 assembly constituencies, and returns its path and the adults.
func peopleFile(t *testing.T, dir string, rows int) (string, int64) {
	t.Helper()
	path := filepath.Join(dir, "people.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("phone,name,area,adult,adult_evidence\n")
	var adults int64
	for i := range rows {
		adult := "no,"
		if i%3 == 0 {
			adult, adults = "yes,voter roll 2024", adults+1
		}
		fmt.Fprintf(w, "98%08d,Person %d,JH-AC-%03d,%s\n", i, i, 1+i%81, adult)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, adults
}

// jodoWithKey runs a one-shot command of the real binary with the secret
// key set and returns its output.
func jodoWithKey(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(jodoBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), importSecret)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("jodo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// An import killed with SIGKILL while loading leaves a resumable import
// that nothing has counted yet; --resume finishes it, and it counts
// every row once: a lead each, a member each adult.
func TestImportSurvivesSIGKILL(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "import.db")
	if pg := storetest.PostgresURL(); pg != "" {
		db = storetest.NewSchema(t, pg)
	}
	runJodo(t, dir, "migrate", "--db", db)
	runJodo(t, dir, "import", "areas", "builtin:jharkhand", "--db", db)
	runJodo(t, dir, "drive", "apply", stormDrive(t, dir), "--db", db)
	const rows = 60000
	file, adults := peopleFile(t, dir, rows)

	cmd := exec.Command(jodoBinary(t), "import", "people", file, "--drive", "storm", "--source", "district office list", "--db", db)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), importSecret)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	check := storetest.Attach(t, db)
	ctx := context.Background()
	for loading := false; !loading; {
		select {
		case err := <-exited:
			t.Fatalf("the import ended (%v) before it was seen loading", err)
		case <-time.After(10 * time.Millisecond):
		}
		list, err := check.Imports(ctx)
		if err != nil {
			t.Fatal(err)
		}
		loading = len(list) == 1 && list[0].State == store.ImportLoading && list[0].LoadedThrough > 0
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited

	list, err := check.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case len(list) == 0:
		if n := storetest.PeopleCount(t, check); n != 0 {
			t.Fatalf("no import recorded, yet %d people", n)
		}
		t.Fatal("an import seen loading is gone after the kill")
	case len(list) != 1 || list[0].State != store.ImportLoading:
		t.Fatalf("after the kill: %+v", list)
	}
	imp := list[0]
	if got := storetest.CountsByChannel(t, check, store.ChannelImport); len(got) != 0 {
		t.Errorf("an interrupted import counted %v", got)
	}
	t.Logf("killed with %d of %d people in", storetest.PeopleOfImport(t, check, imp.ID), rows)
	resume := fmt.Sprintf("jodo import people --resume %d", imp.ID)
	if out := jodoWithKey(t, dir, "import", "list", "--db", db); !strings.Contains(out, resume) {
		t.Errorf("import list does not say how to resume:\n%s", out)
	}

	out := jodoWithKey(t, dir, "import", "people", "--resume", fmt.Sprint(imp.ID), "--db", db)
	if want := fmt.Sprintf("import %d (resumed): 60,000 new, 0 updated, 0 unchanged, 0 refused", imp.ID); !strings.Contains(out, want) {
		t.Errorf("resume said %q, want %q", out, want)
	}
	list, err = check.Imports(ctx)
	if err != nil || len(list) != 1 || list[0].State != store.ImportDone || list[0].New != rows {
		t.Fatalf("after resuming: %+v %v", list, err)
	}
	want := map[string]int64{"leads": rows, "members": adults}
	got := storetest.CountsByChannel(t, check, store.ChannelImport)
	if got["leads"] != want["leads"] || got["members"] != want["members"] || got["volunteers"] != 0 {
		t.Errorf("counted %v, want %v", got, want)
	}
	if n := storetest.PeopleOfImport(t, check, imp.ID); n != rows {
		t.Errorf("%d people of the import, want %d", n, rows)
	}
	if n := storetest.LeadsTotalAt(t, check, "JH"); n != rows {
		t.Errorf("%d leads in JH's totals, want %d", n, rows)
	}
}

// import people's flags are in its help.
func TestImportPeopleHelp(t *testing.T) {
	out, err := exec.Command(jodoBinary(t), "import", "people", "--help").Output()
	if err != nil || !strings.Contains(string(out), "-source") || !strings.Contains(string(out), "-resume") {
		t.Errorf("jodo import people --help: %v\n%s", err, out)
	}
}
