package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/jobs"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

type echoArgs struct{ N int }

func (echoArgs) Kind() string { return "test_echo" }

type echoWorker struct {
	river.WorkerDefaults[echoArgs]
	got chan int
}

func (w *echoWorker) Work(ctx context.Context, job *river.Job[echoArgs]) error {
	w.got <- job.Args.N
	return nil
}

func openWithRiver(t *testing.T, clock store.Clock) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.URL(t), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, db.MigrateRiver); err != nil {
		t.Fatal(err)
	}
	return db
}

// A job inserted in a store transaction (River's InsertTx on its *sql.Tx) runs
// only if that transaction commits, on both engines (on SQLite through the
// one writer connection). Jodo inserts no jobs yet, only periodic ones: this
// is what one inserted by Jodo's code would need.
func TestJobsFollowTheirTransaction(t *testing.T) {
	ctx := context.Background()
	db := openWithRiver(t, nil)
	w := &echoWorker{got: make(chan int, 4)}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	r, err := jobs.New(db, jobs.Config{Workers: workers, Poll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop(ctx)

	inserter := storetest.NewRiverInserter(t, db)
	enqueue := func(tx *store.Tx, n int) error { return inserter.Insert(ctx, tx, echoArgs{N: n}) }
	rollback := errors.New("roll back")
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := enqueue(tx, 1); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error { return enqueue(tx, 2) })
	if err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-w.got:
		if n != 2 {
			t.Fatalf("ran job %d; the rolled-back job must never run", n)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("committed job did not run")
	}
	select {
	case n := <-w.got:
		t.Fatalf("unexpected second job %d", n)
	case <-time.After(300 * time.Millisecond):
	}
}

// runStandard runs the standard workers and periodic jobs on db until the
// test ends.
func runStandard(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	workers, periodic := jobs.Standard(db)
	r, err := jobs.New(db, jobs.Config{Workers: workers, Periodic: periodic, Poll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop(ctx) })
}

// The periodic purges remove processed inbox items, sign-in codes and sent
// messages past their retention, and nothing else.
func TestPurgeInboxKeepsRecentAndUnprocessed(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	db := openWithRiver(t, clock)
	insert := func(key string, processed bool) {
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := store.InsertInbox(ctx, tx, []store.InboxItem{{Provider: "t", Key: key, Kind: "k", Payload: []byte("+919800000000"),
				Processed: processed}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	code := func(hash string) {
		err := db.Update(ctx, func(tx *store.Tx) error {
			return store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: "+919800000000", CodeHash: hash, IPPrefix: "10.0.0.1/32",
				ExpiresAt: tx.Now.Add(10 * time.Minute)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	send := func() int64 {
		var id int64
		err := db.Update(ctx, func(tx *store.Tx) error {
			ids, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: "sms", Provider: "t", Class: store.ClassRequested,
				Body: "hello", To: "+919800000000"}})
			if err == nil {
				id = ids[0]
			}
			return err
		})
		if err != nil {
			return id
		}
		if _, err := db.ClaimMessages(ctx, "s", 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FinishMessages(ctx, "s", []store.MessageResult{{ID: id, SendResult: store.SendResult{Outcome: store.SendSent}}}, nil); err != nil {
			t.Fatal(err)
		}
		return id
	}
	insert("old", true)
	code("old")
	send()
	clock.Advance(max(jobs.InboxRetention, jobs.OutboxRetention) + time.Hour)
	insert("recent", true)
	insert("pending", false)
	code("recent")
	recentMsg := send()

	// The standard periodic purge runs at start and removes only the old,
	// processed item.
	runStandard(t, db)
	deadline := time.Now().Add(20 * time.Second)
	for {
		keys := storetest.InboxKeys(t, db)
		codes := storetest.OTPHashes(t, db)
		msgs := storetest.MessageIDs(t, db)
		if len(keys) == 2 && keys[0] == "recent" && keys[1] == "pending" && len(codes) == 1 && codes[0] == "recent" &&
			len(msgs) == 1 && msgs[0] == recentMsg {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("inbox holds %v, codes %v and messages %v after purge, want [recent pending], [recent] and [%d]", keys, codes, msgs, recentMsg)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The periodic audit purge deletes the entries older than
// store.AuditRetention (a year) and keeps the rest, the youngest an hour
// short of it.
func TestPurgeAuditAfterRetention(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := storetest.NewClock(start)
	db := openWithRiver(t, clock)
	audit := func(detail string) {
		err := db.Update(ctx, func(tx *store.Tx) error {
			return store.Audit(ctx, tx, store.AuditEntry{Actor: "cli:test", Action: "drive_apply", Detail: detail})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	audit("old")
	clock.Advance(2 * time.Hour)
	audit("almost a year")
	clock.Set(start.Add(store.AuditRetention + time.Hour))
	audit("new")

	runStandard(t, db)
	deadline := time.Now().Add(20 * time.Second)
	for {
		entries, err := db.AuditEntries(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var left []string
		for _, e := range entries {
			left = append(left, e.Detail)
		}
		if len(left) == 2 && left[0] == "new" && left[1] == "almost a year" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("audit log holds %q after the purge, want [new, almost a year]", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The periodic purge deletes the registration marks older than
// jobs.MarkRetention (30 days) and keeps the rest.
func TestPurgeRegistrationMarksAfter30Days(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 2, 14, 9, 0, 0, 0, time.UTC)
	clock := storetest.NewClock(start)
	db := openWithRiver(t, clock)
	d := drivetest.Load(t, db, nil, drivetest.Reference)["jh-warriors"]
	mark := func(network string) {
		err := db.Update(ctx, func(tx *store.Tx) error {
			id, err := store.CreatePerson(ctx, tx, store.Person{})
			if err != nil {
				return err
			}
			part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: d.ID, Channel: "web", AreaID: d.RootAreaID,
				Day: drive.Calendar(d).Day(tx.Now)})
			if err != nil {
				return err
			}
			return store.MarkRegistration(ctx, tx, store.RegistrationMark{ParticipationID: part, DriveID: d.ID, Network: network, Device: "device-" + network})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	mark("10.0.1.0/24")
	clock.Advance(2 * time.Hour)
	mark("10.0.2.0/24")
	clock.Set(start.Add(jobs.MarkRetention + time.Hour))
	mark("10.0.3.0/24")

	runStandard(t, db)
	since := start.Add(-time.Hour)
	deadline := time.Now().Add(20 * time.Second)
	for {
		scope, err := db.ScopeAreas(ctx, []string{"JH"})
		if err != nil {
			t.Fatal(err)
		}
		events, err := db.NetworkEvents(ctx, store.FlagQuery{DriveID: d.ID, Scope: scope, Since: since, AtLeast: 1})
		if err != nil {
			t.Fatal(err)
		}
		var left []string
		for _, e := range events {
			left = append(left, e.Key)
		}
		if len(left) == 2 && left[0] == "10.0.2.0/24" && left[1] == "10.0.3.0/24" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("registration marks %q after the purge, want the two younger than 30 days", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
