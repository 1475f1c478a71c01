package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
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
		got, err := f.db.WindowsOpen(ctx, store.ChannelWhatsApp, []store.WindowKey{k, {PersonID: p, Business: "other"}}, 24*time.Hour, f.db.Now())
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
			_, err := store.NoteInbound(ctx, tx, store.Conversation{PersonID: p, Channel: store.ChannelWhatsApp, Business: k.Business,
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
	if err := f.db.CloseWindow(ctx, store.ChannelWhatsApp, k); err != nil {
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
	var drive int64
	var number string
	err := f.db.View(ctx, func(tx *store.Tx) error {
		return rawsql.Tx(tx).QueryRowContext(ctx, "SELECT drive_id, business_number FROM conversations WHERE person_id = $1 AND business = $2",
			p, k.Business).Scan(&drive, &number)
	})
	if err != nil || drive != f.drive || number != "+917000000000" {
		t.Errorf("conversation of drive %d, number %q (%v)", drive, number, err)
	}
}

// A person's WhatsApp messages are claimed one at a time, in order: the
// next only once the one before is finished (not while it waits for a
// retry); an SMS is not held by another SMS, and other people are not
// held at all.
func TestClaimKeepsAPersonsWhatsAppInOrder(t *testing.T) {
	f := newDriveFixture(t)
	wa := func(to, body string) int64 {
		return f.enqueue(t, store.OutboxMessage{Channel: "whatsapp", Provider: "whatsapp", Class: store.ClassRequested,
			Body: body, To: to, From: "106540352242922"})
	}
	ids := func(ms []store.OutboxMessage) []int64 {
		var out []int64
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	first, second := wa("+919811111111", "first"), wa("+919811111111", "second")
	other := wa("+919822222222", "someone else")
	sms1, sms2 := f.enqueue(t, smsTo("+919811111111")), f.enqueue(t, smsTo("+919811111111"))
	if got := ids(f.claim(t, "n1", 10)); !slices.Equal(got, []int64{first, other, sms1, sms2}) {
		t.Fatalf("claimed %v, want %d (not %d behind it), someone else's %d and both SMS", got, first, second, other)
	}
	if got := ids(f.claim(t, "n2", 10)); len(got) != 0 {
		t.Fatalf("while the first is sending another node claimed %v", got)
	}
	f.finish(t, first, "n1", store.SendResult{Outcome: store.SendRetry, RetryAfter: time.Minute})
	if got := ids(f.claim(t, "n2", 10)); len(got) != 0 {
		t.Fatalf("while the first waits for its retry, claimed %v", got)
	}
	f.clock.Set(f.db.Now().Add(time.Minute))
	if got := ids(f.claim(t, "n1", 10)); !slices.Equal(got, []int64{first}) {
		t.Fatalf("after the retry's wait claimed %v, want the first again", got)
	}
	f.finish(t, first, "n1", store.SendResult{Outcome: store.SendSent, ProviderID: "wamid.1"})
	if got := ids(f.claim(t, "n1", 10)); !slices.Equal(got, []int64{second}) {
		t.Errorf("after the first was sent claimed %v, want the second", got)
	}
}

// A conversation waits from its first unanswered message until a worker
// releases it having answered everything: a message noted after the
// lease — also one whose transaction holds the conversation while the
// release runs — keeps it waiting for the next lease.
func TestConversationWaitsUntilAnswered(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	p := f.person(t, "", "+919812345678")
	note := func(tx *store.Tx) error {
		_, err := store.NoteInbound(ctx, tx, store.Conversation{PersonID: p, Channel: store.ChannelWhatsApp, Business: "pnid",
			DriveID: f.drive, LastInboundAt: tx.Now})
		return err
	}
	waiting := func() bool {
		t.Helper()
		w, err := f.db.ConversationsWaiting(ctx, f.db.Now())
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	lease := func() store.ConversationWork {
		t.Helper()
		got, err := f.db.LeaseConversations(ctx, "w", 10, time.Minute)
		if err != nil || len(got) != 1 {
			t.Fatalf("leased %v (%v), want the one conversation", got, err)
		}
		return got[0]
	}
	release := func(c store.ConversationWork) {
		t.Helper()
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			held, err := store.ReleaseConversation(ctx, tx, "w", store.Release{ID: c.ID, State: "{}", Seq: c.Seq})
			if err == nil && !held {
				t.Error("the lease was not held")
			}
			return err
		})
	}
	if waiting() {
		t.Fatal("waiting before anyone wrote")
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error { return note(tx) })
	c := lease()
	if waiting() {
		t.Error("a leased conversation is offered again")
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error { return note(tx) }) // came in while it was answered
	release(c)
	if !waiting() {
		t.Fatal("released as answered though a message came in after the lease")
	}
	c = lease()
	noted, commit, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		err := f.db.Update(ctx, func(tx *store.Tx) error {
			if err := note(tx); err != nil {
				return err
			}
			close(noted)
			<-commit
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}()
	<-noted
	time.AfterFunc(100*time.Millisecond, func() { close(commit) }) // the release below waits for it
	release(c)
	<-done
	if !waiting() {
		t.Fatal("released as answered though a message's transaction held the conversation during the release")
	}
	release(lease())
	if waiting() {
		t.Error("still waiting after everything was answered")
	}
}

// Chat contexts read together are each person's in the drive asked for:
// registered in one drive is not registered in another, consent is the
// A conversation whose lease ran out goes to another worker, and the first
// can no longer release it: what it did must be undone.
func TestExpiredConversationLeaseIsTakenOver(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	p := f.person(t, "", "+919812345678")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := store.NoteInbound(ctx, tx, store.Conversation{PersonID: p, Channel: store.ChannelWhatsApp, Business: "pnid",
			DriveID: f.drive, LastInboundAt: tx.Now})
		return err
	})
	lease := func(owner string) []store.ConversationWork {
		t.Helper()
		got, err := f.db.LeaseConversations(ctx, owner, 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	release := func(owner string, c store.ConversationWork) (held bool) {
		t.Helper()
		f.update(t, func(ctx context.Context, tx *store.Tx) (err error) {
			held, err = store.ReleaseConversation(ctx, tx, owner, store.Release{ID: c.ID, State: "{}", Seq: c.Seq})
			return err
		})
		return held
	}
	first := lease("a")
	if len(first) != 1 {
		t.Fatalf("lease a: %v", first)
	}
	if again := lease("b"); len(again) != 0 {
		t.Fatalf("b leased a conversation a still holds")
	}
	f.clock.Set(f.db.Now().Add(2 * time.Minute))
	second := lease("b")
	if len(second) != 1 || second[0].ID != first[0].ID {
		t.Fatalf("b after expiry: %v", second)
	}
	if release("a", first[0]) {
		t.Fatalf("a released a conversation it no longer holds")
	}
	if !release("b", second[0]) {
		t.Fatalf("b could not release its conversation")
	}
}

// person's, and someone who does not exist is missing.
func TestChatContextsTogether(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	var other int64
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return rawsql.Tx(tx).QueryRowContext(ctx, `INSERT INTO drives (slug, name, starts_on, ends_on, timezone, root_area_id, version, file, created_at, updated_at)
			VALUES ('jh-other', 'Other', '2026-02-12', '2026-03-12', 'Asia/Kolkata', $1, 1, '{}', $2, $2) RETURNING id`, f.state, tx.Now.UnixMilli()).Scan(&other)
	})
	member, lead := f.person(t, "Member", "+919812300001"), f.person(t, "Lead", "+919812300002")
	memberPart, leadPart := f.lead(t, member), f.lead(t, lead)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if _, err := store.ReachStage(ctx, tx, memberPart, store.StageRegistered, f.ac, "web", fixtureDay); err != nil {
			return err
		}
		return store.GrantConsent(ctx, tx, store.Consent{PersonID: lead, Purpose: store.PurposeWhatsApp, NoticeVersion: "v1", Language: "hi", Channel: "whatsapp"})
	})
	keys := []store.ChatKey{{member, f.drive}, {member, other}, {member, 0}, {lead, f.drive}, {999999, f.drive}}
	var got map[store.ChatKey]store.ChatContext
	f.update(t, func(ctx context.Context, tx *store.Tx) (err error) {
		got, err = store.GetChatContexts(ctx, tx, keys)
		return err
	})
	type view struct {
		name       string
		part       int64
		registered bool
		whatsapp   store.ConsentStatus
	}
	want := map[store.ChatKey]view{
		keys[0]: {"Member", memberPart, true, store.ConsentNever},
		keys[1]: {"Member", 0, false, store.ConsentNever},
		keys[2]: {"Member", 0, false, store.ConsentNever},
		keys[3]: {"Lead", leadPart, false, store.ConsentGranted},
	}
	if len(got) != len(want) {
		t.Errorf("%d contexts, want %d (none for a person who does not exist)", len(got), len(want))
	}
	for k, w := range want {
		c := got[k]
		if g := (view{c.Person.Name, c.ParticipationID, c.Registered, c.WhatsApp}); g != w {
			t.Errorf("%+v: %+v, want %+v", k, g, w)
		}
		one, err := func() (c store.ChatContext, err error) {
			err = f.db.View(ctx, func(tx *store.Tx) error { c, err = store.GetChatContext(ctx, tx, k.PersonID, k.DriveID); return err })
			return c, err
		}()
		if err != nil || one.ParticipationID != c.ParticipationID || one.Registered != c.Registered || one.WhatsApp != c.WhatsApp {
			t.Errorf("%+v read alone: %+v (%v), together: %+v", k, one, err, c)
		}
	}
}
