package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A message keeps its body while it is queued or sending, and its summary
// once it leaves sending by any way (sent alone or in a batch, failed,
// unknown by an answer or an expired lease, or a status report first); a
// message with no summary keeps its body, or what went instead; an erased
// body stays erased.
func TestBodyBecomesSummaryOnceSent(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	secret := func(to string) store.OutboxMessage {
		m := smsTo(to)
		m.Body, m.Summary = "123456 is your code", store.Masked+" is your code"
		return m
	}
	ids := map[string]int64{}
	for i, name := range []string{"sent", "batch", "failed", "unknown", "expired", "status", "retry", "plain", "instead", "erased"} {
		m := secret("+91987654320" + string(rune('0'+i)))
		if name == "plain" || name == "instead" {
			m.Summary = ""
		}
		ids[name] = f.enqueue(t, m)
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := rawsql.Tx(tx).ExecContext(ctx, "UPDATE outbox SET body = $1 WHERE id = $2", store.Erased, ids["erased"])
		return err
	})
	f.claim(t, "n1", 20)
	if m := f.message(t, ids["sent"]); m.Body != "123456 is your code" {
		t.Fatalf("a sending message's body is %q, want it whole", m.Body)
	}
	f.finish(t, ids["sent"], "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "p-sent", Body: "ignored for a summary"})
	f.finish(t, ids["failed"], "n1", store.SendResult{Outcome: store.SendFailed, Error: "refused"})
	f.finish(t, ids["unknown"], "n1", store.SendResult{Outcome: store.SendUnknown, Error: "500"})
	f.finish(t, ids["retry"], "n1", store.SendResult{Outcome: store.SendRetry, Error: "429", RetryAfter: time.Hour})
	f.finish(t, ids["instead"], "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "p-instead", Body: "the template"})
	if _, err := f.db.FinishMessages(ctx, "n1", []store.MessageResult{
		{ID: ids["batch"], SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "p-batch"}},
		{ID: ids["plain"], SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "p-plain"}},
		{ID: ids["erased"], SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "p-erased"}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	f.status(t, store.StatusUpdate{ProviderID: "p-status", Ref: ids["status"], State: store.MsgDelivered})
	f.clock.Advance(2 * time.Minute)
	if _, err := f.db.ExpireSending(ctx, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"sent": store.Masked + " is your code", "batch": store.Masked + " is your code",
		"failed": store.Masked + " is your code", "unknown": store.Masked + " is your code", "expired": store.Masked + " is your code",
		"status": store.Masked + " is your code", "retry": "123456 is your code", "plain": "123456 is your code",
		"instead": "the template", "erased": store.Erased}
	for name, id := range ids {
		if m := f.message(t, id); m.Body != want[name] {
			t.Errorf("%s (%s): body %q, want %q", name, m.State, m.Body, want[name])
		}
	}
	// The redacted row holds the secret nowhere else either.
	var n int
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return rawsql.Tx(tx).QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE summary LIKE '%123456%' OR error LIKE '%123456%'").Scan(&n)
	})
	if n != 0 {
		t.Errorf("%d rows hold the code outside the body", n)
	}
}

// The purge removes messages made before the cutoff that are done with,
// and keeps recent ones and those still to be sent.
func TestPurgeOutboxKeepsRecentAndUnsent(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	old := f.enqueue(t, smsTo("+919876543210"))
	unsent := f.enqueue(t, smsTo("+919876543211"))
	f.claim(t, "n1", 1)
	f.finish(t, old, "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "p-old"})
	f.clock.Advance(24 * time.Hour)
	cutoff := f.clock.Now()
	recent := f.enqueue(t, smsTo("+919876543212"))
	f.claim(t, "n1", 10)
	f.finish(t, recent, "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "p-recent"})
	f.finish(t, unsent, "n1", store.SendResult{Outcome: store.SendRetry, RetryAfter: time.Hour})

	n, err := f.db.PurgeOutbox(ctx, cutoff)
	if err != nil || n != 1 {
		t.Fatalf("purged %d (%v), want 1", n, err)
	}
	if _, ok := storetest.Message(t, f.db, old); ok {
		t.Error("the old sent message is still there")
	}
	for _, id := range []int64{unsent, recent} {
		if _, ok := storetest.Message(t, f.db, id); !ok {
			t.Errorf("message %d is gone, want it kept", id)
		}
	}
}
