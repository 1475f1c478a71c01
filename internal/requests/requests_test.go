package requests_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/requests"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const jhDrive = `{"version": 1, "slug": "jh", "name": "Jharkhand drive", "starts_on": "2026-02-12", "ends_on": "2026-03-13",
  "timezone": "Asia/Kolkata", "root_area": "JH", "channels": [{"kind": "missed_call", "number": "1800 000 0000"}], "targets": []}`

// world is a database with the Jharkhand drive, a member at Ranchi
// (JH-AC-063) and Requests whose codes are kept, not sent.
type world struct {
	t      *testing.T
	db     *store.DB
	clock  *storetest.Clock
	q      *requests.Requests
	mu     sync.Mutex
	codes  []string
	kinds  []string // the kind each code's SMS said it confirms
	person int64
	coord  access.Actor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, clock: storetest.NewClock(time.Date(2026, 2, 22, 6, 30, 0, 0, time.UTC))}
	w.db = storetest.Open(t, w.clock)
	drives := drivetest.Load(t, w.db, nil, jhDrive)
	key := []byte("requests test key, 32 bytes ok..")
	dir, err := directory.New(w.db, directory.Config{SecretKey: key})
	if err != nil {
		t.Fatal(err)
	}
	w.q = requests.New(w.db, dir, key, func(_ context.Context, _ *store.Tx, _, code, kind, _ string) error {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.codes, w.kinds = append(w.codes, code), append(w.kinds, kind)
		return nil
	})
	area := storetest.AreaIDs(t, w.db, "JH-AC-063")["JH-AC-063"]
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		if w.person, err = store.CreatePerson(ctx, tx, store.Person{Name: "Sunita Oraon", Language: "hi", AreaID: area}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, w.person, store.ContactPhone, "+919876511111"); err != nil {
			return err
		}
		_, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: w.person, DriveID: drives["jh"].ID,
			Channel: "web", AreaID: area, Day: "2026-02-22"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	scope, err := w.db.ScopeAreas(ctx, []string{"JH-AC-063"})
	if err != nil {
		t.Fatal(err)
	}
	w.coord = access.Actor{Label: "token:coord", Grants: []access.Grant{{Role: access.Coordinator, Areas: []string{"JH-AC-063"}, Scope: scope}}}
	return w
}

func (w *world) record(kind string) int64 {
	w.t.Helper()
	id, err := w.q.Record(context.Background(), w.coord, requests.Request{PersonID: w.person, Kind: kind, Channel: "phone_call"})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// A code confirms only its own request, and only for 30 minutes: the
// second request's code read back for the first is wrong; after 30
// minutes the right code is refused as expired and nothing is done.
func TestCodeIsTheRequestsAndExpires(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	first := w.record(requests.KindErase)
	second := w.record(requests.WithdrawPrefix + store.PurposeSMS)
	if len(w.codes) != 2 {
		t.Fatalf("%d codes sent, want 2", len(w.codes))
	}
	if _, err := w.q.Confirm(ctx, w.coord, w.person, first, w.codes[1]); !errors.Is(err, requests.ErrCodeWrong) && w.codes[0] != w.codes[1] {
		t.Errorf("the second request's code for the first: %v, want wrong", err)
	}
	w.clock.Advance(requests.CodeTTL)
	if _, err := w.q.Confirm(ctx, w.coord, w.person, first, w.codes[0]); !errors.Is(err, requests.ErrCodeExpired) {
		t.Errorf("the code after 30 minutes: %v, want expired", err)
	}
	err := w.db.View(ctx, func(tx *store.Tx) error {
		p, err := store.GetPerson(ctx, tx, w.person)
		if err == nil && !p.ErasedAt.IsZero() {
			t.Error("an expired code erased the person")
		}
		rs, err2 := store.PersonRequests(ctx, tx, w.person)
		if err2 == nil && (rs[1].State != store.RequestExpired || rs[1].CodeHash != "") {
			t.Errorf("the first request after its code expired: %+v", rs[1])
		}
		return errors.Join(err, err2)
	})
	if err != nil {
		t.Fatal(err)
	}
	if kind, err := w.q.Confirm(ctx, w.coord, w.person, second, w.codes[0]+"x"); err == nil || kind != requests.WithdrawPrefix+store.PurposeSMS {
		t.Errorf("a malformed code: %q, %v", kind, err)
	}
}

// Three codes an hour to one person at most: a fourth request is refused
// until the hour has passed.
func TestCodesPerHour(t *testing.T) {
	w := newWorld(t)
	for range requests.MaxCodesPerHour {
		w.record(requests.KindErase)
	}
	_, err := w.q.Record(context.Background(), w.coord, requests.Request{PersonID: w.person, Kind: requests.KindErase, Channel: "letter"})
	if !errors.Is(err, requests.ErrTooMany) || len(w.codes) != requests.MaxCodesPerHour {
		t.Errorf("a fourth code within the hour: %v, %d codes sent", err, len(w.codes))
	}
	w.clock.Advance(time.Hour)
	w.record(requests.KindErase)
}
