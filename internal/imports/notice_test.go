package imports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/imports"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const business = "106540352242922"

type noticeRig struct {
	db      *store.DB
	world   storetest.ImportWorld
	notices imports.Notices
}

func newNoticeRig(t *testing.T) *noticeRig {
	t.Helper()
	db := storetest.Open(t, storetest.NewClock(time.Date(2026, 2, 12, 10, 0, 0, 0, time.UTC)))
	r := &noticeRig{db: db, world: storetest.NewImportWorld(t, db)}
	r.notices = imports.Notices{DB: db, WhatsAppTemplate: "import_notice", SMSProvider: "exotel",
		SMSTemplates: map[string]string{"en": "1107170000000000011", "hi": "1107170000000000012"}, BaseURL: "https://jodo.example.in"}
	return r
}

// wroteToDrive makes someone write to the drive's WhatsApp number, so Jodo
// knows the number's id.
func (r *noticeRig) wroteToDrive(t *testing.T) {
	t.Helper()
	r.update(t, func(ctx context.Context, tx *store.Tx) error {
		id, err := store.CreatePerson(ctx, tx, store.Person{Language: "hi"})
		if err != nil {
			return err
		}
		_, err = store.NoteInbound(ctx, tx, store.Conversation{PersonID: id, Channel: store.ChannelWhatsApp, Business: business,
			BusinessNumber: "+919800000000", DriveID: r.world.Drive, LastInboundAt: tx.Now})
		return err
	})
}

func (r *noticeRig) update(t *testing.T, fn func(context.Context, *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := r.db.Update(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// noticeOf is the person's notice and its message; ok false when none.
func (r *noticeRig) noticeOf(t *testing.T, person int64) (store.ImportNotice, store.OutboxMessage, bool) {
	t.Helper()
	n, ok := storetest.NoticeOf(t, r.db, person)
	if !ok {
		return n, store.OutboxMessage{}, false
	}
	m, found := storetest.Message(t, r.db, n.OutboxID)
	if !found {
		t.Fatalf("notice of %d names message %d, which is not there", person, n.OutboxID)
	}
	return n, m, true
}

func (r *noticeRig) notify(t *testing.T, imp int64, limit int) imports.Noticed {
	t.Helper()
	got, err := r.notices.Notify(context.Background(), imp, limit)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// The notice goes only on a channel the import's opt-ins cover: WhatsApp
// (the approved template, from the drive's number) with a WhatsApp
// opt-in, else SMS (its DLT template, in the person's language) with an
// SMS opt-in, else nothing. A WhatsApp consent given elsewhere is not the
// import's evidence. Run again, Notify queues nothing more.
func TestNotifyPicksTheChannelTheImportCovers(t *testing.T) {
	r := newNoticeRig(t)
	r.wroteToDrive(t)
	imp, people := r.world.Import(t, "JMM app export 2025",
		storetest.ImportRow{Phone: "+919876500021", Language: "hi", WhatsApp: true, SMS: true},
		storetest.ImportRow{Phone: "+919876500022", Language: "en", SMS: true},
		storetest.ImportRow{Phone: "+919876500023", Language: "hi", SMS: true},
		storetest.ImportRow{Phone: "+919876500024", Language: "hi"})
	own := people["+919876500023"]
	r.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.GrantConsent(ctx, tx, store.Consent{PersonID: own, Purpose: store.PurposeWhatsApp, NoticeVersion: "v1", Channel: "web"})
	})

	got := r.notify(t, imp, 0)
	if want := (imports.Noticed{WhatsApp: 1, SMS: 2, NoChannel: 1}); got != want {
		t.Errorf("first run %+v, want %+v", got, want)
	}

	n, m, ok := r.noticeOf(t, people["+919876500021"])
	if !ok || n.Channel != store.ChannelWhatsApp || m.Channel != store.ChannelWhatsApp || m.Class != store.ClassOutreach ||
		m.From != business || m.To != "+919876500021" || n.ImportID != imp || n.QueuedAt.IsZero() || !n.SentAt.IsZero() {
		t.Fatalf("WhatsApp notice %+v, message %+v", n, m)
	}
	o, err := graph.DecodeOutgoing(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	if o.Kind != graph.KindTemplate || o.Template == nil || o.Template.Name != "import_notice" || o.Template.Language != "hi" ||
		strings.Join(o.Template.Params, "|") != "झारखंड सदस्यता|JMM app export 2025" {
		t.Errorf("WhatsApp notice body %+v", o)
	}

	_, m, ok = r.noticeOf(t, people["+919876500022"])
	want := "Jodo: Jharkhand members added your number from JMM app export 2025, with the consent you gave there. " +
		"See or erase your data: https://jodo.example.in/me"
	if !ok || m.Channel != store.ChannelSMS || m.Provider != "exotel" || m.Template != "1107170000000000011" || m.Body != want {
		t.Errorf("English SMS notice %+v, want body %q", m, want)
	}
	_, m, ok = r.noticeOf(t, own)
	if !ok || m.Channel != store.ChannelSMS || m.Template != "1107170000000000012" || !strings.HasPrefix(m.Body, "जोड़ो: झारखंड सदस्यता ने") {
		t.Errorf("Hindi SMS notice (WhatsApp consent not from the import) %+v", m)
	}
	if _, _, ok := r.noticeOf(t, people["+919876500024"]); ok {
		t.Error("a person with no opt-in got a notice")
	}

	if got := r.notify(t, imp, 0); got != (imports.Noticed{NoChannel: 1, Already: 3}) {
		t.Errorf("second run %+v, want nothing queued, 3 already noticed", got)
	}
	if n := len(storetest.Messages(t, r.db)); n != 3 {
		t.Errorf("%d messages queued in all, want 3", n)
	}
}

// Without the drive's WhatsApp number known or a template set, a WhatsApp
// opt-in alone reaches nobody, and limit caps how many notices one run
// queues.
func TestNotifyWithoutWhatsAppAndWithALimit(t *testing.T) {
	r := newNoticeRig(t)
	imp, people := r.world.Import(t, "district list",
		storetest.ImportRow{Phone: "+919876500031", WhatsApp: true},
		storetest.ImportRow{Phone: "+919876500032", SMS: true},
		storetest.ImportRow{Phone: "+919876500033", SMS: true},
		storetest.ImportRow{Phone: "+919876500034", SMS: true})
	if got := r.notify(t, imp, 2); got != (imports.Noticed{SMS: 2, NoChannel: 1}) {
		t.Errorf("limited run %+v, want 2 SMS and the WhatsApp-only person without a channel", got)
	}
	if got := r.notify(t, imp, 0); got != (imports.Noticed{SMS: 1, NoChannel: 1, Already: 2}) {
		t.Errorf("second run %+v", got)
	}
	if _, _, ok := r.noticeOf(t, people["+919876500031"]); ok {
		t.Error("a WhatsApp opt-in got a notice with no number to send it from")
	}
}

// Notices go once an import is done: not for one undone.
func TestNotifyNeedsADoneImport(t *testing.T) {
	r := newNoticeRig(t)
	imp, _ := r.world.Import(t, "district list", storetest.ImportRow{Phone: "+919876500041", SMS: true})
	r.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := store.UndoImport(ctx, tx, imp)
		return err
	})
	if _, err := r.notices.Notify(context.Background(), imp, 0); err == nil || !strings.Contains(err.Error(), "undone") {
		t.Errorf("notify on an undone import: %v", err)
	}
}
