package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

type submitted struct {
	item store.InboxItem
	res  store.InboxResult
	err  error
}

// 64 goroutines hammer one inbox writer with new keys, duplicates (some in
// the same batch), rows Go rejects and rows only the database rejects.
// Every caller must learn its own row's fate and nothing else may be written.
func TestGroupCommitHammer(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	w := store.NewGroupCommit(db, store.GroupSpec[store.InboxItem, store.InboxResult]{
		Name:     "test_hammer",
		Validate: store.ValidateInboxItem, // does not check the key's length: the database does
		Key:      func(it store.InboxItem) string { return it.Key },
		Write:    store.InsertInbox,
		MaxRows:  64,
	})
	defer w.Close()

	const workers, perWorker = 64, 40
	results := make([][]submitted, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for i := range perWorker {
				it := hammerItem(g, i)
				res, err := w.Submit(ctx, it)
				results[g] = append(results[g], submitted{it, res, err})
			}
		})
	}
	wg.Wait()

	inserted := map[string]int64{}
	for g := range workers {
		for _, s := range results[g] {
			checkOutcome(t, s, inserted)
		}
	}
	stored := storedKeys(t, db)
	if len(stored) != len(inserted) {
		t.Fatalf("stored %d rows, callers were told %d were inserted", len(stored), len(inserted))
	}
	for g := range workers {
		for _, s := range results[g] {
			if s.err == nil && s.res.Duplicate && inserted[s.item.Key] == 0 {
				t.Fatalf("key %s reported duplicate but nobody inserted it", s.item.Key)
			}
		}
	}
	for key, id := range inserted {
		if stored[key] != id {
			t.Fatalf("key %s: stored id %d, caller told %d", key, stored[key], id)
		}
	}
	if n := testutil.ToFloat64(store.MustBatchesForTest("test_hammer", "split")); n == 0 {
		t.Errorf("no batch was split around a database-rejected row; the poison rows did not share a batch")
	}
}

// hammerItem makes row i of goroutine g: every 10th is rejected by
// validation, every 13th by the database, and keys repeat across goroutines
// so duplicates meet inside batches.
func hammerItem(g, i int) store.InboxItem {
	it := store.InboxItem{Provider: "test", Kind: "call", Payload: []byte(fmt.Sprintf("g%d-i%d", g, i))}
	switch {
	case i%10 == 9:
		it.Key = "" // rejected by Validate
	case i%13 == 12:
		it.Key = strings.Repeat("x", 201) + fmt.Sprint(g) // violates the CHECK constraint
	default:
		it.Key = fmt.Sprintf("call-%d", (g*perKeySpread+i)%700)
	}
	return it
}

const perKeySpread = 17

func checkOutcome(t *testing.T, s submitted, inserted map[string]int64) {
	t.Helper()
	switch {
	case s.item.Key == "":
		if apperr.CodeOf(s.err) != apperr.Invalid {
			t.Fatalf("empty key: got %v, want an invalid error", s.err)
		}
	case len(s.item.Key) > 200:
		if s.err == nil {
			t.Fatalf("over-long key was accepted")
		}
	case s.err != nil:
		t.Fatalf("key %s: unexpected error %v", s.item.Key, s.err)
	case !s.res.Duplicate:
		if _, dup := inserted[s.item.Key]; dup {
			t.Fatalf("key %s reported inserted twice", s.item.Key)
		}
		inserted[s.item.Key] = s.res.ID
	}
}

func storedKeys(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	out := map[string]int64{}
	err := db.View(ctx, func(tx *store.Tx) error {
		rows, err := rawsql.Tx(tx).QueryContext(ctx, "SELECT provider_key, id FROM inbox")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var id int64
			if err := rows.Scan(&k, &id); err != nil {
				return err
			}
			out[k] = id
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
