package people_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// world is a database and People on it.
type world struct {
	t  *testing.T
	db *store.DB
	p  *people.People
}

func newWorld(t *testing.T) *world {
	return &world{t: t, db: storetest.Open(t, storetest.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))), p: people.New(key)}
}

func (w *world) update(fn func(ctx context.Context, tx *store.Tx) error) {
	w.t.Helper()
	if err := w.db.Update(context.Background(), func(tx *store.Tx) error { return fn(context.Background(), tx) }); err != nil {
		w.t.Fatal(err)
	}
}

// person makes someone with the phone (E.164) as phone and WhatsApp
// contact, consent, a sign-in code, a session, a message and a raw chat
// item spelling the number, and a sign-in code sent to the phone before it
// had a person.
func (w *world) person(phone string) int64 {
	w.t.Helper()
	var id int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: "Sunita Oraon", Language: "hi"}); err != nil {
			return err
		}
		for _, c := range [][2]string{{store.ContactPhone, phone}, {store.ContactWAID, phone[1:]}} {
			if err := store.AddContact(ctx, tx, id, c[0], c[1]); err != nil {
				return err
			}
		}
		if err := store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: store.PurposeMembership, NoticeVersion: "v1",
			Language: "hi", Channel: "web", Evidence: "form"}); err != nil {
			return err
		}
		if err := store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: phone, CodeHash: "h", IPPrefix: "p", ExpiresAt: tx.Now.Add(time.Hour)}); err != nil {
			return err
		}
		if _, err := store.CreateSession(ctx, tx, id, "token", tx.Now.Add(time.Hour)); err != nil {
			return err
		}
		sms := store.OutboxMessage{Channel: "sms", Provider: "exotel", Class: store.ClassRequested, Template: "1107170000000000001",
			Body: "Sunita, welcome", To: phone, PersonID: id}
		code := sms
		code.PersonID, code.Body = 0, "Your code is 123456"
		if _, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{sms, code}); err != nil {
			return err
		}
		res, err := store.InsertInbox(ctx, tx, []store.InboxItem{{Provider: "whatsapp", Key: "m1", Kind: store.KindWhatsAppMessage,
			Payload: []byte(`{"from":"` + phone[1:] + `","text":"I am Sunita"}`)}})
		if err != nil {
			return err
		}
		return store.LinkInbox(ctx, tx, []store.InboxPerson{{InboxID: res[0].ID, PersonID: id}})
	})
	if left := storetest.NumberLeft(w.t, w.db, phone); len(left) == 0 {
		w.t.Fatal("the scan finds nothing before the erasure")
	}
	return id
}

// refused reports whether the phone is suppressed as refused under 18.
// (The suppression an erasure leaves is checked by store's TestEraseAll.)
func (w *world) refused(phone string) (refused bool) {
	w.t.Helper()
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		refused, err = store.IsRefusedUnder18(ctx, tx, store.SuppressionHash(key, phone))
		return err
	})
	return refused
}

func (w *world) audit(person int64) []string {
	w.t.Helper()
	entries, err := w.db.AuditLog(context.Background(), person)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Actor+" "+e.Action+" "+e.Detail)
	}
	return out
}

// Refusing an under-18 person keeps nothing of the number but its keyed
// hash, suppressed as refused; a phone nobody has, proven again later,
// has what signing in kept of it forgotten.
func TestRefuseUnder18LeavesOnlyTheHash(t *testing.T) {
	w := newWorld(t)
	const phone = "+919877700920"
	id := w.person(phone)
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.RefuseUnder18(ctx, tx, id) })
	for _, where := range storetest.NumberLeft(t, w.db, phone) {
		t.Errorf("after the refusal the number is held: %s", where)
	}
	if !w.refused(phone) {
		t.Error("the number is not suppressed as refused")
	}

	w.update(func(ctx context.Context, tx *store.Tx) error {
		if err := store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: phone, CodeHash: "h2", IPPrefix: "p", ExpiresAt: tx.Now.Add(time.Hour)}); err != nil {
			return err
		}
		_, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: "sms", Provider: "exotel", Class: store.ClassRequested,
			Template: "1107170000000000001", Body: "Your code is 654321", To: phone}})
		return err
	})
	var refused bool
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		refused, err = w.p.ForgetIfRefused(ctx, tx, phone)
		return err
	})
	if !refused {
		t.Error("the refused phone is not known as refused")
	}
	for _, where := range storetest.NumberLeft(t, w.db, phone) {
		t.Errorf("after signing in again the number is held: %s", where)
	}
}

// Erasure at the person's request keeps nothing of the number but its
// keyed hash, suppressed but not as refused (coming back is their new
// act), and is audited as theirs.
func TestEraseLeavesOnlyTheHash(t *testing.T) {
	w := newWorld(t)
	const phone = "+919877700921"
	id := w.person(phone)
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.Erase(ctx, tx, id, "on /me") })
	for _, where := range storetest.NumberLeft(t, w.db, phone) {
		t.Errorf("after the erasure the number is held: %s", where)
	}
	if w.refused(phone) {
		t.Error("an erased number is suppressed as refused")
	}
	if got := w.audit(id); len(got) != 1 || got[0] != "self erase on /me" {
		t.Errorf("audit log %q", got)
	}
	var again bool
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		again, err = w.p.ForgetIfRefused(ctx, tx, phone)
		return err
	})
	if again {
		t.Error("an erased phone counts as refused")
	}
}

// Consent given and withdrawn by the person is recorded and audited the
// same on every channel; withdrawing membership ends it, and the news
// consents with it; MY DATA reads it back with the phones.
func TestChangeConsentAndMyData(t *testing.T) {
	w := newWorld(t)
	id := w.person("+919877700922")
	w.update(func(ctx context.Context, tx *store.Tx) error {
		if err := w.p.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: id, Purpose: store.PurposeWhatsApp, Grant: true,
			NoticeVersion: "v2", Language: "en", Channel: "whatsapp", Evidence: "whatsapp:m2", Detail: "by START"}); err != nil {
			return err
		}
		return w.p.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: id, Purpose: store.PurposeMembership, Channel: "web",
			Detail: store.PurposeMembership})
	})
	want := []string{"self end_membership on web", "self consent_withdraw sms, with the membership",
		"self consent_withdraw whatsapp, with the membership", "self consent_withdraw membership", "self consent_grant by START"}
	if got := w.audit(id); !slices.Equal(got, want) {
		t.Errorf("audit log %q, want %q", got, want)
	}
	var d people.Data
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		d, err = w.p.MyData(ctx, tx, id, 10)
		return err
	})
	state := map[string]bool{}
	for _, c := range d.Consents {
		state[c.Purpose] = c.WithdrawnAt.IsZero()
	}
	if d.Person.Name != "Sunita Oraon" || len(d.Phones) != 1 || d.Phones[0] != "+919877700922" || len(d.Messages) != 1 ||
		len(state) != 2 || state[store.PurposeMembership] || state[store.PurposeWhatsApp] {
		t.Errorf("my data: %+v", d)
	}
}

// Membership is given by joining, never as a consent on its own: granting
// it through ChangeConsent is refused, and even with its transaction
// committed it leaves no audit entry behind (the old code ended the
// membership instead).
func TestMembershipIsNotGrantedAsAConsent(t *testing.T) {
	w := newWorld(t)
	id := w.person("+919877700923")
	before := w.audit(id)
	// The transaction commits whatever the refused call wrote, so the
	// checks below see it.
	w.update(func(ctx context.Context, tx *store.Tx) error {
		err := w.p.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: id, Purpose: store.PurposeMembership,
			Grant: true, NoticeVersion: "v2", Language: "en", Channel: "web", Evidence: "me", Detail: store.PurposeMembership})
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("granting membership as a consent: %v, want invalid", err)
		}
		return nil
	})
	if got := w.audit(id); !slices.Equal(got, before) {
		t.Errorf("audit log %q after the refusal, want %q", got, before)
	}
}

// A corrected name is kept with the keys search finds it by (both words'),
// in the same transaction; erasure leaves none.
func TestNameKeysFollowTheName(t *testing.T) {
	w := newWorld(t)
	id := w.person("+919877700922")
	w.update(func(ctx context.Context, tx *store.Tx) error {
		return w.p.CorrectDetails(ctx, tx, id, "सुनीता देवी", "hi", store.Area{})
	})
	if n := storetest.NameKeyCount(t, w.db, id); n != 2 {
		t.Errorf("%d name keys after the correction, want 2", n)
	}
	w.update(func(ctx context.Context, tx *store.Tx) error { return w.p.Erase(ctx, tx, id, "on /me") })
	if n := storetest.NameKeyCount(t, w.db, id); n != 0 {
		t.Errorf("%d name keys after the erasure", n)
	}
}
