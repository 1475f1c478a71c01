package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var eraseKey = []byte("0123456789abcdef0123456789abcdef")

func phoneHash(p string) string { return store.SuppressionHash(eraseKey, p) }

// eraseAll erases a person at their request as /me and DELETE do
// (people.Erase: the store's rows, and the suppression kept).
func eraseAll(ctx context.Context, tx *store.Tx, id int64) error {
	return people.New(eraseKey).Erase(ctx, tx, id, "")
}

// missedCall records an Exotel missed call from phone (given as the
// national number with a leading 0, as Exotel spells it) and returns the
// result.
func (f *driveFixture) missedCall(t testing.TB, key, phone string) store.CallResult {
	t.Helper()
	payload := "CallSid=" + key + "&CallFrom=0" + phone[3:] + "&CallTo=08047123456&Direction=incoming"
	var res []store.CallResult
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		res, err = store.RecordCalls(ctx, tx, []store.CallRecord{{
			Inbox: store.InboxItem{Provider: "exotel", Key: key, Kind: "call", Payload: []byte(payload)},
			Phone: phone, At: tx.Now, Drive: f.drive, Day: fixtureDay, Hashed: phoneHash(phone)}}, nil)
		return err
	})
	return res[0]
}

// inbox stores a raw item and returns its id.
func (f *driveFixture) inbox(t testing.TB, it store.InboxItem) int64 {
	t.Helper()
	var id int64
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		res, err := store.InsertInbox(ctx, tx, []store.InboxItem{it})
		id = res[0].ID
		return err
	})
	return id
}

// texts returns every stored value that could hold a person's data.
func (f *driveFixture) texts(t testing.TB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for _, q := range []string{
			"SELECT name FROM people", "SELECT COALESCE(membership_no, '') FROM people",
			"SELECT value FROM contact_points", "SELECT evidence FROM consents",
			"SELECT body FROM outbox", "SELECT to_address FROM outbox", "SELECT payload FROM inbox",
			"SELECT phone FROM otp_codes", "SELECT detail FROM audit_log",
		} {
			rows, err := rawsql.Tx(tx).QueryContext(ctx, q)
			if err != nil {
				return err
			}
			for rows.Next() {
				var v []byte
				if err := rows.Scan(&v); err != nil {
					return err
				}
				out[q] = append(out[q], string(v))
			}
			if err := rows.Close(); err != nil {
				return err
			}
		}
		return nil
	})
	return out
}

func TestEraseAll(t *testing.T) {
	f := newDriveFixture(t)
	const phone, other = "+919876543210", "+919812345678"
	call := f.missedCall(t, "call-1", phone)
	id := call.PersonID
	otherID := f.missedCall(t, "call-2", other).PersonID
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if err := store.UpdatePersonDetails(ctx, tx, id, "Sunita Oraon", "hi", f.ac, names.SearchKeys("Sunita Oraon")); err != nil {
			return err
		}
		if err := setNo(ctx, tx, id, "JH7K2M9QX"); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactWAID, phone[1:]); err != nil {
			return err
		}
		return store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: store.PurposeMembership, NoticeVersion: "v1",
			Language: "hi", Channel: "web", Evidence: "form Sunita Oraon"})
	})
	sent := smsTo(phone)
	sent.PersonID, sent.Body = id, "Sunita Oraon, welcome: JH7K2M9QX"
	sentID := f.enqueue(t, sent)
	f.claim(t, "node-1", 1)
	f.finish(t, sentID, "node-1", store.SendResult{Outcome: store.SendSent, ProviderID: "sms-1"})
	queued := sent
	queued.Body = "Sunita, your card"
	queuedID := f.enqueue(t, queued)
	code := smsTo(phone) // a sign-in code sent before the number had a person
	code.Body = "Your code is 123456"
	codeID := f.enqueue(t, code)
	kept := smsTo(other)
	kept.PersonID = otherID
	keptID := f.enqueue(t, kept)

	chat := f.inbox(t, store.InboxItem{Provider: "whatsapp", Key: "wamid.1", Kind: "message", Payload: []byte(`{"text":"I am Sunita Oraon"}`)})
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.LinkInbox(ctx, tx, []store.InboxPerson{{InboxID: chat, PersonID: id}})
	})
	f.inbox(t, store.InboxItem{Provider: "exotel", Key: "sms:sms-1:delivered", Kind: "sms_status", Payload: []byte("SmsSid=sms-1&To=%2B919876543210&Status=sent")})
	otherReport := []byte("SmsSid=sms-2&To=%2B919812345678&Status=sent")
	f.inbox(t, store.InboxItem{Provider: "exotel", Key: "sms:sms-2:delivered", Kind: "sms_status", Payload: otherReport})
	f.code(t, phone, "111111", "a")
	f.session(t, id, "token", time.Hour)
	leads := f.total(t, f.state, "leads")

	if n := storetest.NameKeyCount(t, f.db, id); n != 2 {
		t.Fatalf("%d name keys before the erasure, want 2", n)
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if err := eraseAll(ctx, tx, id); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: "person:1", Action: "erase", PersonID: id})
	})
	if n := storetest.NameKeyCount(t, f.db, id); n != 0 {
		t.Errorf("%d name keys after the erasure (the folded name)", n)
	}

	for q, values := range f.texts(t) {
		for _, v := range values {
			for _, secret := range []string{"9876543210", "Sunita", "JH7K2M9QX"} {
				if strings.Contains(v, secret) {
					t.Errorf("%s still holds %q: %q", q, secret, v)
				}
			}
		}
	}
	if got := f.total(t, f.state, "leads"); got != leads || leads != 2 {
		t.Errorf("leads %d after erasure, %d before; want 2 both", got, leads)
	}
	wantState(t, f.message(t, sentID), store.MsgSent, "sms-1")
	wantState(t, f.message(t, queuedID), store.MsgFailed, "")
	if m := f.message(t, codeID); m.Body != store.Erased || m.To != store.Erased {
		t.Errorf("the code sent to the number before it had a person: %+v", m)
	}
	if m := f.message(t, keptID); m.Body != kept.Body || m.To != other {
		t.Errorf("another person's message changed: %+v", m)
	}
	if _, ok := f.live(t, "token"); ok {
		t.Error("the erased person's session is alive")
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if ok, err := suppressed(ctx, tx, phoneHash(phone)); err != nil || !ok {
			t.Errorf("phone not suppressed after erasure: %v %v", ok, err)
		}
		var payload []byte
		var note string
		var processed *int64
		if err := rawsql.Tx(tx).QueryRowContext(ctx, "SELECT payload, note, processed_at FROM inbox WHERE id = $1", chat).Scan(&payload, &note, &processed); err != nil {
			return err
		}
		if len(payload) != 0 || note != store.Erased || processed == nil {
			t.Errorf("linked chat item: payload %q note %q processed %v", payload, note, processed)
		}
		return nil
	})
	if texts := f.texts(t)["SELECT payload FROM inbox"]; !contains(texts, string(otherReport)) {
		t.Errorf("another number's report was erased: %q", texts)
	}

	// Providers replay: the raw items are still there to find duplicates,
	// so no replay brings the person back.
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		res, err := store.InsertInbox(ctx, tx, []store.InboxItem{{Provider: "whatsapp", Key: "wamid.1", Kind: "message", Payload: []byte("x")}})
		if err == nil && !res[0].Duplicate {
			t.Error("a replayed chat message is not a duplicate")
		}
		return err
	})
	if again := f.missedCall(t, "call-1", phone); !again.Duplicate || again.PersonID != 0 {
		t.Errorf("replayed call: %+v", again)
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := store.FindByContact(ctx, tx, store.ContactPhone, phone)
		wantCode(t, err, apperr.NotFound)
		return nil
	})
}

func contains(values []string, want string) bool {
	for _, v := range values {
		if v == want {
			return true
		}
	}
	return false
}

func TestEraseAllTwice(t *testing.T) {
	f := newDriveFixture(t)
	id := f.person(t, "Sunita", "+919876543210")
	for range 2 {
		f.update(t, func(ctx context.Context, tx *store.Tx) error { return eraseAll(ctx, tx, id) })
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		wantCode(t, eraseAll(ctx, tx, id+100), apperr.NotFound)
		return nil
	})
}

func TestLinkInbox(t *testing.T) {
	f := newDriveFixture(t)
	a, b := f.person(t, "A", "+919800000001"), f.person(t, "B", "+919800000002")
	items := []int64{
		f.inbox(t, store.InboxItem{Provider: "p", Key: "1", Kind: "call", Payload: []byte("1")}),
		f.inbox(t, store.InboxItem{Provider: "p", Key: "2", Kind: "call", Payload: []byte("2")}),
		f.inbox(t, store.InboxItem{Provider: "p", Key: "3", Kind: "call", Payload: []byte("3")}),
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if err := store.LinkInbox(ctx, tx, nil); err != nil {
			return err
		}
		return store.LinkInbox(ctx, tx, []store.InboxPerson{{InboxID: items[0], PersonID: a}, {InboxID: items[2], PersonID: b}})
	})
	want := []int64{a, 0, b}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for i, id := range items {
			var person *int64
			if err := rawsql.Tx(tx).QueryRowContext(ctx, "SELECT person_id FROM inbox WHERE id = $1", id).Scan(&person); err != nil {
				return err
			}
			if got := deref(person); got != want[i] {
				t.Errorf("item %d: person %d, want %d", i, got, want[i])
			}
		}
		return nil
	})
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func TestPersonMessagesAndParticipations(t *testing.T) {
	f := newDriveFixture(t)
	id := f.person(t, "Sunita", "+919876543210")
	other := f.person(t, "Ravi", "+919800000001")
	f.lead(t, id)
	for i, body := range []string{"first", "second", "third"} {
		f.clock.Advance(time.Duration(i) * time.Minute)
		m := smsTo("+919876543210")
		m.PersonID, m.Body = id, body
		f.enqueue(t, m)
	}
	m := smsTo("+919800000001")
	m.PersonID = other
	f.enqueue(t, m)
	ctx := context.Background()
	var msgs []store.PersonMessage
	err := f.db.View(ctx, func(tx *store.Tx) (err error) { msgs, err = store.PersonMessages(ctx, tx, id, 2); return err })
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Body != "third" || msgs[1].Body != "second" || msgs[0].State != store.MsgQueued || msgs[0].Channel != "sms" {
		t.Fatalf("messages: %+v", msgs)
	}
	parts := f.participations(t, id)
	if len(parts) != 1 || parts[0].DriveSlug != "jh-warriors" || parts[0].DriveName != "Social media warriors" || parts[0].RootArea != "JH" ||
		!parts[0].LeadAt.Equal(fixtureStart) || !parts[0].RegisteredAt.IsZero() || parts[0].Channel != "missed_call" {
		t.Fatalf("participations: %+v", parts)
	}
	if parts := f.participations(t, other); len(parts) != 0 {
		t.Fatalf("participations of someone in no drive: %+v", parts)
	}
}

// participations reads a person's participations.
func (f *driveFixture) participations(t *testing.T, person int64) []store.PersonParticipation {
	t.Helper()
	ctx := context.Background()
	var parts []store.PersonParticipation
	err := f.db.View(ctx, func(tx *store.Tx) (err error) { parts, err = store.PersonParticipations(ctx, tx, person); return err })
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

func TestAuditLog(t *testing.T) {
	f := newDriveFixture(t)
	id := f.person(t, "Sunita", "+919876543210")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		for _, a := range []string{"signin", "export"} {
			if err := store.Audit(ctx, tx, store.AuditEntry{Actor: "person:1", Action: a, PersonID: id, Detail: "detail " + a}); err != nil {
				return err
			}
		}
		if err := store.Audit(ctx, tx, store.AuditEntry{Actor: "token:ops", Action: "export", Detail: "all members"}); err != nil {
			return err
		}
		wantCode(t, store.Audit(ctx, tx, store.AuditEntry{Action: "x", PersonID: id}), apperr.Invalid)
		return nil
	})
	log, err := f.db.AuditLog(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Action != "export" || log[1].Action != "signin" || log[0].PersonID != id ||
		log[0].Actor != "person:1" || log[0].Detail != "detail export" || !log[0].At.Equal(fixtureStart) {
		t.Fatalf("audit log: %+v", log)
	}
}
