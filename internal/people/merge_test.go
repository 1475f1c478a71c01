package people_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
)

// A chat folded into the missed caller whose join code it sent adds a
// merge entry naming the chat's id; the chat's older entries are not
// rewritten, and the caller's audit trail shows them.
func TestMergeIsAnAddedAuditEntry(t *testing.T) {
	w := newWorld(t)
	d := drivetest.Load(t, w.db, nil, `{"version":1,"slug":"jh","name":"JH","starts_on":"2026-11-01","ends_on":"2026-12-31",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[],"targets":[]}`)["jh"]
	link := links.New(key).Make(w.db.Now())
	var lead, chat int64
	w.update(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if lead, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, lead, store.ContactPhone, "+919876500010"); err != nil {
			return err
		}
		part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: lead, DriveID: d.ID, Channel: "missed_call", Day: "2026-11-20"})
		if err != nil {
			return err
		}
		if err := store.CreateJoinLink(ctx, tx, part, link.TokenHash, link.CodeHash, link.ExpiresAt); err != nil {
			return err
		}
		if chat, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, chat, store.ContactWAID, "919876500011"); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: people.ActorSelf, Action: "consent", PersonID: chat, Detail: "news granted"})
	})
	foldByCode(t, w, chat, link.Code, lead)
	entries, err := w.db.AuditLog(context.Background(), lead)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("the caller's audit trail: %+v, want the merge and the chat's entry", entries)
	}
	merge, old := entries[0], entries[1]
	if merge.Action != "merge" || merge.PersonID != lead || merge.MergedID != chat || merge.Actor != people.ActorSelf {
		t.Errorf("merge entry %+v", merge)
	}
	if old.Action != "consent" || old.PersonID != chat || old.Detail != "news granted" {
		t.Errorf("the chat's entry was rewritten or lost: %+v", old)
	}
}

// A chat whose person made a missed call to the same drive itself (so its
// participation there carries a join link of its own) and then sends
// another caller's code is folded into that caller: its participation in
// the drive goes, and so does what pointed at it. Its own link stops
// working; the caller's link is used.
func TestFoldAChatWhoseDuplicateParticipationHasALink(t *testing.T) {
	w := newWorld(t)
	d := drivetest.Load(t, w.db, nil, `{"version":1,"slug":"jh","name":"JH","starts_on":"2026-11-01","ends_on":"2026-12-31",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[],"targets":[]}`)["jh"]
	l := links.New(key)
	leadLink, chatLink := l.Make(w.db.Now()), l.Make(w.db.Now())
	var lead, chat int64
	caller := func(ctx context.Context, tx *store.Tx, phone string, link links.Link) (int64, error) {
		id, err := store.CreatePerson(ctx, tx, store.Person{})
		if err != nil {
			return 0, err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactPhone, phone); err != nil {
			return 0, err
		}
		part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: d.ID, Channel: "missed_call", Day: "2026-11-20"})
		if err != nil {
			return 0, err
		}
		return id, store.CreateJoinLink(ctx, tx, part, link.TokenHash, link.CodeHash, link.ExpiresAt)
	}
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		if lead, err = caller(ctx, tx, "+919876500020", leadLink); err != nil {
			return err
		}
		chat, err = caller(ctx, tx, "+919876500021", chatLink)
		return err
	})
	foldByCode(t, w, chat, leadLink.Code, lead)
	w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := store.UseJoinCode(ctx, tx, chatLink.CodeHash)
		if apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the folded chat's own code: %v, want not found", err)
		}
		return nil
	})
}

// foldByCode has chat send code, and fails unless the chat now belongs to
// the caller lead.
func foldByCode(t *testing.T, w *world, chat int64, code string, lead int64) {
	t.Helper()
	var into int64
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		into, err = people.New(key).UseJoinCode(ctx, tx, chat, code, "2026-11-20")
		return err
	})
	if into != lead {
		t.Fatalf("the chat went to %d, want the caller %d", into, lead)
	}
}
