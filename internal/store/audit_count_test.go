package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// CountAuditSince counts one actor's entries of one action since a time,
// on both engines (on PostgreSQL it first takes the actor's advisory lock,
// whose key must be text PostgreSQL accepts).
func TestCountAuditSince(t *testing.T) {
	f := newDriveFixture(t)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for _, e := range []store.AuditEntry{{Actor: "person:1", Action: "reveal"}, {Actor: "person:1", Action: "reveal"},
			{Actor: "person:1", Action: "person_view"}, {Actor: "person:2", Action: "reveal"}} {
			if err := store.Audit(ctx, tx, e); err != nil {
				return err
			}
		}
		n, err := store.CountAuditSince(ctx, tx, "person:1", "reveal", tx.Now.Add(-time.Minute))
		if err != nil || n != 2 {
			t.Errorf("CountAuditSince = %d, %v; want 2", n, err)
		}
		n, err = store.CountAuditSince(ctx, tx, "person:1", "reveal", tx.Now.Add(time.Minute))
		if err != nil || n != 0 {
			t.Errorf("CountAuditSince after the entries = %d, %v; want 0", n, err)
		}
		return nil
	})
}
