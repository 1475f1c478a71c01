package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
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

// The registration marks' purge, too, deletes chunk after chunk until every
// mark older than the cutoff is gone, and keeps the younger ones.
func TestPurgeRegistrationMarksInChunks(t *testing.T) {
	ctx := context.Background()
	f := newDriveFixture(t)
	// n people, each registered in the drive with a mark made at at.
	marks := func(n int, at time.Time) {
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			q := rawsql.Tx(tx)
			var before int64
			if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM people`).Scan(&before); err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
				INSERT INTO people (created_at, updated_at) SELECT 0, 0 FROM n`, n); err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO participations (person_id, drive_id, channel, first_seen_at)
				SELECT id, $1, 'web', 0 FROM people WHERE id > $2`, f.drive, before); err != nil {
				return err
			}
			_, err := q.ExecContext(ctx, `INSERT INTO registration_marks (participation_id, drive_id, network, device, at)
				SELECT pa.id, pa.drive_id, '10.0.0.0/24', 'device', $1 FROM participations pa WHERE pa.person_id > $2`, at.UnixMilli(), before)
			return err
		})
	}
	cutoff := fixtureStart.Add(-24 * time.Hour)
	old := 2*store.PurgeChunk + 3
	marks(old, cutoff.Add(-time.Hour))
	marks(2, cutoff.Add(time.Hour))
	n, err := f.db.PurgeRegistrationMarks(ctx, cutoff)
	if err != nil || n != int64(old) {
		t.Fatalf("purged %d (%v), want %d", n, err, old)
	}
	var left int
	if err := rawsql.DB(f.db).QueryRowContext(ctx, `SELECT COUNT(*) FROM registration_marks`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 2 {
		t.Errorf("%d registration marks left, want the 2 younger than the cutoff", left)
	}
}
