package imports

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/imports/importtest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// BenchmarkImport runs a whole import (check, stage, load in chunks,
// count once) of a generated people file into the reference drive on
// Jharkhand, on the engine the test run is on (JODO_TEST_DATABASE_URL
// for PostgreSQL). JODO_BENCH_IMPORT_ROWS sets the file's rows (100,000);
// a twentieth of its phones belong to people an earlier import brought
// into the drive. Run with -benchtime=1x: each iteration is one import
// into a fresh database. It reports rows/s of the whole Run and the
// seconds each phase took, and the CPU seconds this process spent (on
// SQLite, all of the import's work; on PostgreSQL, the server's is not
// in it).
func BenchmarkImport(b *testing.B) {
	rows := 100000
	if s := os.Getenv("JODO_BENCH_IMPORT_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 20 {
			b.Fatalf("JODO_BENCH_IMPORT_ROWS=%q: want a number of rows, 20 or more", s)
		}
		rows = n
	}
	existing := rows / 20
	dir := b.TempDir()
	file, earlier := filepath.Join(dir, "people.csv"), filepath.Join(dir, "earlier.csv")
	writeFile(b, file, 0, rows)
	writeFile(b, earlier, 0, existing)
	ctx := context.Background()
	var total, check, stage, load, cpu time.Duration
	for range b.N {
		b.StopTimer()
		db := storetest.Open(b, storetest.NewClock(feb20))
		drivetest.Load(b, db, nil, drivetest.Reference)
		im := New(db, testKey)
		if _, err := im.Run(ctx, benchRequest(earlier, nil)); err != nil {
			b.Fatal(err)
		}
		var start, reopened, loading time.Time
		opens := 0
		req := benchRequest(file, func(p Progress) {
			if p.Phase == "loading" && loading.IsZero() {
				loading = time.Now()
			}
		})
		open := req.Open
		req.Open = func() (io.ReadCloser, error) {
			if opens++; opens == 2 {
				reopened = time.Now()
			}
			return open()
		}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		rep, err := im.Run(ctx, req)
		end := time.Now()
		cpu += cpuTime() - cpu0
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if got := rep.New + rep.Updated + rep.Unchanged + rep.Refused; got != int64(rows) || rep.New != int64(rows-existing) {
			b.Fatalf("imported %+v of %d rows (%d existing)", rep, rows, existing)
		}
		total += end.Sub(start)
		check += reopened.Sub(start)
		stage += loading.Sub(reopened)
		load += end.Sub(loading)
	}
	n := float64(b.N)
	b.ReportMetric(float64(rows)*n/total.Seconds(), "rows/s")
	b.ReportMetric(check.Seconds()/n, "check_s")
	b.ReportMetric(stage.Seconds()/n, "stage_s")
	b.ReportMetric(load.Seconds()/n, "load_s")
	b.ReportMetric(cpu.Seconds()/n, "cpu_s")
	b.ReportMetric(0, "ns/op")
}

func benchRequest(path string, progress func(Progress)) Request {
	return Request{DriveSlug: "jh-warriors", FileName: filepath.Base(path), Source: "district office list 2025", As: AsMember,
		Actor: "cli:bench", Progress: progress, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

func writeFile(b *testing.B, path string, first, n int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := importtest.Write(f, first, n); err != nil {
		b.Fatal(err)
	}
}
