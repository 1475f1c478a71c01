package store_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

func TestSuppressionHash(t *testing.T) {
	// echo -n "+919876543210" | openssl dgst -sha256 -hmac "test-secret"
	const want = "e50f02fb9ec834c6a83533bf7e8b7055bf5d93dc12cb96f06d2d712bc4fa1d07"
	if got := store.SuppressionHash([]byte("test-secret"), "+919876543210"); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if store.SuppressionHash([]byte("other-secret"), "+919876543210") == want {
		t.Error("the hash does not depend on the key")
	}
}

func TestSuppressions(t *testing.T) {
	f := newDriveFixture(t)
	key := []byte("test-secret")
	erased := store.SuppressionHash(key, "+919876543210")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for _, reason := range []string{store.SuppressErased, store.SuppressUnder18} {
			if err := store.AddSuppression(ctx, tx, erased, reason); err != nil {
				return err
			}
		}
		for phone, want := range map[string]bool{"+919876543210": true, "+919800000001": false} {
			got, err := suppressed(ctx, tx, store.SuppressionHash(key, phone))
			if err != nil || got != want {
				t.Errorf("suppressed(%s) = %v, %v; want %v", phone, got, err, want)
			}
		}
		var reason string
		if err := rawsql.Tx(tx).QueryRowContext(ctx, "SELECT reason FROM suppressions WHERE hash = $1", erased).Scan(&reason); err != nil {
			return err
		}
		if reason != store.SuppressErased {
			t.Errorf("reason %q, want the first one, %q", reason, store.SuppressErased)
		}
		return nil
	})
}

// suppressed reports whether the phone behind hash is suppressed for any
// reason; Jodo itself only asks about a given reason.
func suppressed(ctx context.Context, tx *store.Tx, hash string) (bool, error) {
	var n int
	err := rawsql.Tx(tx).QueryRowContext(ctx, "SELECT COUNT(*) FROM suppressions WHERE hash = $1", hash).Scan(&n)
	return n > 0, err
}
