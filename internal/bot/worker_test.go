package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/bot"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A conversation the engine fails on does not hold up the batch: its first
// message is set aside with a note and the conversation released, while
// another conversation in the same batch is answered.
func TestWorkerSetsAsideWhatFails(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	today := time.Now()
	window := fmt.Sprintf(`"starts_on":%q,"ends_on":%q`, today.AddDate(0, -1, 0).Format(time.DateOnly), today.AddDate(0, 1, 0).Format(time.DateOnly))
	drives := drivetest.Load(t, db, nil,
		`{"version":1,"slug":"good","name":"Good",`+window+`,"timezone":"Asia/Kolkata","root_area":"JH",
			"channels":[{"kind":"whatsapp","number":"+`+fakemeta.DisplayNumber+`"}],"targets":[]}`,
		`{"version":1,"slug":"broken","name":"Broken",`+window+`,"timezone":"Asia/Kolkata","root_area":"JH","channels":[],"targets":[]}`)
	day := today.Format(time.DateOnly)
	good := inbound(t, "919811100001", "Hi", "", "", drives["good"].ID, day)
	bad := inbound(t, "919811100002", "Hi", "", "", drives["broken"].ID, day)
	err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.RecordWhatsApp(ctx, tx, []store.WhatsAppMessage{good, bad}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A drive the engine cannot read: its time zone is gone.
	storetest.BreakDriveZone(t, db, drives["broken"].ID)
	w, err := bot.NewWorker(db, bot.New(db, bot.Config{SecretKey: []byte(benchSecret), BaseURL: "http://127.0.0.1"}), bot.WorkerConfig{Owner: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drained %d conversations (%v), want 2", n, err)
	}
	note := func(key string) (bool, string) { return storetest.InboxProcessed(t, db, key) }
	if done, n := note(good.Inbox.Key); !done || n != "" {
		t.Errorf("the good conversation's message: processed %v, note %q", done, n)
	}
	if done, n := note(bad.Inbox.Key); !done || !strings.HasPrefix(n, "not answered: ") {
		t.Errorf("the failing conversation's message: processed %v, note %q, want set aside", done, n)
	}
	replies := storetest.OutboxCount(t, db, storetest.Outbox{To: "+919811100001"})
	if leased := storetest.LeasedConversations(t, db); replies != 1 || leased != 0 {
		t.Errorf("%d replies to the good conversation, %d conversations still leased; want 1 and 0", replies, leased)
	}
}

// One person writing to two business numbers, answered in one batch: a
// STOP on the first is heeded on the second (its step does not use what
// was read of the person before the STOP).
func TestWorkerBatchHeedsStopAcrossNumbers(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	today := time.Now()
	d := drivetest.Load(t, db, nil, fmt.Sprintf(`{"version":1,"slug":"jh","name":"JH","starts_on":%q,"ends_on":%q,
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"whatsapp","number":"+%s"}],"targets":[]}`,
		today.AddDate(0, -1, 0).Format(time.DateOnly), today.AddDate(0, 1, 0).Format(time.DateOnly), fakemeta.DisplayNumber))["jh"]
	day := today.Format(time.DateOnly)
	w, err := bot.NewWorker(db, bot.New(db, bot.Config{SecretKey: []byte(benchSecret), BaseURL: "http://127.0.0.1"}), bot.WorkerConfig{Owner: "test"})
	if err != nil {
		t.Fatal(err)
	}
	record := func(msgs ...store.WhatsAppMessage) (out []store.WhatsAppResult) {
		t.Helper()
		err := db.Update(ctx, func(tx *store.Tx) (err error) {
			out, err = store.RecordWhatsApp(ctx, tx, msgs, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	const waid = "919811100003"
	person := record(inbound(t, waid, "Hi", "", "", d.ID, day))[0].PersonID
	err = db.Update(ctx, func(tx *store.Tx) error {
		return store.GrantConsent(ctx, tx, store.Consent{PersonID: person, Purpose: store.PurposeWhatsApp, NoticeVersion: bot.NoticeVersion,
			Language: "hi", Channel: "whatsapp", Evidence: "test"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("first drain: %d conversations (%v), want 1", n, err)
	}
	other := inbound(t, waid, "Hi", "", "", d.ID, day)
	other.Business, other.BusinessNumber = "second-number-id", "+911140000009"
	record(inbound(t, waid, "STOP", "", "", d.ID, day), other)
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("second drain: %d conversations (%v), want both in one batch", n, err)
	}
	toOther := storetest.OutboxCount(t, db, storetest.Outbox{From: other.Business})
	if note := storetest.InboxNote(t, db, "", other.Inbox.Key); toOther != 0 || !strings.Contains(note, "STOP") {
		t.Errorf("after STOP on one number, the other number's message got %d replies (note %q), want none", toOther, note)
	}
}

// A conversation whose replies cannot be queued (a wa_id that is no phone
// number, stored before the webhook refused such ids, or past it) is set
// aside alone, with a note, in the same round that answers the other 99
// of its batch; it is not tried again.
func TestWorkerSetsAsideAPoisonWAID(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	today := time.Now()
	d := drivetest.Load(t, db, nil, fmt.Sprintf(`{"version":1,"slug":"jh","name":"JH","starts_on":%q,"ends_on":%q,
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"whatsapp","number":"+%s"}],"targets":[]}`,
		today.AddDate(0, -1, 0).Format(time.DateOnly), today.AddDate(0, 1, 0).Format(time.DateOnly), fakemeta.DisplayNumber))["jh"]
	day := today.Format(time.DateOnly)
	const poison, at = "abc<script>", 37
	var msgs []store.WhatsAppMessage
	for i := range 100 {
		m := inbound(t, fmt.Sprintf("9198112%05d", i), "Hi", "", "", d.ID, day)
		if i == at {
			m.Inbox.Payload = []byte(strings.ReplaceAll(string(m.Inbox.Payload), m.WAID, poison))
			m.WAID, m.Phone, m.Hashed = poison, "", "" // no phone: the wa_id is no number
		}
		msgs = append(msgs, m)
	}
	err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.RecordWhatsApp(ctx, tx, msgs, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w, err := bot.NewWorker(db, bot.New(db, bot.Config{SecretKey: []byte(benchSecret), BaseURL: "http://127.0.0.1"}), bot.WorkerConfig{Owner: "test", Batch: 100})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 100 {
		t.Fatalf("drained %d conversations (%v), want all 100 in one round", n, err)
	}
	answered, leased := storetest.Recipients(t, db), storetest.LeasedConversations(t, db)
	notes := map[string]string{}
	for _, kn := range storetest.InboxNotes(t, db, true) {
		notes[kn.Key] = kn.Note
	}
	if answered != 99 || leased != 0 || len(notes) != 100 {
		t.Errorf("after one round: %d people answered, %d conversations leased, %d messages done; want 99, 0, 100", answered, leased, len(notes))
	}
	if n := notes[msgs[at].Inbox.Key]; !strings.HasPrefix(n, "not answered: ") {
		t.Errorf("the poison conversation's message has note %q, want it set aside", n)
	}
	if n, err := w.Drain(ctx); err != nil || n != 0 {
		t.Errorf("a second round leased %d conversations (%v), want none: the poison one is not tried again", n, err)
	}
}
