package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A purge of more processed items than one transaction deletes goes on
// transaction after transaction until every item past retention is gone,
// and keeps recent items and those not processed yet.
func TestPurgeInboxInChunks(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	insert := func(prefix string, n int, processed bool) {
		items := make([]store.InboxItem, n)
		for i := range items {
			items[i] = store.InboxItem{Provider: "t", Key: fmt.Sprintf("%s-%d", prefix, i), Kind: "k", Payload: []byte("{}"), Processed: processed}
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := store.InsertInbox(ctx, tx, items)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	old := 2*store.PurgeChunk + 3
	insert("old", old, true)
	insert("pending", 2, false)
	clock.Advance(time.Hour)
	cutoff := clock.Now()
	clock.Advance(time.Hour)
	insert("recent", 2, true)

	n, err := db.PurgeInbox(ctx, cutoff)
	if err != nil || n != int64(old) {
		t.Fatalf("purged %d (%v), want %d", n, err, old)
	}
	if left := storetest.InboxCount(t, db, storetest.Inbox{Provider: "t"}); left != 4 {
		t.Errorf("%d items left, want the 2 pending and the 2 recent", left)
	}
	if pending := storetest.InboxCount(t, db, storetest.Inbox{Provider: "t", Unprocessed: true}); pending != 2 {
		t.Errorf("%d unprocessed items left, want 2", pending)
	}
}
