package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/app"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const importKey = "import-cli-test-key-import-cli-test-key"

// importWorld is a database with Jharkhand's areas, a booth of JH-AC-063
// (the example file names one) and the reference drive jh-warriors.
type importWorld struct {
	t   *testing.T
	url string
	db  *store.DB
	dir string
}

func newImportWorld(t *testing.T) *importWorld {
	t.Helper()
	w := &importWorld{t: t, url: storetest.URL(t), dir: t.TempDir()}
	mustJodo(t, w.url, "migrate")
	mustJodo(t, w.url, "import", "areas", "builtin:jharkhand")
	booth := w.file("booth.csv", "code,kind,number,name_en,name_local,reservation,parent,district,aliases,electors\n"+
		"JH-AC-063-B-0001,booth,1,Primary School,,,JH-AC-063,,,900\n")
	mustJodo(t, w.url, "import", "areas", booth)
	mustJodo(t, w.url, "drive", "apply", repoFile(t, "internal/drive/testdata/example_drive.json"))
	w.db = storetest.Attach(t, w.url)
	return w
}

// file writes a file in the world's directory and returns its path.
func (w *importWorld) file(name, content string) string {
	w.t.Helper()
	path := filepath.Join(w.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
	return path
}

// jodo runs one command in-process with the secret key set and returns
// what it wrote on stdout and stderr.
func (w *importWorld) jodo(args ...string) (stdout, stderr string, err error) {
	w.t.Helper()
	cfg, err := config.Parse(append(args, "--db", w.url), mapEnv(map[string]string{"JODO_SECRET_KEY": importKey}), io.Discard)
	if err != nil {
		return "", "", err
	}
	var out, errs bytes.Buffer
	err = app.Run(context.Background(), cfg, app.IO{Stdout: &out, Stderr: &errs})
	return out.String(), errs.String(), err
}

func (w *importWorld) must(args ...string) string {
	w.t.Helper()
	out, errs, err := w.jodo(args...)
	if err != nil {
		w.t.Fatalf("jodo %s: %v\n%s%s", strings.Join(args, " "), err, out, errs)
	}
	return out
}

// importFile runs jodo import people FILE into jh-warriors.
func (w *importWorld) importFile(path string, more ...string) (stdout, stderr string, err error) {
	w.t.Helper()
	return w.jodo(append([]string{"import", "people", path, "--drive", "jh-warriors", "--source", "Ranchi camp forms, Nov 2026"}, more...)...)
}

func (w *importWorld) imports() []store.Import {
	w.t.Helper()
	list, err := w.db.Imports(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return list
}

// goodExample is the example file's header and its three good rows:
// two adults (one a volunteer) and a lead.
func (w *importWorld) goodExample() string {
	w.t.Helper()
	b, err := os.ReadFile(repoFile(w.t, "internal/imports/testdata/example.csv"))
	if err != nil {
		w.t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	return w.file("good.csv", strings.Join(lines[:4], ""))
}

func wantLine(t *testing.T, out, want string) {
	t.Helper()
	if !strings.Contains(out, want) {
		t.Fatalf("output %q, want %q in it", out, want)
	}
}

// The example's good rows go in: the summary counts them, the counters
// move once (leads, members for the adults, a volunteer), import list
// shows the import done with its source and the file's hash, and the
// same file again changes nothing.
func TestImportPeopleCommand(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	path := w.goodExample()
	out, _, err := w.importFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantLine(t, out, "import 1: 3 new, 0 updated, 0 unchanged, 0 refused in ")
	wantLine(t, out, "rows/s)")
	want := map[string]int64{"leads": 3, "members": 2, "volunteers": 1}
	if got := storetest.CountsByChannel(t, w.db, store.ChannelImport); !equalCounts(got, want) {
		t.Errorf("counted %v, want %v", got, want)
	}
	b, _ := os.ReadFile(path)
	sum := sha256.Sum256(b)
	list := w.must("import", "list")
	for _, s := range []string{"jh-warriors", "done", "Ranchi camp forms, Nov 2026", path, hex.EncodeToString(sum[:])[:12], "cli:"} {
		wantLine(t, list, s)
	}
	if strings.Contains(list, "--resume") {
		t.Errorf("a done import is offered a resume:\n%s", list)
	}

	out, _, err = w.importFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantLine(t, out, "import 2: 0 new, 0 updated, 3 unchanged, 0 refused")
	if got := storetest.CountsByChannel(t, w.db, store.ChannelImport); !equalCounts(got, want) {
		t.Errorf("the same file again moved the counters: %v, want %v", got, want)
	}
	if n := storetest.PeopleCount(t, w.db); n != 3 {
		t.Errorf("%d people after the same file twice, want 3", n)
	}
}

func equalCounts(got, want map[string]int64) bool {
	for k, v := range got {
		if v != want[k] {
			return false
		}
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// The whole example file has five kinds of bad rows: it is refused whole,
// each problem printed with its line and column, and nothing is written,
// not even the import's record.
func TestImportPeopleRefusesABadFile(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	out, errs, err := w.importFile(repoFile(t, "internal/imports/testdata/example.csv"))
	if err == nil || !strings.Contains(err.Error(), "5 problems; nothing was imported") {
		t.Fatalf("the example file: %v\n%s", err, out)
	}
	for _, s := range []string{"line 5: phone: ", "line 6: area: ", "line 7: adult: ", "line 8: phone: ", "line 9: sms_optin: "} {
		wantLine(t, errs, s)
	}
	if strings.HasPrefix(errs, "line 2:") || strings.Contains(errs, "\nline 2:") || strings.Contains(errs, "more problems") || out != "" {
		t.Errorf("stdout %q, stderr %q", out, errs)
	}
	w.nothingWritten()

	// Past MaxProblems, the rest are counted.
	var b strings.Builder
	b.WriteString("phone,area\n")
	for i := range 130 {
		fmt.Fprintf(&b, "98111%05d,JH-DIST-NOPE\n", i)
	}
	_, errs, err = w.importFile(w.file("many.csv", b.String()))
	if err == nil || !strings.Contains(err.Error(), "130 problems") {
		t.Fatalf("130 bad rows: %v", err)
	}
	if n := strings.Count(errs, "\nline ") + 1; n != 100 || !strings.Contains(errs, "… and 30 more problems; nothing was imported") {
		t.Errorf("%d problem lines, want 100, then the rest counted:\n%s", n, errs)
	}
	w.nothingWritten()
}

func (w *importWorld) nothingWritten() {
	w.t.Helper()
	if n := storetest.PeopleCount(w.t, w.db); n != 0 {
		w.t.Errorf("%d people after a refused file", n)
	}
	if n := storetest.StagedRows(w.t, w.db); n != 0 {
		w.t.Errorf("%d staged rows after a refused file", n)
	}
	if list := w.imports(); len(list) != 0 {
		w.t.Errorf("imports recorded for a refused file: %+v", list)
	}
}

// A dry run says what the file would do and writes nothing; run for real
// it does just that.
func TestImportPeopleDryRun(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	path := w.goodExample()
	out, _, err := w.importFile(path, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	wantLine(t, out, "3 rows; would add 3, update 0, leave 0 unchanged, refuse 0; nothing written")
	w.nothingWritten()
	if got := storetest.TotalsSum(t, w.db, ""); got != 0 {
		t.Errorf("a dry run counted %d", got)
	}

	w.must("import", "people", path, "--drive", "jh-warriors", "--source", "camp", "--as", "volunteer")
	more := w.file("more.csv", "phone,area,name\n9876543210,JH-AC-063,Sunita Devi\n9811100001,JH-AC-064,New Person\n")
	people, totals := storetest.PeopleCount(t, w.db), storetest.TotalsSum(t, w.db, "")
	out, _, err = w.importFile(more, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	wantLine(t, out, "2 rows; would add 1, update 0, leave 1 unchanged, refuse 0; nothing written")
	if storetest.PeopleCount(t, w.db) != people || storetest.TotalsSum(t, w.db, "") != totals || len(w.imports()) != 1 {
		t.Errorf("a dry run wrote: %d people (was %d), totals %d (was %d), %d imports",
			storetest.PeopleCount(t, w.db), people, storetest.TotalsSum(t, w.db, ""), totals, len(w.imports()))
	}
}

// Undo takes back what an import created and its counts, exactly.
func TestImportUndoCommand(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	before, beforeTotals := storetest.CountsByChannel(t, w.db, store.ChannelImport), storetest.TotalsSum(t, w.db, "")
	w.must("import", "people", w.goodExample(), "--drive", "jh-warriors", "--source", "camp")
	if storetest.TotalsSum(t, w.db, "") == beforeTotals {
		t.Fatal("the import counted nothing")
	}
	wantLine(t, w.must("import", "undo", "1"), "import 1 undone: removed 3; kept 0 that people have acted on since")
	if got := storetest.CountsByChannel(t, w.db, store.ChannelImport); !equalCounts(got, before) {
		t.Errorf("counters after undo %v, want %v", got, before)
	}
	if got := storetest.TotalsSum(t, w.db, ""); got != beforeTotals {
		t.Errorf("totals after undo %d, want %d", got, beforeTotals)
	}
	if n := storetest.PeopleCount(t, w.db); n != 0 {
		t.Errorf("%d people after undo", n)
	}
	wantLine(t, w.must("import", "list"), "undone")
	if _, _, err := w.jodo("import", "undo", "1"); err == nil {
		t.Error("an undone import was undone again")
	}
	if _, _, err := w.jodo("import", "undo", "x"); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("undo x: %v", err)
	}
}

// An erased person's number in a file is refused: they are not created
// again, and the rest go in.
func TestImportPeopleRefusesAnErasedNumber(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	path := w.goodExample()
	w.must("import", "people", path, "--drive", "jh-warriors", "--source", "camp")
	w.must("import", "undo", "1")
	w.must("import", "people", path, "--drive", "jh-warriors", "--source", "camp")
	sunita := storetest.ImportedPeople(t, w.db, 2)[0]
	err := w.db.Update(context.Background(), func(tx *store.Tx) error {
		return people.New([]byte(importKey)).Erase(context.Background(), tx, sunita.ID, "test")
	})
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := w.importFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantLine(t, out, "import 3: 0 new, 0 updated, 2 unchanged, 1 refused")
	if n := storetest.ContactCount(t, w.db, storetest.Contacts{Value: "+919876543210"}); n != 0 {
		t.Errorf("the erased number is back: %d contact points", n)
	}
}

// An import interrupted while loading is listed with how to finish it,
// and --resume finishes it, counting it once.
func TestImportResumeCommand(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	areas := storetest.AreaIDs(t, w.db, "JH-AC-063")
	d, err := w.db.DriveBySlug(context.Background(), "jh-warriors")
	if err != nil {
		t.Fatal(err)
	}
	rows := []store.StagedRow{
		{Line: 2, Phone: "+919811100001", Name: "Asha", AreaID: areas["JH-AC-063"], Adult: true, AdultEvidence: "voter roll"},
		{Line: 3, Phone: "+919811100002", Name: "Ravi", AreaID: areas["JH-AC-063"]},
	}
	err = w.db.Update(context.Background(), func(tx *store.Tx) error {
		id, err := store.CreateImport(context.Background(), tx, store.Import{DriveID: d.ID, FileName: "list.csv", SHA256: "ab12",
			Source: "district list", As: "member", Actor: "cli:test", Day: d.StartsOn})
		if err != nil {
			return err
		}
		if err := store.StageRows(context.Background(), tx, id, rows); err != nil {
			return err
		}
		return store.StartLoading(context.Background(), tx, id, int64(len(rows)))
	})
	if err != nil {
		t.Fatal(err)
	}
	wantLine(t, w.must("import", "list"), "jodo import people --resume 1, or jodo import undo 1")
	if _, _, err := w.jodo("import", "people", "x.csv", "--resume", "1"); err == nil {
		t.Error("--resume with a file was taken")
	}
	wantLine(t, w.must("import", "people", "--resume", "1"), "import 1 (resumed): 2 new, 0 updated, 0 unchanged, 0 refused")
	if got, want := storetest.CountsByChannel(t, w.db, store.ChannelImport), map[string]int64{"leads": 2, "members": 1}; !equalCounts(got, want) {
		t.Errorf("counted %v, want %v", got, want)
	}
	if list := w.must("import", "list"); strings.Contains(list, "--resume") || !strings.Contains(list, "done") {
		t.Errorf("after resuming:\n%s", list)
	}
	if _, _, err := w.jodo("import", "people", "--resume", "1"); err == nil || !strings.Contains(err.Error(), "nothing to resume") {
		t.Errorf("resuming a done import: %v", err)
	}

	// One stopped while staging had nothing visible: resuming drops it.
	err = w.db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := store.CreateImport(context.Background(), tx, store.Import{DriveID: d.ID, FileName: "other.csv", SHA256: "cd34",
			Source: "district list", As: "member", Actor: "cli:test", Day: d.StartsOn})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	wantLine(t, w.must("import", "list"), "import 2 is staging (nothing of it visible); if it is not running, it was interrupted: jodo import people --resume 2 drops it")
	if _, _, err := w.jodo("import", "people", "--resume", "2"); err == nil || !strings.Contains(err.Error(), "dropped") {
		t.Errorf("resuming a staging import: %v", err)
	}
	if list := w.imports(); len(list) != 1 {
		t.Errorf("after dropping the staging import: %+v", list)
	}
}

// --progress draws the progress line on stderr (which is no terminal
// here) and ends it; without it, stderr stays empty.
func TestImportPeopleProgress(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	path := w.goodExample()
	out, errs, err := w.importFile(path, "--progress")
	if err != nil {
		t.Fatal(err)
	}
	wantLine(t, out, "import 1: 3 new")
	if !strings.HasPrefix(errs, "\r") || !strings.HasSuffix(errs, "\n") || !strings.Contains(errs, "loading: 3 of 3 rows, ") ||
		!strings.Contains(errs, ", 0 refused") {
		t.Errorf("progress %q", errs)
	}
	_, errs, err = w.importFile(path)
	if err != nil || errs != "" {
		t.Errorf("without --progress, stderr %q (%v)", errs, err)
	}
}

// jodo import notify queues the notice on the channel each person's
// opt-in covers (here SMS, the only one configured: the WhatsApp-only
// person and the one with no opt-in get nothing), and a second run
// queues nothing again.
func TestImportNotifyCommand(t *testing.T) {
	t.Parallel()
	w := newImportWorld(t)
	if _, _, err := w.importFile(w.goodExample()); err != nil {
		t.Fatal(err)
	}
	env := mapEnv(map[string]string{"JODO_SECRET_KEY": importKey, "JODO_SMS_PROVIDER": "log",
		"JODO_SMS_TEMPLATE_IMPORT_NOTICE_EN": "1107000000000000101", "JODO_SMS_TEMPLATE_IMPORT_NOTICE_HI": "1107000000000000102"})
	notify := func() string {
		cfg, err := config.Parse([]string{"import", "notify", "1", "--db", w.url}, env, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := app.Run(context.Background(), cfg, app.IO{Stdout: &out, Stderr: io.Discard}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	wantLine(t, notify(), "import 1: notices queued: 0 on WhatsApp, 1 by SMS; 2 people no channel reaches")
	wantLine(t, notify(), "queued: 0 on WhatsApp, 0 by SMS; 2 people no channel reaches (no opt-in Jodo can send on: no notice and no outreach); 1 noticed before")
	if _, _, err := w.jodo("import", "notify", "99"); err == nil {
		t.Error("notices for an import that does not exist")
	}
}
