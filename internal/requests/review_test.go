package requests_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/requests"
	"github.com/jodo-org/jodo/internal/store"
)

// admin is an admin of Jharkhand (people.identity).
func (w *world) admin() access.Actor {
	w.t.Helper()
	scope, err := w.db.ScopeAreas(context.Background(), []string{"JH"})
	if err != nil {
		w.t.Fatal(err)
	}
	return access.Actor{Label: "token:admin", Grants: []access.Grant{{Role: access.Admin, Areas: []string{"JH"}, Scope: scope}}}
}

// chatPerson is a member at Ranchi known only by their WhatsApp chat: no
// phone to send a code to.
func (w *world) chatPerson() int64 {
	w.t.Helper()
	ctx := context.Background()
	var id int64
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		parts, err := store.PersonParticipations(ctx, tx, w.person)
		if err != nil {
			return err
		}
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: "Birsa Munda", Language: "hi", AreaID: parts[0].AreaID}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactWAID, "919876522222"); err != nil {
			return err
		}
		_, _, err = store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: parts[0].DriveID,
			Channel: "whatsapp", AreaID: parts[0].AreaID, Day: "2026-02-22"})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// requests are the person's requests as stored, newest first.
func (w *world) requests(person int64) []store.PersonRequest {
	w.t.Helper()
	var out []store.PersonRequest
	err := w.db.View(context.Background(), func(tx *store.Tx) (err error) {
		out, err = store.PersonRequests(context.Background(), tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// myData is what MY DATA shows the person of their requests.
func (w *world) myData(person int64) []store.PersonRequest {
	w.t.Helper()
	var d people.Data
	err := w.db.View(context.Background(), func(tx *store.Tx) (err error) {
		d, err = people.New([]byte("requests test key, 32 bytes ok..")).MyData(context.Background(), tx, person, 0)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return d.Requests
}

// An identity check stands in for a code only for a person with no phone:
// for one with a phone even an admin's is refused (send a code), nothing
// is recorded or done; for a chat-only person it carries the request out.
func TestIdentityCheckOnlyWithoutAPhone(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.admin()
	check := requests.Request{PersonID: w.person, Kind: requests.KindErase, Channel: "in_person", IdentityCheck: "video_call",
		IdentityNote: "face seen on a video call"}
	if _, err := w.q.Record(ctx, admin, check); !errors.Is(err, requests.ErrHasPhone) {
		t.Errorf("an identity check for a person with a phone: %v, want ErrHasPhone", err)
	}
	if rs := w.requests(w.person); len(rs) != 0 || len(w.codes) != 0 {
		t.Errorf("after the refused check: %d requests, %d codes", len(rs), len(w.codes))
	}
	err := w.db.View(ctx, func(tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, w.person)
		if err == nil && !p.ErasedAt.IsZero() {
			t.Error("an identity check erased a person with a phone")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	chat := w.chatPerson()
	check.PersonID, check.Kind = chat, requests.WithdrawPrefix+store.PurposeWhatsApp
	if _, err := w.q.Record(ctx, admin, check); err != nil {
		t.Fatalf("an identity check for a chat-only person: %v", err)
	}
	if rs := w.requests(chat); len(rs) != 1 || rs[0].State != store.RequestDone {
		t.Errorf("the chat-only person's request: %+v", rs)
	}
}

// Six codes a day to one person at most, whatever the hours between.
func TestCodesPerDay(t *testing.T) {
	w := newWorld(t)
	for i := range requests.MaxCodesPerDay {
		if i > 0 && i%requests.MaxCodesPerHour == 0 {
			w.clock.Advance(time.Hour)
		}
		w.record(requests.KindErase)
	}
	w.clock.Advance(time.Hour)
	_, err := w.q.Record(context.Background(), w.coord, requests.Request{PersonID: w.person, Kind: requests.KindErase, Channel: "letter"})
	if !errors.Is(err, requests.ErrTooManyDay) || len(w.codes) != requests.MaxCodesPerDay {
		t.Errorf("a seventh code within the day: %v, %d codes sent", err, len(w.codes))
	}
	w.clock.Advance(22 * time.Hour)
	w.record(requests.KindErase)
}

// Staff recording requests for one person at once count the codes in
// turn: no more than the hour's budget goes out (PostgreSQL locks the
// person; SQLite's writer is single).
func TestCodesCountedInTurn(t *testing.T) {
	w := newWorld(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = w.q.Record(context.Background(), w.coord, requests.Request{PersonID: w.person, Kind: requests.KindErase, Channel: "letter"})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, requests.ErrTooMany):
			t.Errorf("a concurrent record: %v", err)
		}
	}
	if ok != requests.MaxCodesPerHour || len(w.codes) != requests.MaxCodesPerHour {
		t.Errorf("%d concurrent records went through, %d codes sent; want %d", ok, len(w.codes), requests.MaxCodesPerHour)
	}
}

// The code's SMS is told what it confirms.
func TestCodeSaysWhatItConfirms(t *testing.T) {
	w := newWorld(t)
	w.record(requests.WithdrawPrefix + store.PurposeSMS)
	w.record(requests.KindErase)
	if want := []string{requests.WithdrawPrefix + store.PurposeSMS, requests.KindErase}; !slices.Equal(w.kinds, want) {
		t.Errorf("the codes' SMS said %q, want %q", w.kinds, want)
	}
}

// A staff correction is listed in the person's MY DATA as a request
// carried out: the fields it changed, how it came, staff's role; a
// correction changing nothing lists nothing.
func TestCorrectionInMyData(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.q.Correct(ctx, w.coord, w.person, "Sunita Oraon", "JH-AC-063", "letter"); err != nil {
		t.Fatal(err)
	}
	if rs := w.myData(w.person); len(rs) != 0 {
		t.Errorf("a correction changing nothing listed: %+v", rs)
	}
	if err := w.q.Correct(ctx, w.coord, w.person, "Sunita Devi", "JH-AC-063", "pigeon"); !errors.Is(err, requests.ErrKind) {
		t.Errorf("a correction by an unknown channel: %v", err)
	}
	if err := w.q.Correct(ctx, w.coord, w.person, "Sunita Devi", "JH-AC-063", "phone_call"); err != nil {
		t.Fatal(err)
	}
	rs := w.myData(w.person)
	if len(rs) != 1 || rs[0].Kind != requests.KindCorrect+"name" || rs[0].Channel != "phone_call" || rs[0].ActorRole != "coordinator" ||
		rs[0].State != store.RequestDone {
		t.Errorf("MY DATA's requests after a correction: %+v", rs)
	}
	// A correction sends no code: the hour's codes are all still there.
	for range requests.MaxCodesPerHour {
		w.record(requests.KindErase)
	}
}

// A request whose code has run out shows as expired in MY DATA before
// anyone tries it.
func TestExpiredWithoutATry(t *testing.T) {
	w := newWorld(t)
	w.record(requests.KindErase)
	if rs := w.myData(w.person); len(rs) != 1 || rs[0].State != store.RequestCodeSent {
		t.Fatalf("a fresh request in MY DATA: %+v", rs)
	}
	w.clock.Advance(requests.CodeTTL)
	if rs := w.myData(w.person); len(rs) != 1 || rs[0].State != store.RequestExpired {
		t.Errorf("a request past its code's time in MY DATA: %+v", rs)
	}
}
