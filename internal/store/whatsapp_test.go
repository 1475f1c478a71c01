package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Two messages from one new sender stored at once (on PostgreSQL, in
// concurrent transactions) make one person, not two.
func TestRecordWhatsAppConcurrentSenderIsOnePerson(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			m := store.WhatsAppMessage{Inbox: store.InboxItem{Provider: "whatsapp", Key: fmt.Sprint("wamid-", i), Kind: store.KindWhatsAppMessage,
				Payload: []byte("{}")}, WAID: "919812300009", Phone: "+919812300009"}
			err := db.Update(ctx, func(tx *store.Tx) error {
				_, err := store.RecordWhatsApp(ctx, tx, []store.WhatsAppMessage{m}, nil)
				return err
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var people, contacts int
	err := db.View(ctx, func(tx *store.Tx) error {
		if err := rawsql.Tx(tx).QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&people); err != nil {
			return err
		}
		return rawsql.Tx(tx).QueryRowContext(ctx, "SELECT COUNT(*) FROM contact_points").Scan(&contacts)
	})
	if err != nil || people != 1 || contacts != 2 {
		t.Fatalf("%d people and %d contact points for one sender (%v), want 1 and 2", people, contacts, err)
	}
}

// A batch mixing known senders (stored set-based), a new one, repeats
// within the batch and of an earlier batch, and a number no drive owns:
// each message stored once, linked to its person and conversation in
// receipt order, the window at the latest message, one lead per person.
func TestRecordWhatsAppBatch(t *testing.T) {
	ctx := context.Background()
	f := newDriveFixture(t)
	msg := func(key, waid string, drive int64, minutes int) store.WhatsAppMessage {
		return store.WhatsAppMessage{Inbox: store.InboxItem{Provider: "whatsapp", Key: key, Kind: store.KindWhatsAppMessage, Payload: []byte("{}")},
			WAID: waid, Phone: "+" + waid, Drive: drive, Day: fixtureDay, Business: "pnid-1", BusinessNumber: "+911140000000",
			At: fixtureStart.Add(time.Duration(minutes-60) * time.Minute)}
	}
	const a, b, c = "919812300001", "919812300002", "919812300003"
	record := func(msgs ...store.WhatsAppMessage) []store.WhatsAppResult {
		t.Helper()
		return f.recordWhatsApp(t, msgs...)
	}
	first := record(msg("a1", a, f.drive, 1), msg("c1", c, 0, 1))
	if !first[0].NewPerson || !first[0].NewLead || first[1].Note == "" || first[1].NewLead {
		t.Fatalf("first batch: %+v", first)
	}
	personA := first[0].PersonID
	got := record(msg("a2", a, f.drive, 5), msg("a3", a, f.drive, 3), msg("a2", a, f.drive, 5), msg("b1", b, f.drive, 2),
		msg("c2", c, 0, 2), msg("a1", a, f.drive, 1))
	want := []struct {
		dup, newPerson, newLead, note bool
	}{{}, {}, {dup: true}, {newPerson: true, newLead: true}, {note: true}, {dup: true}}
	for i, w := range want {
		g := got[i]
		if g.Duplicate != w.dup || g.NewPerson != w.newPerson || g.NewLead != w.newLead || (g.Note != "") != w.note {
			t.Errorf("message %d: %+v, want %+v", i, g, w)
		}
	}
	if got[0].PersonID != personA || got[1].PersonID != personA {
		t.Errorf("known sender's messages went to %d and %d, want %d", got[0].PersonID, got[1].PersonID, personA)
	}
	var keys []string
	var convs = map[int64]bool{}
	var leads, lastInbound int64
	err := f.db.View(ctx, func(tx *store.Tx) error {
		rows, err := rawsql.Tx(tx).QueryContext(ctx, `SELECT provider_key, COALESCE(conversation_id, 0) FROM inbox WHERE person_id = $1 ORDER BY id`, personA)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			var conv int64
			if err := rows.Scan(&k, &conv); err != nil {
				return err
			}
			keys, convs[conv] = append(keys, k), true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if err := rawsql.Tx(tx).QueryRowContext(ctx, "SELECT last_inbound_at FROM conversations WHERE person_id = $1", personA).Scan(&lastInbound); err != nil {
			return err
		}
		return rawsql.Tx(tx).QueryRowContext(ctx, "SELECT COUNT(*) FROM participations WHERE drive_id = $1", f.drive).Scan(&leads)
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(keys) != "[a1 a2 a3]" || len(convs) != 1 || convs[0] {
		t.Errorf("A's inbox rows %v in conversations %v, want [a1 a2 a3] in one", keys, convs)
	}
	if at := fixtureStart.Add(-55 * time.Minute).UnixMilli(); lastInbound != at {
		t.Errorf("A's last inbound at %d, want the latest message's %d", lastInbound, at)
	}
	if leads != 2 || f.own(t, f.state, store.StageLead.Metric()) != 2 {
		t.Errorf("%d participations, %d leads counted; want 2 (A and B; C wrote to no drive)", leads, f.own(t, f.state, store.StageLead.Metric()))
	}
}

// A number refused as under 18 makes no person when it writes; a number
// erased at its owner's request (another suppression) writes as a
// newcomer, a deliberate new act.
func TestRecordWhatsAppRefusedMinor(t *testing.T) {
	f := newDriveFixture(t)
	key := []byte("k")
	msg := func(key, waid string) store.WhatsAppMessage {
		return store.WhatsAppMessage{Inbox: store.InboxItem{Provider: "whatsapp", Key: key, Kind: store.KindWhatsAppMessage, Payload: []byte("{}")},
			WAID: waid, Phone: "+" + waid, Drive: f.drive, Day: fixtureDay, Business: "pnid-1", At: fixtureStart}
	}
	minor, erased := msg("m1", "919812300007"), msg("e1", "919812300008")
	minor.Hashed, erased.Hashed = store.SuppressionHash(key, minor.Phone), store.SuppressionHash(key, erased.Phone)
	minor.Inbox.Payload = []byte(`{"from":"919812300007"}`)
	minor.ErasedID = store.ErasedID(store.KeyedHash(key), "whatsapp", "m1")
	var got []store.WhatsAppResult
	f.update(t, func(ctx context.Context, tx *store.Tx) (err error) {
		if err := store.AddSuppression(ctx, tx, minor.Hashed, store.SuppressUnder18); err != nil {
			return err
		}
		if err := store.AddSuppression(ctx, tx, erased.Hashed, store.SuppressErased); err != nil {
			return err
		}
		got, err = store.RecordWhatsApp(ctx, tx, []store.WhatsAppMessage{minor, erased}, nil)
		return err
	})
	if got[0].Note != store.NoteSuppressed || got[0].PersonID != 0 || got[0].NewLead {
		t.Errorf("refused minor: %+v, want no person, noted suppressed", got[0])
	}
	if got[1].Note != "" || !got[1].NewPerson || !got[1].NewLead {
		t.Errorf("erased number writing again: %+v, want a new person and lead", got[1])
	}
	// Only keyed hashes of the minor's number are kept: not the payload,
	// not the message id (a wamid encodes the number); a repeat is still
	// a duplicate.
	for _, where := range storetest.NumberLeft(t, f.db, minor.Phone) {
		t.Errorf("the refused minor's number is held: %s", where)
	}
	var held int
	f.update(t, func(ctx context.Context, tx *store.Tx) (err error) {
		if err := rawsql.Tx(tx).QueryRowContext(ctx, "SELECT COUNT(*) FROM inbox WHERE provider_key = 'm1'").Scan(&held); err != nil {
			return err
		}
		got, err = store.RecordWhatsApp(ctx, tx, []store.WhatsAppMessage{minor}, nil)
		return err
	})
	if held != 0 || !got[0].Duplicate {
		t.Errorf("the minor's message id kept in clear (%d rows), or a repeat stored again (%+v)", held, got[0])
	}
}

// New senders in one batch are stored with a fixed number of statements
// however many there are, and each ends as one person with their contact
// points, conversation, lead and linked message; the few that need a
// decision of their own in the same batch end as before: a sender who
// writes twice is one person, a missed caller's phone writing is that
// caller, a refused minor makes no one, a number no drive owns makes no
// lead.
func TestRecordWhatsAppNewcomersInOneBatch(t *testing.T) {
	ctx := context.Background()
	f := newDriveFixture(t)
	secret := []byte("k")
	msg := func(key, waid string, drive int64) store.WhatsAppMessage {
		return store.WhatsAppMessage{Inbox: store.InboxItem{Provider: "whatsapp", Key: key, Kind: store.KindWhatsAppMessage, Payload: []byte("{}")},
			WAID: waid, Phone: "+" + waid, Hashed: store.SuppressionHash(secret, "+"+waid), Drive: drive, Day: fixtureDay,
			Business: "pnid-1", BusinessNumber: "+911140000000", At: fixtureStart, ErasedID: store.ErasedID(store.KeyedHash(secret), "whatsapp", key)}
	}
	newcomers := func(prefix string, n int) []store.WhatsAppMessage {
		var ms []store.WhatsAppMessage
		for i := range n {
			ms = append(ms, msg(fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("91981%s%05d", prefix[:1], i), f.drive))
		}
		return ms
	}
	// The statements of a batch of 3 new senders and of one of 40.
	counted := func(msgs []store.WhatsAppMessage) (n int) {
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			out, err := store.RecordWhatsApp(ctx, tx, msgs, nil)
			for i, r := range out {
				if !r.NewPerson || !r.NewLead || r.PersonID == 0 {
					t.Errorf("new sender %d: %+v, want a new person and lead", i, r)
				}
			}
			n = store.StatementsForTest(tx)
			return err
		})
		return n
	}
	if few, many := counted(newcomers("2", 3)), counted(newcomers("3", 40)); many != few {
		t.Errorf("%d statements for 40 new senders, %d for 3: want the same", many, few)
	}

	var caller int64
	minor := msg("minor", "919812399997", f.drive)
	f.update(t, func(ctx context.Context, tx *store.Tx) (err error) {
		if caller, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, caller, store.ContactPhone, "+919812399999"); err != nil {
			return err
		}
		return store.AddSuppression(ctx, tx, minor.Hashed, store.SuppressUnder18)
	})
	batch := append(newcomers("4", 5), msg("twice-1", "919812399998", f.drive), msg("caller", "919812399999", f.drive),
		minor, msg("twice-2", "919812399998", f.drive), msg("nodrive", "919812399996", 0))
	var got []store.WhatsAppResult
	f.update(t, func(ctx context.Context, tx *store.Tx) (err error) {
		got, err = store.RecordWhatsApp(ctx, tx, batch, nil)
		return err
	})
	people := map[int64]bool{}
	for i, r := range got[:5] {
		if !r.NewPerson || !r.NewLead || people[r.PersonID] {
			t.Errorf("new sender %d: %+v, want a person of their own and a lead", i, r)
		}
		people[r.PersonID] = true
	}
	twice, again, byCaller, refused, nodrive := got[5], got[8], got[6], got[7], got[9]
	if !twice.NewPerson || again.NewPerson || again.PersonID != twice.PersonID || people[twice.PersonID] {
		t.Errorf("one sender writing twice: %+v then %+v, want one new person", twice, again)
	}
	if byCaller.PersonID != caller || byCaller.NewPerson || !byCaller.NewLead {
		t.Errorf("a missed caller writing: %+v, want person %d, not new, a new lead", byCaller, caller)
	}
	if refused.PersonID != 0 || refused.Note != store.NoteSuppressed {
		t.Errorf("refused minor: %+v, want no person", refused)
	}
	if !nodrive.NewPerson || nodrive.NewLead || nodrive.Note == "" {
		t.Errorf("a number no drive owns: %+v, want a person, no lead, a note", nodrive)
	}
	// Every stored message but the minor's (kept under its hashed id) is
	// linked to its person and their one conversation, and every new person holds their wa_id and phone.
	var unlinked, contacts, convs int
	var which sql.NullString
	err := f.db.View(ctx, func(tx *store.Tx) error {
		q := rawsql.Tx(tx)
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*), MAX(i.provider_key) FROM inbox i WHERE i.provider_key <> $1 AND NOT EXISTS
			(SELECT 1 FROM conversations c WHERE c.id = i.conversation_id AND c.person_id = i.person_id)`, minor.ErasedID).Scan(&unlinked, &which); err != nil {
			return err
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM contact_points`).Scan(&contacts); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations`).Scan(&convs)
	})
	if err != nil {
		t.Fatal(err)
	}
	// 3 + 40 + 5 new senders, the twice-writer and the no-drive one: a
	// wa_id and a phone each; the caller: their phone and now a wa_id.
	if wantPeople := 3 + 40 + 5 + 2; unlinked != 0 || contacts != 2*wantPeople+2 || convs != wantPeople+1 {
		t.Errorf("%d messages unlinked (%s), %d contact points, %d conversations; want 0, %d, %d",
			unlinked, which.String, contacts, convs, 2*wantPeople+2, wantPeople+1)
	}
}

// A known sender writing to another drive's number becomes its lead once,
// by the first of their messages there that is stored now (not a repeat
// within the batch), counted on that message's day at the drive's root;
// their messages to a drive they are in already make no lead.
func TestRecordWhatsAppKnownSenderJoinsAnotherDrive(t *testing.T) {
	f := newDriveFixture(t)
	other := f.acDrive(t)
	const waid = "919812300001"
	msg := func(key string, drive int64, day string) store.WhatsAppMessage {
		return store.WhatsAppMessage{Inbox: store.InboxItem{Provider: "whatsapp", Key: key, Kind: store.KindWhatsAppMessage, Payload: []byte("{}")},
			WAID: waid, Phone: "+" + waid, Drive: drive, Day: day, Business: "pnid-1", BusinessNumber: "+911140000000", At: fixtureStart}
	}
	record := func(msgs ...store.WhatsAppMessage) []store.WhatsAppResult {
		t.Helper()
		return f.recordWhatsApp(t, msgs...)
	}
	if first := record(msg("m1", f.drive, fixtureDay)); !first[0].NewLead {
		t.Fatalf("first message: %+v", first)
	}
	got := record(msg("m2", f.drive, fixtureDay), msg("o1", other, "2026-02-13"), msg("o1", other, "2026-02-13"), msg("o2", other, "2026-02-14"))
	var leads, dups []int
	for i, r := range got {
		if r.NewLead {
			leads = append(leads, i)
		}
		if r.Duplicate {
			dups = append(dups, i)
		}
	}
	if fmt.Sprint(leads, dups) != "[1] [2]" || got[1].PersonID != got[0].PersonID || got[1].NewPerson {
		t.Errorf("results %+v: want the second message alone a new lead, the third a duplicate, one person", got)
	}
	want := map[string]int64{
		fmt.Sprintf("counters %d leads %s whatsapp", f.state, fixtureDay):       1,
		fmt.Sprintf("counter_totals %d leads %s whatsapp", f.state, fixtureDay): 1,
		fmt.Sprintf("counters %d leads 2026-02-13 whatsapp", f.ac):              1,
		fmt.Sprintf("counter_totals %d leads 2026-02-13 whatsapp", f.ac):        1,
		fmt.Sprintf("counter_totals %d leads 2026-02-13 whatsapp", f.state):     1,
	}
	if got := storetest.CounterKeys(t, f.db); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counters %v, want %v", got, want)
	}
}
