package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// The window opens with an inbound message, lasts the window from the
// latest one (an older message arriving late does not shorten it), closes
// when the provider says so, and opens again when the person writes.
func TestConversationWindow(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	p := f.person(t, "", "+919812345678")
	k := store.WindowKey{PersonID: p, Business: "106540352242922"}
	open := func() bool {
		t.Helper()
		got, err := f.db.WindowsOpen(ctx, store.PurposeWhatsApp, []store.WindowKey{k, {PersonID: p, Business: "other"}}, 24*time.Hour, f.db.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got[store.WindowKey{PersonID: p, Business: "other"}] {
			t.Error("a business number the person never wrote to is open")
		}
		return got[k]
	}
	inbound := func(at time.Time) {
		t.Helper()
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			_, err := store.NoteInbound(ctx, tx, store.Conversation{PersonID: p, Channel: store.PurposeWhatsApp, Business: k.Business,
				BusinessNumber: "+917000000000", DriveID: f.drive, LastInboundAt: at})
			return err
		})
	}
	if open() {
		t.Fatal("open before the person wrote")
	}
	start := f.db.Now()
	inbound(start)
	if !open() {
		t.Fatal("closed right after the person wrote")
	}
	inbound(start.Add(-3 * time.Hour)) // a late webhook for an older message
	f.clock.Set(start.Add(23 * time.Hour))
	if !open() {
		t.Error("closed after 23 h")
	}
	f.clock.Set(start.Add(24*time.Hour + time.Second))
	if open() {
		t.Error("open after 24 h")
	}
	inbound(f.db.Now())
	if !open() {
		t.Fatal("closed after the person wrote again")
	}
	f.clock.Set(f.db.Now().Add(time.Minute))
	if err := f.db.CloseWindow(ctx, store.PurposeWhatsApp, k); err != nil {
		t.Fatal(err)
	}
	if open() {
		t.Error("open after the provider said it was closed")
	}
	f.clock.Set(f.db.Now().Add(time.Minute))
	inbound(f.db.Now())
	if !open() {
		t.Error("closed after the person wrote after the provider closed it")
	}
	c, found, err := f.db.GetConversation(ctx, p, store.PurposeWhatsApp, k.Business)
	if err != nil || !found || c.DriveID != f.drive || c.BusinessNumber != "+917000000000" {
		t.Errorf("conversation %+v found=%v (%v)", c, found, err)
	}
}

// A WhatsApp message is not claimed while an earlier one to the same
// person waits for a retry, so they go in order; an SMS is not held by
// another SMS, and other people are not held at all.
func TestClaimKeepsAPersonsWhatsAppInOrder(t *testing.T) {
	f := newDriveFixture(t)
	wa := func(to, body string) int64 {
		return f.enqueue(t, store.OutboxMessage{Channel: "whatsapp", Provider: "whatsapp", Class: store.ClassRequested,
			Body: body, To: to, From: "106540352242922"})
	}
	first := wa("+919811111111", "first")
	got := f.claim(t, "n1", 10)
	if len(got) != 1 || got[0].ID != first {
		t.Fatalf("claimed %+v", got)
	}
	f.finish(t, first, "n1", store.SendResult{Outcome: store.SendRetry, RetryAfter: time.Minute})
	second := wa("+919811111111", "second")
	other := wa("+919822222222", "someone else")
	sms1, sms2 := f.enqueue(t, smsTo("+919811111111")), f.enqueue(t, smsTo("+919811111111"))
	var ids []int64
	for _, m := range f.claim(t, "n1", 10) {
		ids = append(ids, m.ID)
	}
	if len(ids) != 3 || ids[0] != other || ids[1] != sms1 || ids[2] != sms2 {
		t.Fatalf("claimed %v, want someone else's %d and both SMS %d %d, not %d behind the retry", ids, other, sms1, sms2, second)
	}
	f.clock.Set(f.db.Now().Add(time.Minute))
	ids = ids[:0]
	for _, m := range f.claim(t, "n1", 10) {
		ids = append(ids, m.ID)
	}
	if len(ids) != 2 || ids[0] != first || ids[1] != second {
		t.Errorf("after the retry's wait claimed %v, want %d then %d", ids, first, second)
	}
}
