package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Durable inbox rows per second through group commit, with 64 concurrent
// submitters (webhook requests). Engine: SQLite, or PostgreSQL when
// JODO_TEST_DATABASE_URL is set.
func BenchmarkInboxGroupCommit(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, nil)
	w := store.NewGroupCommit(db, store.GroupSpec[store.InboxItem, store.InboxResult]{
		Name:     "inbox",
		Validate: store.ValidateInboxItem,
		Key:      func(it store.InboxItem) string { return it.Provider + "\x00" + it.Key },
		Write:    store.InsertInbox,
	})
	defer w.Close()
	var seq atomic.Int64
	b.SetParallelism(32) // × GOMAXPROCS goroutines
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			it := store.InboxItem{Provider: "bench", Key: fmt.Sprint("call-", n), Kind: "call", Payload: benchPayload}
			if _, err := w.Submit(ctx, it); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// The same rows, one transaction (and one fsync) each: the baseline.
func BenchmarkInboxTxPerRow(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, nil)
	b.ResetTimer()
	for i := range b.N {
		it := store.InboxItem{Provider: "bench", Key: fmt.Sprint("call-", i), Kind: "call", Payload: benchPayload}
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := store.InsertInbox(ctx, tx, []store.InboxItem{it})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

var benchPayload = []byte(`CallSid=b6a1c2d3e4f5&CallFrom=09800000000&CallTo=18000000000&Direction=incoming&Created=Mon, 12 Feb 2026 10:00:00&DialCallDuration=0&StartTime=2026-02-12 10:00:00&CallType=call-attempt&digits="1"`)
