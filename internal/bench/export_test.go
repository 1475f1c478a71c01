package bench

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// TestExportPeople is the export's benchmark (issue 21): `jodo export`
// run as a child process of a freshly built binary on a database of
// JODO_BENCH_EXPORT_ROWS people (1,000,000 for the record) in the bench
// drive on Jharkhand, imported once and kept under $TMPDIR so the exports
// can be measured again without rebuilding it. It prints each export's
// wall time, rows/s, CPU and peak RSS (the kernel's, of the finished
// child), then a missed-call storm against a real `jodo serve` on the same
// database, alone and during the people export, once as CSV and once as
// XLSX.
//
//	JODO_BENCH_EXPORT_ROWS=1000000 go test ./internal/bench -run ExportPeople -v -timeout 60m
//
// On PostgreSQL (JODO_TEST_DATABASE_URL set) JODO_BENCH_EXPORT_DB names the
// database kept for the fixture. JODO_BENCH_EXPORT_RUNS lists the exports
// (people.csv,people.xlsx,volunteers.csv); JODO_BENCH_STORM_RATE sets calls
// a second (300), 0 skips the storm; JODO_BENCH_EXPORT_PROCS the exports'
// GOMAXPROCS.
func TestExportPeople(t *testing.T) {
	rows := benchRows(t, "JODO_BENCH_EXPORT_ROWS", "the export benchmark")
	rate := envInt(t, "JODO_BENCH_STORM_RATE", 300)
	runs := strings.Split(cmp.Or(os.Getenv("JODO_BENCH_EXPORT_RUNS"), "people.csv,people.xlsx,volunteers.csv"), ",")
	dir := t.TempDir()
	bin := buildJodo(t, dir)
	url := exportFixture(t, bin, dir, rows)
	fmt.Printf("\njodo export on %s, a fixture of %d people (drive bench, Jharkhand)\n", engineOf(url), rows)
	fmt.Printf("%-16s %10s %8s %10s %8s %9s\n", "export", "rows", "secs", "rows/s", "CPU s", "peak RSS")
	for _, run := range runs {
		kind, format, _ := strings.Cut(run, ".")
		c, n, err := exportChild(bin, dir, url, kind, format)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%-16s %10d %8.1f %10.0f %8.1f %6d MB\n", run, n, c.Wall.Seconds(), float64(n)/c.Wall.Seconds(), c.CPU.Seconds(), c.MaxRSS>>20)
	}
	if rate == 0 {
		return
	}
	// A storm for each format: the people as CSV (the goal's export),
	// then as XLSX, which takes longer and more CPU.
	for _, format := range []string{"csv", "xlsx"} {
		var exported Child
		var n int
		alone, busy, err := ImportStorm(context.Background(), StormOptions{Binary: bin, Dir: dir, DB: url, Prepared: true, Rate: rate, Baseline: 20 * time.Second},
			func(context.Context) error {
				var err error
				exported, n, err = exportChild(bin, dir, url, "people", format)
				return err
			})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("\njodo serve on the same database, Exotel missed calls at %d/s, alone and during jodo export people (%s)\n", rate, format)
		reportStorms(t, storetest.Attach(t, url), alone, busy, "the export")
		fmt.Printf("export meanwhile: %d rows in %.1f s = %.0f rows/s, peak RSS %d MB\n", n, exported.Wall.Seconds(),
			float64(n)/exported.Wall.Seconds(), exported.MaxRSS>>20)
	}
}

// exportFixture returns the URL of a database holding Jharkhand, the
// bench drive and rows people imported into it, building it when no
// finished one is kept: on SQLite a file under $TMPDIR/jodo-export-bench
// named by rows, on PostgreSQL the empty database JODO_BENCH_EXPORT_DB.
func exportFixture(t *testing.T, bin, dir string, rows int) string {
	keep := filepath.Join(os.TempDir(), "jodo-export-bench")
	if err := os.MkdirAll(keep, 0o700); err != nil {
		t.Fatal(err)
	}
	url := os.Getenv("JODO_BENCH_EXPORT_DB")
	if url == "" {
		if storetest.PostgresURL() != "" {
			t.Fatal("on PostgreSQL set JODO_BENCH_EXPORT_DB to an empty database kept for the fixture")
		}
		url = "sqlite:" + filepath.Join(keep, fmt.Sprintf("people-%d.db", rows))
	}
	done := filepath.Join(keep, fmt.Sprintf("%x-%d.done", sha256.Sum256([]byte(url)), rows))
	if _, err := os.Stat(done); err == nil {
		return url
	}
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(f) // an unfinished fixture of an earlier run
		}
	}
	start := time.Now()
	if err := Prepare(bin, dir, url); err != nil {
		t.Fatal(err)
	}
	file := peopleFile(t, dir, rows)
	if _, err := RunChild(bin, dir, []string{"JODO_SECRET_KEY=" + StormSecretKey}, "import", "people", file,
		"--drive", "bench", "--source", "bench list", "--db", url); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(done, []byte(url+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("fixture: %d people imported in %.0f s into %s\n", rows, time.Since(start).Seconds(), url)
	return url
}

var exportedRows = regexp.MustCompile(`exported ([0-9,]+) rows`)

// exportChild runs jodo export KIND of the whole bench drive in format to
// standard output (discarded) and returns the run and the rows it wrote.
func exportChild(bin, dir, url, kind, format string) (Child, int, error) {
	env := []string{"JODO_SECRET_KEY=" + StormSecretKey}
	if procs := os.Getenv("JODO_BENCH_EXPORT_PROCS"); procs != "" {
		env = append(env, "GOMAXPROCS="+procs) // the export's alone, not the server's
	}
	c, err := RunChild(bin, dir, env, "export", kind, "--drive", "bench", "--format", format, "--db", url)
	if err != nil {
		return c, 0, err
	}
	m := exportedRows.FindStringSubmatch(c.Stderr)
	if m == nil {
		return c, 0, fmt.Errorf("jodo export %s: no rows line in %q", kind, c.Stderr)
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return c, n, err
}
