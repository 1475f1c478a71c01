package imports

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// held reports whether outreach to person waits for their import notice.
func (w *world) held(person int64) bool {
	w.t.Helper()
	var held map[int64]int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		held, err = store.HeldForNotice(ctx, tx, []int64{person})
		return err
	})
	_, ok := held[person]
	return ok
}

// Someone Jodo knew (added by staff, say, with no consent of their own)
// whom an import joins to a drive with the list's SMS opt-in is held for
// the notice like anyone the import created, and gets one; a notice whose
// message failed is queued again by the next run.
func TestNoticeReachesJoinedPeopleAndFailedOnesAgain(t *testing.T) {
	w := newWorld(t)
	var known int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if known, err = store.CreatePerson(ctx, tx, store.Person{Name: "Known Before"}); err != nil {
			return err
		}
		return store.AddContact(ctx, tx, known, store.ContactPhone, "+919811100071")
	})
	row := w.row(2, "+919811100071", "Known Before", "JH-AC-063", true, false)
	row.WhatsAppOptIn, row.SMSOptIn = false, true
	rep := w.load([]store.StagedRow{row})
	if rep.Updated != 1 || !w.held(known) {
		t.Fatalf("the known person joined by the import: %+v, held %v", rep, w.held(known))
	}
	n := Notices{DB: w.db, SMSProvider: "exotel", SMSTemplates: map[string]string{"en": "1107170000000000011", "hi": "1107170000000000012"},
		BaseURL: "https://jodo.example.in"}
	ctx := context.Background()
	got, err := n.Notify(ctx, rep.Import.ID, 0)
	if err != nil || got.SMS != 1 {
		t.Fatalf("notify: %+v %v", got, err)
	}
	claimed, err := w.db.ClaimMessages(ctx, "test", 10, time.Minute)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	if _, err := w.db.FinishMessages(ctx, "test", []store.MessageResult{{ID: claimed[0].ID,
		SendResult: store.SendResult{Outcome: store.SendFailed, Error: "rejected"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if !w.held(known) {
		t.Error("a failed notice let outreach through")
	}
	if got, err := n.Notify(ctx, rep.Import.ID, 0); err != nil || got.SMS != 1 || got.Already != 0 {
		t.Errorf("the run after a failed notice: %+v %v, want it queued again", got, err)
	}
	if got, err := n.Notify(ctx, rep.Import.ID, 0); err != nil || got.SMS != 0 || got.Already != 1 {
		t.Errorf("the run after that: %+v %v", got, err)
	}
}
