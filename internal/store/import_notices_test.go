package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

type noticeWorld struct {
	storetest.ImportWorld
	imp    int64
	person int64
}

// newNoticeWorld imports one member, with an SMS opt-in and a legacy
// number, and queues their notice by SMS.
func newNoticeWorld(t *testing.T) (*noticeWorld, int64) {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 12, 10, 0, 0, 0, time.UTC)))
	w := &noticeWorld{ImportWorld: storetest.NewImportWorld(t, db)}
	var people map[string]int64
	w.imp, people = w.Import(t, "JMM app export 2025",
		storetest.ImportRow{Phone: "+919876500051", Name: "Sunita Devi", Language: "hi", LegacyNo: "JMM/2025/00042", SMS: true})
	w.person = people["+919876500051"]
	var msg int64
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		ids, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{PersonID: w.person, Channel: store.ChannelSMS, Provider: "exotel",
			Class: store.ClassOutreach, Template: "1107170000000000011", Body: "Jodo: notice", To: "+919876500051"}})
		if err != nil {
			return err
		}
		msg = ids[0]
		_, err = store.RecordNotices(ctx, tx, []store.ImportNotice{{PersonID: w.person, ImportID: w.imp, Channel: store.ChannelSMS, OutboxID: msg}})
		return err
	})
	return w, msg
}

func (w *noticeWorld) update(t *testing.T, fn func(context.Context, *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := w.DB.Update(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

func (w *noticeWorld) notice(t *testing.T) (store.ImportNotice, bool) {
	t.Helper()
	return storetest.NoticeOf(t, w.DB, w.person)
}

func (w *noticeWorld) held(t *testing.T) (int64, bool) {
	t.Helper()
	var held map[int64]int64
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		held, err = store.HeldForNotice(ctx, tx, []int64{w.person})
		return err
	})
	notice, ok := held[w.person]
	return notice, ok
}

func (w *noticeWorld) finish(t *testing.T, msg int64, r store.SendResult) {
	t.Helper()
	ctx := context.Background()
	claimed, err := w.DB.ClaimMessages(ctx, "n1", 10, time.Minute)
	if err != nil || len(claimed) != 1 || claimed[0].ID != msg {
		t.Fatalf("claimed %v, %v", claimed, err)
	}
	if _, err := w.DB.FinishMessages(ctx, "n1", []store.MessageResult{{ID: msg, SendResult: r}}, nil); err != nil {
		t.Fatal(err)
	}
}

// A failed notice leaves the person held; the outbox recording it sent
// sets sent_at and lets outreach go.
func TestNoticeSentWithItsMessage(t *testing.T) {
	w, msg := newNoticeWorld(t)
	if notice, ok := w.held(t); !ok || notice != msg {
		t.Fatalf("held %v with notice %d, want held with %d", ok, notice, msg)
	}
	w.finish(t, msg, store.SendResult{Outcome: store.SendRetry, RetryAfter: 0})
	if n, _ := w.notice(t); !n.SentAt.IsZero() {
		t.Fatal("a notice to be retried is marked sent")
	}
	w.finish(t, msg, store.SendResult{Outcome: store.SendSent, ProviderID: "exo-1"})
	if n, _ := w.notice(t); n.SentAt.IsZero() {
		t.Fatal("the notice's message was recorded sent, the notice not")
	}
	if _, ok := w.held(t); ok {
		t.Error("still held after the notice was sent")
	}
}

// A notice whose send answer never came (unknown) counts as sent when the
// provider's report says it was delivered.
func TestNoticeSentByDeliveryReport(t *testing.T) {
	w, msg := newNoticeWorld(t)
	w.finish(t, msg, store.SendResult{Outcome: store.SendUnknown, Error: "timeout"})
	if n, _ := w.notice(t); !n.SentAt.IsZero() {
		t.Fatal("an unknown notice is marked sent")
	}
	if _, err := w.DB.ApplyStatus(context.Background(), store.StatusUpdate{Provider: "exotel", ProviderID: "exo-9", Ref: msg,
		State: store.MsgDelivered}); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.notice(t); n.SentAt.IsZero() {
		t.Fatal("delivered, yet the notice is not marked sent")
	}
}

// Erasure forgets what imports hold of a person: the number the source
// gave them, their notice, and any row of theirs staged by an import
// still loading.
func TestErasureForgetsImportedData(t *testing.T) {
	w, _ := newNoticeWorld(t)
	var origin store.ImportOrigin
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		origin, err = store.ImportOriginOf(ctx, tx, w.person)
		return err
	})
	if origin.ImportID != w.imp || origin.Source != "JMM app export 2025" || origin.Day != "2026-02-12" || origin.LegacyNo != "JMM/2025/00042" {
		t.Fatalf("origin %+v", origin)
	}
	var staging int64
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		staging, err = store.CreateImport(ctx, tx, store.Import{DriveID: w.Drive, SHA256: "beef", Source: "second list", As: "member",
			Actor: "cli:test", Day: "2026-02-12"})
		if err != nil {
			return err
		}
		return store.StageRows(ctx, tx, staging, []store.StagedRow{{Line: 2, Phone: "+919876500051", AreaID: w.AC},
			{Line: 3, Phone: "+919876500052", AreaID: w.AC}})
	})
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := store.ErasePersonalData(ctx, tx, w.person, func(s string) string { return "k" + s })
		return err
	})
	if _, ok := w.notice(t); ok {
		t.Error("the notice outlived erasure")
	}
	w.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if origin, err = store.ImportOriginOf(ctx, tx, w.person); err != nil {
			return err
		}
		rows, err := store.StagedRows(ctx, tx, staging, 0, 10)
		if len(rows) != 1 || rows[0].Phone != "+919876500052" {
			t.Errorf("staged rows after erasure %+v, want only the other number's", rows)
		}
		return err
	})
	if origin.LegacyNo != "" {
		t.Errorf("legacy number %q kept after erasure", origin.LegacyNo)
	}
}
