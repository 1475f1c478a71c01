package outbox_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

func smsTo(person int64, to, class string) store.OutboxMessage {
	return store.OutboxMessage{Channel: store.ChannelSMS, Provider: "exotel", Class: class, PersonID: person,
		Template: "1107170000000000009", Body: "Jodo: the drive news", To: to}
}

// notice queues person's import notice by SMS the way imports.Notify
// records it, and returns its message id.
func (r *rig) notice(t *testing.T, importID, person int64, to string) int64 {
	t.Helper()
	id := r.enqueue(t, smsTo(person, to, store.ClassOutreach))[0]
	err := r.db.Update(context.Background(), func(tx *store.Tx) error {
		n, err := store.RecordNotices(context.Background(), tx, []store.ImportNotice{{PersonID: person, ImportID: importID,
			Channel: store.ChannelSMS, OutboxID: id}})
		if err == nil && n != 1 {
			t.Errorf("recorded %d notices", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Outreach to someone an import created waits for their notice: before it
// is sent, outreach fails saying so and never reaches the gateway, though
// their SMS consent is in force; a requested message goes; the notice
// itself goes, is marked sent, and outreach after it goes.
func TestImportedPeopleGetNoOutreachBeforeTheirNotice(t *testing.T) {
	r := newRig(t)
	w := storetest.NewImportWorld(t, r.db)
	imp, people := w.Import(t, "last year's members", storetest.ImportRow{Phone: "+919876500011", Language: "hi", SMS: true})
	person := people["+919876500011"]
	s := r.sender(t, "n1", outbox.Config{})

	early := r.enqueue(t, smsTo(person, "+919876500011", store.ClassOutreach), smsTo(person, "+919876500011", store.ClassRequested))
	drain(t, s)
	m := r.state(t, early[0])
	wantState(t, m, store.MsgFailed)
	if m.Error != "not sent: imported, and the import notice has not reached them" {
		t.Errorf("error %q", m.Error)
	}
	wantState(t, r.state(t, early[1]), store.MsgSent)
	if got := len(r.gw.Received()); got != 1 {
		t.Fatalf("gateway got %d messages, want only the requested one", got)
	}

	notice := r.notice(t, imp, person, "+919876500011")
	beside := r.enqueue(t, smsTo(person, "+919876500011", store.ClassOutreach))[0]
	drain(t, s)
	wantState(t, r.state(t, notice), store.MsgSent)
	wantState(t, r.state(t, beside), store.MsgFailed) // claimed with the notice, before it was sent
	if n, _ := storetest.NoticeOf(t, r.db, person); n.SentAt.IsZero() || n.OutboxID != notice {
		t.Errorf("notice %+v, want sent_at set for message %d", n, notice)
	}

	after := r.enqueue(t, smsTo(person, "+919876500011", store.ClassOutreach))[0]
	drain(t, s)
	wantState(t, r.state(t, after), store.MsgSent)
	if got := len(r.gw.Received()); got != 3 {
		t.Errorf("gateway got %d messages, want 3: requested, notice, outreach after it", got)
	}
}

// The notice lifts the hold only with the channel's consent: a person
// whose import recorded no SMS opt-in still gets no SMS outreach.
func TestNoticeDoesNotStandInForConsent(t *testing.T) {
	r := newRig(t)
	w := storetest.NewImportWorld(t, r.db)
	imp, people := w.Import(t, "district list", storetest.ImportRow{Phone: "+919876500012", Language: "en", WhatsApp: true})
	person := people["+919876500012"]
	err := r.db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := store.RecordNotices(context.Background(), tx, []store.ImportNotice{{PersonID: person, ImportID: imp,
			Channel: store.ChannelWhatsApp}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	id := r.enqueue(t, smsTo(person, "+919876500012", store.ClassOutreach))[0]
	drain(t, r.sender(t, "n1", outbox.Config{}))
	m := r.state(t, id)
	wantState(t, m, store.MsgFailed) // the hold stays: the notice was never sent
	if m.Error != "not sent: imported, and the import notice has not reached them" {
		t.Errorf("error %q", m.Error)
	}
}

// Someone an import created who then gave a consent themselves (on a
// channel other than import) came to Jodo on their own: outreach their
// consent allows goes without a notice.
func TestImportedPersonWhoCameThemselvesIsNotHeld(t *testing.T) {
	r := newRig(t)
	w := storetest.NewImportWorld(t, r.db)
	_, people := w.Import(t, "district list", storetest.ImportRow{Phone: "+919876500013", Language: "hi", SMS: true})
	person := people["+919876500013"]
	err := r.db.Update(context.Background(), func(tx *store.Tx) error {
		return store.GrantConsent(context.Background(), tx, store.Consent{PersonID: person, Purpose: store.PurposeVolunteer,
			NoticeVersion: "v1", Channel: "web"})
	})
	if err != nil {
		t.Fatal(err)
	}
	id := r.enqueue(t, smsTo(person, "+919876500013", store.ClassOutreach))[0]
	drain(t, r.sender(t, "n1", outbox.Config{}))
	wantState(t, r.state(t, id), store.MsgSent)
}
