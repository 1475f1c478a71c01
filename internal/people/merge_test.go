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
	w, d, leadLink, chatLink := codeWorld(t)
	var lead, chat int64
	w.update(func(ctx context.Context, tx *store.Tx) (err error) {
		if lead, _, err = missedCaller(ctx, tx, d.ID, "+919876500020", leadLink); err != nil {
			return err
		}
		chat, _, err = missedCaller(ctx, tx, d.ID, "+919876500021", chatLink)
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

// A chat whose person holds more than a chat made is not folded into the
// caller whose code it sends, even without a name, a membership number or
// a registration: a staff role stays with its holder, and what marks a
// registration that was ended stays with its participation. Folding
// either would fail on the rows that point at the person, or move what is
// not the caller's. The chat stays its own person (the code is used up,
// as for a chat with a registration).
func TestNoFoldOfAChatThatHoldsMore(t *testing.T) {
	for name, hold := range map[string]func(ctx context.Context, tx *store.Tx, person, part, drive int64) error{
		"a staff role": func(ctx context.Context, tx *store.Tx, person, _, _ int64) error {
			_, err := store.GrantRole(ctx, tx, person, "viewer", []string{"JH"}, "test")
			return err
		},
		"an ended registration's mark": func(ctx context.Context, tx *store.Tx, _, part, drive int64) error {
			return store.MarkRegistration(ctx, tx, store.RegistrationMark{ParticipationID: part, DriveID: drive, Network: "203.0.113.0/24"})
		},
	} {
		t.Run(name, func(t *testing.T) {
			w, d, leadLink, chatLink := codeWorld(t)
			var lead, chat int64
			w.update(func(ctx context.Context, tx *store.Tx) (err error) {
				if lead, _, err = missedCaller(ctx, tx, d.ID, "+919876500030", leadLink); err != nil {
					return err
				}
				var part int64
				if chat, part, err = missedCaller(ctx, tx, d.ID, "+919876500031", chatLink); err != nil {
					return err
				}
				return hold(ctx, tx, chat, part, d.ID)
			})
			var got int64
			w.update(func(ctx context.Context, tx *store.Tx) (err error) {
				got, err = people.New(key).UseJoinCode(ctx, tx, chat, leadLink.Code, "2026-11-20")
				return err
			})
			if got != chat {
				t.Fatalf("the chat went to %d, want it kept as %d (the caller is %d)", got, chat, lead)
			}
			w.update(func(ctx context.Context, tx *store.Tx) error {
				if _, err := store.GetPerson(ctx, tx, chat); err != nil {
					t.Errorf("the chat's person after the code: %v", err)
				}
				return nil
			})
		})
	}
}

// codeWorld is a world with a drive and two join links for missed callers
// of it.
func codeWorld(t *testing.T) (*world, store.Drive, links.Link, links.Link) {
	w := newWorld(t)
	d := drivetest.Load(t, w.db, nil, `{"version":1,"slug":"jh","name":"JH","starts_on":"2026-11-01","ends_on":"2026-12-31",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[],"targets":[]}`)["jh"]
	l := links.New(key)
	return w, d, l.Make(w.db.Now()), l.Make(w.db.Now())
}

// missedCaller makes a person with phone who missed-called drive, and
// returns them and their participation, which carries link.
func missedCaller(ctx context.Context, tx *store.Tx, drive int64, phone string, link links.Link) (person, part int64, err error) {
	if person, err = store.CreatePerson(ctx, tx, store.Person{}); err != nil {
		return 0, 0, err
	}
	if err := store.AddContact(ctx, tx, person, store.ContactPhone, phone); err != nil {
		return 0, 0, err
	}
	if part, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person, DriveID: drive, Channel: "missed_call", Day: "2026-11-20"}); err != nil {
		return 0, 0, err
	}
	return person, part, store.CreateJoinLink(ctx, tx, part, link.TokenHash, link.CodeHash, link.ExpiresAt)
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
