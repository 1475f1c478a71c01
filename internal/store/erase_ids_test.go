package store_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var keyed = store.KeyedHash(eraseKey)

// waMessage is an inbound WhatsApp message from waID, as the webhook
// hands it to the store.
func (f *driveFixture) waMessage(waID, id string) store.WhatsAppMessage {
	return store.WhatsAppMessage{
		Inbox: store.InboxItem{Provider: "whatsapp", Key: id, Kind: store.KindWhatsAppMessage,
			Payload: []byte(`{"from":"` + waID + `","id":"` + id + `","type":"text","text":{"body":"hi"}}`)},
		WAID: waID, Phone: "+" + waID, Hashed: phoneHash("+" + waID), Drive: f.drive, Day: fixtureDay,
		Business: "pnid-1", At: fixtureStart, ErasedID: store.ErasedID(keyed, "whatsapp", id)}
}

// waStatus is Meta's status for our message id to waID.
func waStatus(waID, id, state string) store.WhatsAppStatus {
	return store.WhatsAppStatus{
		Inbox: store.InboxItem{Provider: "whatsapp", Key: id + ":" + state, Kind: store.KindWhatsAppStatus,
			Payload: []byte(`{"id":"` + id + `","status":"` + state + `","recipient_id":"` + waID + `"}`)},
		Update:   store.StatusUpdate{Provider: "whatsapp", ProviderID: id, State: state},
		ErasedID: store.ErasedID(keyed, "whatsapp", id)}
}

func (f *driveFixture) recordWA(t testing.TB, msgs []store.WhatsAppMessage, sts ...store.WhatsAppStatus) []store.WhatsAppResult {
	t.Helper()
	var out []store.WhatsAppResult
	f.update(t, func(ctx context.Context, tx *store.Tx) (err error) {
		out, err = store.RecordWhatsApp(ctx, tx, msgs, sts)
		return err
	})
	return out
}

// sendWA queues, claims and finishes a WhatsApp message to person,
// accepted under wamid.
func (f *driveFixture) sendWA(t testing.TB, person int64, to, wamid string) int64 {
	t.Helper()
	id := f.enqueue(t, store.OutboxMessage{PersonID: person, Channel: "whatsapp", Provider: "whatsapp",
		Class: store.ClassRequested, Body: `{"text":"hello"}`, To: to, From: "pnid-1"})
	f.claim(t, "node-1", 10)
	if !f.finish(t, id, "node-1", store.SendResult{Outcome: store.SendSent, ProviderID: wamid}) {
		t.Fatalf("message %d was not recorded sent", id)
	}
	return id
}

func wantNoNumber(t *testing.T, db *store.DB, when, phone string) {
	t.Helper()
	for _, where := range storetest.NumberLeft(t, db, phone) {
		t.Errorf("%s, the number is still held: %s", when, where)
	}
}

// Erasure keeps only keyed hashes of the WhatsApp ids that carry the
// number (inbound ids, outbound ids, status keys), empties a delivery
// report that spells the number with spaces, and afterwards: a repeated
// old message is a duplicate that makes no one; a status for an old
// message is applied under its hashed id and stored without its payload;
// a message that went out after the erasure is forgotten once finished.
func TestEraseForgetsMessageIDs(t *testing.T) {
	f := newDriveFixture(t)
	const waID, phone = "919877700900", "+919877700900"
	inID, outID := fakemeta.NewWAMID(waID, true), fakemeta.NewWAMID(waID, false)
	first := f.waMessage(waID, inID)
	person := f.recordWA(t, []store.WhatsAppMessage{first})[0].PersonID
	sent := f.sendWA(t, person, phone, outID)
	f.recordWA(t, nil, waStatus(waID, outID, "sent"))
	f.inbox(t, store.InboxItem{Provider: "exotel", Key: "sms:sms-9:sent", Kind: "sms_status",
		Payload: []byte("SmsSid=sms-9&To=+91 98777 00900&Status=sent")})
	if len(storetest.NumberLeft(t, f.db, phone)) == 0 {
		t.Fatal("the scan finds nothing before the erasure")
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error { return eraseAll(ctx, tx, person) })
	wantNoNumber(t, f.db, "after the erasure", phone)

	if res := f.recordWA(t, []store.WhatsAppMessage{first}); !res[0].Duplicate || res[0].PersonID != 0 {
		t.Errorf("the old message again: %+v, want a duplicate making no one", res[0])
	}
	f.recordWA(t, nil, waStatus(waID, outID, "read"), waStatus(waID, outID, "read"))
	if m := f.message(t, sent); m.State != store.MsgRead {
		t.Errorf("a status after the erasure: the message is %s, want read", m.State)
	}
	wantNoNumber(t, f.db, "after statuses for an old message", phone)

	// The erasure's confirmation, sent after it: forgotten as its send is recorded.
	later := f.enqueue(t, store.OutboxMessage{PersonID: person, Channel: "whatsapp", Provider: "whatsapp",
		Class: store.ClassRequested, Body: `{"text":"erased"}`, To: phone, From: "pnid-1"})
	f.claim(t, "node-1", 10)
	if _, err := f.db.FinishMessages(context.Background(), "node-1", []store.MessageResult{{ID: later,
		SendResult: store.SendResult{Outcome: store.SendSent, ProviderID: fakemeta.NewWAMID(waID, false)}}}, keyed); err != nil {
		t.Fatal(err)
	}
	wantNoNumber(t, f.db, "after a message sent after the erasure", phone)
	if m := f.message(t, later); m.State != store.MsgSent || m.To != store.Erased {
		t.Errorf("the message sent after the erasure: %+v", m)
	}
}

// A delivery report for a message to someone who erased their data keeps
// no payload once applied; another's keeps it.
func TestMarkReportProcessed(t *testing.T) {
	f := newDriveFixture(t)
	gone, kept := f.person(t, "A", "+919877700902"), f.person(t, "B", "+919877700903")
	sids, to := []string{"sms-a", "sms-b"}, []string{"+919877700902", "+919877700903"}
	for i, p := range []int64{gone, kept} {
		m := smsTo(to[i])
		m.PersonID = p
		id := f.enqueue(t, m)
		f.claim(t, "node-1", 10)
		f.finish(t, id, "node-1", store.SendResult{Outcome: store.SendSent, ProviderID: sids[i]})
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error { return eraseAll(ctx, tx, gone) })
	ctx := context.Background()
	for i, sid := range sids { // the reports arrive after the erasure
		report := f.inbox(t, store.InboxItem{Provider: "exotel", Key: sid, Kind: "sms_status", Payload: []byte("To=" + to[i])})
		if err := f.db.MarkReportProcessed(ctx, report, store.StatusUpdate{Provider: "exotel", ProviderID: sid, State: store.MsgDelivered}); err != nil {
			t.Fatal(err)
		}
	}
	wantNoNumber(t, f.db, "after the report", "+919877700902")
	if len(storetest.NumberLeft(t, f.db, "+919877700903")) == 0 {
		t.Error("another person's report lost its payload")
	}
}
