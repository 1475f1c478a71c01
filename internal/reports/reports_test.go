package reports_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/reports"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

func report(t *testing.T, sid, status, detailed, ref string) (sms.Status, []byte) {
	t.Helper()
	v := url.Values{"SmsSid": {sid}, "Status": {status}, "DetailedStatus": {detailed}}
	if ref != "" {
		v.Set("CustomField", ref)
	}
	st, err := sms.ParseExotelStatus(v)
	if err != nil {
		t.Fatal(err)
	}
	return st, []byte(v.Encode())
}

// claimOne queues one SMS and claims it for node-a, as a sender would
// before calling the provider.
func claimOne(t *testing.T, db *store.DB) store.OutboxMessage {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: "sms", Provider: "exotel", Class: store.ClassRequested,
			Body: "hello", To: "+919876543210"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	claimed, err := db.ClaimMessages(ctx, "node-a", 10, time.Minute)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	return claimed[0]
}

// A report that beats the send's answer and carries no id of ours is kept
// and applied once the answer has recorded the provider's id; one that
// never finds its message is given up after a week; repeats are harmless.
func TestEarlyReportIsRetried(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	claimed := []store.OutboxMessage{claimOne(t, db)}
	id := claimed[0].ID

	st, raw := report(t, "sid-1", "sent", "DELIVERED_TO_HANDSET", "")
	if got, err := reports.Receive(ctx, db, st, raw); err != nil || got != reports.Pending {
		t.Fatalf("report before the send answer: %v %v, want pending", got, err)
	}
	if got, err := reports.Receive(ctx, db, st, raw); err != nil || got != reports.Duplicate {
		t.Fatalf("the same report again: %v %v, want duplicate", got, err)
	}
	stray, strayRaw := report(t, "sid-nobody", "failed", "", "")
	if got, _ := reports.Receive(ctx, db, stray, strayRaw); got != reports.Pending {
		t.Fatalf("a report for no message: %v, want pending", got)
	}

	_, err := db.FinishMessages(ctx, "node-a", []store.MessageResult{{ID: id, SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: "sid-1"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &reports.Retrier{DB: db, Owner: "node-a"}
	if _, err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if m, _ := storetest.Message(t, db, id); m.State != store.MsgSent {
		t.Fatalf("the retrier ran before the report was %v old: %s", 10*time.Second, m.State)
	}
	clock.Advance(11 * time.Second)
	if _, err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if m, _ := storetest.Message(t, db, id); m.State != store.MsgDelivered {
		t.Fatalf("after the retry: %s, want delivered", m.State)
	}

	// The stray report is retried each minute (its lease) and given up
	// after a week, kept with a note.
	clock.Advance(reports.GiveUpAfter)
	if _, err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if pending := storetest.InboxCount(t, db, storetest.Inbox{Kind: reports.Kind, Unprocessed: true}); pending != 0 {
		t.Fatalf("reports still pending after a week: %d", pending)
	}
}

// A report naming our id (CustomField) moves a message whose send answer
// never came (unknown) without its provider id.
func TestReportByOurIDResolvesUnknown(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	claimed := []store.OutboxMessage{claimOne(t, db)}
	if _, err := db.ExpireSending(ctx, time.Now().Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	st, raw := report(t, "sid-9", "failed_dnd", "", strconv.FormatInt(claimed[0].ID, 10))
	if got, err := reports.Receive(ctx, db, st, raw); err != nil || got != reports.Applied {
		t.Fatalf("report by our id: %v %v, want applied", got, err)
	}
	if m, _ := storetest.Message(t, db, claimed[0].ID); m.State != store.MsgFailed || m.ProviderID != "sid-9" {
		t.Fatalf("message: %+v", m)
	}
}
