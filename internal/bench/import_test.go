package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/imports"
	"github.com/jodo-org/jodo/internal/imports/importtest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// TestImportStorm is the import's benchmark under load (issue 22): a
// missed-call storm at a fixed rate against a real `jodo serve`, alone and
// then while a people file of JODO_BENCH_IMPORT_STORM rows is imported
// into the same database, on the engine of the test run. It prints the
// storm's latencies both ways, the import's rows/s, and the calls lost
// (answered 200 but not in the inbox after), which must be none.
//
//	JODO_BENCH_IMPORT_STORM=1000000 go test ./internal/bench -run ImportStorm -v -timeout 60m
//
// JODO_BENCH_STORM_RATE sets calls a second (300), JODO_BENCH_IMPORT_CHUNK
// the import's rows per load transaction (the Importer's default).
func TestImportStorm(t *testing.T) {
	rows := benchRows(t, "JODO_BENCH_IMPORT_STORM", "the import storm")
	rate, chunk := envInt(t, "JODO_BENCH_STORM_RATE", 300), envInt(t, "JODO_BENCH_IMPORT_CHUNK", 0)
	dir := t.TempDir()
	bin := buildJodo(t, dir)
	file := peopleFile(t, dir, rows)
	url := storetest.URL(t)
	var rep imports.Report
	var took time.Duration
	alone, busy, err := ImportStorm(context.Background(), StormOptions{Binary: bin, Dir: dir, DB: url, Rate: rate, Baseline: 20 * time.Second},
		func(ctx context.Context) error {
			db, err := store.Open(ctx, url, store.Options{})
			if err != nil {
				return err
			}
			defer db.Close()
			im := imports.New(db, []byte(StormSecretKey))
			if chunk > 0 {
				im = im.WithChunk(chunk)
			}
			start := time.Now()
			rep, err = im.Run(ctx, imports.Request{DriveSlug: "bench", FileName: "people.csv", Source: "bench list", As: imports.AsMember,
				Actor: "cli:bench", Open: func() (io.ReadCloser, error) { return os.Open(file) }})
			took = time.Since(start)
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	if rep.New != int64(rows) {
		t.Fatalf("imported %+v, want %d new", rep, rows)
	}
	db := storetest.Attach(t, url)
	fmt.Printf("\njodo serve on %s, Exotel missed calls at %d/s; import of %d rows (chunks of %d; 0: default) in-process\n",
		engineOf(url), rate, rows, chunk)
	reportStorms(t, db, alone, busy, "the import")
	fmt.Printf("import: %d rows in %.1f s = %.0f rows/s\n", rows, took.Seconds(), float64(rows)/took.Seconds())
}

// reportStorms prints the storm alone and during what as a table, and
// fails the test if a call was lost or failed.
func reportStorms(t *testing.T, db *store.DB, alone, busy Storm, what string) {
	ReportHeader(os.Stdout)
	lostAlone, lostBusy := lost(t, db, alone), lost(t, db, busy)
	alone.Report(os.Stdout, "storm alone", lostAlone)
	busy.Report(os.Stdout, "storm during "+what, lostBusy)
	if lostAlone+lostBusy > 0 || alone.Failed+busy.Failed > 0 {
		t.Errorf("calls lost: %d alone, %d during %s; failed answers: %d, %d", lostAlone, lostBusy, what, alone.Failed, busy.Failed)
	}
}

// lost counts the calls s acknowledged that the inbox does not hold.
func lost(t *testing.T, db *store.DB, s Storm) int {
	seen := map[string]bool{}
	var keys []string
	for _, k := range s.Acked {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	stored := 0
	for start := 0; start < len(keys); start += 500 {
		stored += storetest.InboxCount(t, db, storetest.Inbox{Provider: "exotel", Keys: keys[start:min(len(keys), start+500)]})
	}
	return len(keys) - stored
}

// benchRows is the rows the benchmark's variable env asks for; unset, the
// test skips.
func benchRows(t *testing.T, env, what string) int {
	rows := envInt(t, env, 0)
	if rows == 0 {
		t.Skip("set " + env + "=ROWS (1000000 for the record) to run " + what)
	}
	return rows
}

// peopleFile writes a generated people file of rows into dir.
func peopleFile(t *testing.T, dir string, rows int) string {
	file := filepath.Join(dir, "people.csv")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := importtest.Write(f, 0, rows); err != nil {
		t.Fatal(err)
	}
	return file
}

// engineOf names a database URL's engine.
func engineOf(url string) string {
	if strings.HasPrefix(url, "sqlite:") {
		return "SQLite"
	}
	return "PostgreSQL"
}

// buildJodo builds the jodo binary into dir and returns its path.
func buildJodo(t *testing.T, dir string) string {
	bin := filepath.Join(dir, "jodo")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/jodo").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a whole number", name, s)
	}
	return n
}
