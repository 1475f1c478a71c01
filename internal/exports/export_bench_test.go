package exports_test

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// BenchmarkExport writes the bench drive's whole people list (and
// JODO_BENCH_EXPORT_KIND / _FORMAT's, if set) from the database at
// JODO_BENCH_EXPORT_DB (the fixture internal/bench's TestExportPeople
// keeps) to io.Discard, in this process, for a CPU profile:
//
//	JODO_BENCH_EXPORT_DB=sqlite:/tmp/jodo-export-bench/people-1000000.db \
//	  go test ./internal/exports -run XXX -bench Export -benchtime=1x -cpuprofile cpu.out
//
// The real measure (wall time and RSS of `jodo export`) is
// internal/bench's TestExportPeople.
func BenchmarkExport(b *testing.B) {
	url := os.Getenv("JODO_BENCH_EXPORT_DB")
	if url == "" {
		b.Skip("set JODO_BENCH_EXPORT_DB to a kept export fixture (internal/bench TestExportPeople)")
	}
	ctx := context.Background()
	db := storetest.Attach(b, url)
	dir, err := directory.New(db, directory.Config{SecretKey: []byte("exports bench key, 32 bytes long")})
	if err != nil {
		b.Fatal(err)
	}
	roots, err := db.RootAreas(ctx)
	if err != nil {
		b.Fatal(err)
	}
	req := exports.Request{Kind: exports.Kind(envOr("JODO_BENCH_EXPORT_KIND", "people")),
		Format: exports.Format(envOr("JODO_BENCH_EXPORT_FORMAT", "csv")), Drive: "bench"}
	rows := 0
	for b.Loop() {
		p, err := exports.New(db, dir, nil).Prepare(ctx, access.CLI("bench", roots), req)
		if err != nil {
			b.Fatal(err)
		}
		n, err := p.Write(ctx, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		rows += n
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

func envOr(name, def string) string {
	if s := os.Getenv(name); s != "" {
		return s
	}
	return def
}
