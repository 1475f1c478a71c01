package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// callsRecord is a call of key from phone to drive on the fixture's day.
func callsRecord(key, phone string, drive int64, at time.Time) store.CallRecord {
	return store.CallRecord{Inbox: store.InboxItem{Provider: "exotel", Key: key, Kind: "call", Payload: []byte("CallSid=" + key)},
		Phone: phone, At: at, Drive: drive, Day: fixtureDay, Hashed: phoneHash(phone)}
}

// A batch recorded as its transaction's last writes counts its leads as
// RecordCalls does (each at its drive's root, in counters, and at that
// area and its ancestors in the totals and the whole-drive totals), and on
// PostgreSQL has committed when RecordCallsLast returns: a reader sees its
// calls before the transaction's function has returned, and a statement
// after it is refused. On SQLite the transaction commits as ever, after.
func TestRecordCallsLast(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	acDrive := f.acDrive(t)                    // its leads count at the AC and the state
	f.missedCall(t, "before", "+919100000009") // in the state drive already
	var res []store.CallResult
	var seen int
	var after error
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		res, err = store.RecordCallsLast(ctx, tx, []store.CallRecord{
			callsRecord("a", "+919100000001", f.drive, tx.Now),
			callsRecord("b", "+919100000002", f.drive, tx.Now),
			callsRecord("a", "+919100000001", f.drive, tx.Now),      // the provider again: a duplicate
			callsRecord("c", "+919100000009", f.drive, tx.Now),      // a lead already
			callsRecord("d", "+919100000003", acDrive, tx.Now),      // the AC's drive
			callsRecord("e", "+919100000001", acDrive, tx.Now),      // a's caller, new to the AC's drive
			callsRecord("f", "+919100000004", f.drive, time.Time{}), // counted on its day all the same
		}, nil)
		if err != nil {
			return err
		}
		if err := f.db.View(ctx, func(rtx *store.Tx) error {
			return rawsql.Tx(rtx).QueryRowContext(ctx, `SELECT count(*) FROM inbox WHERE provider_key IN ('a', 'b', 'c', 'd', 'e', 'f')`).Scan(&seen)
		}); err != nil {
			return err
		}
		_, after = store.InsertInbox(ctx, tx, []store.InboxItem{{Provider: "exotel", Key: "late", Kind: "call", Payload: []byte("x")}})
		return nil
	})
	if f.db.Engine() == store.Postgres {
		if seen != 6 || after == nil {
			t.Errorf("PostgreSQL: a reader saw %d of the 6 calls before the transaction's function returned, and a statement after it got %v; want 6 and an error", seen, after)
		}
	} else if seen != 0 || after != nil {
		t.Errorf("SQLite: a reader saw %d calls of the open transaction, and a statement after RecordCallsLast got %v; want 0 and nil", seen, after)
	}
	var leads []string
	for i, r := range res {
		if r.NewLead {
			leads = append(leads, fmt.Sprint(i))
		}
	}
	if fmt.Sprint(leads) != "[0 1 4 5 6]" || !res[2].Duplicate || res[3].NewLead || res[5].NewPerson || res[5].PersonID != res[0].PersonID {
		t.Errorf("results %+v: want new leads [0 1 4 5 6], the third a duplicate, the sixth a's person", res)
	}
	got := storetest.CounterKeys(t, f.db)
	want := map[string]int64{
		// the call before this batch, and three new leads of the state's drive
		fmt.Sprintf("counters %d leads %s missed_call", f.state, fixtureDay):       4,
		fmt.Sprintf("counter_totals %d leads %s missed_call", f.state, fixtureDay): 4 + 2,
		fmt.Sprintf("counters %d leads %s missed_call", f.ac, fixtureDay):          2,
		fmt.Sprintf("counter_totals %d leads %s missed_call", f.ac, fixtureDay):    2,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counters %v, want %v", got, want)
	}
	drive := map[string]int64{}
	if err := f.db.View(ctx, func(tx *store.Tx) error {
		rows, err := rawsql.Tx(tx).QueryContext(ctx, `SELECT drive_id, area_id, metric, channel, SUM(value) FROM counter_drive_totals
			GROUP BY drive_id, area_id, metric, channel`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d, a, v int64
			var m, c string
			if err := rows.Scan(&d, &a, &m, &c, &v); err != nil {
				return err
			}
			drive[fmt.Sprintf("%d %d %s %s", d, a, m, c)] = v
		}
		return rows.Err()
	}); err != nil {
		t.Fatal(err)
	}
	wantDrive := map[string]int64{
		fmt.Sprintf("%d %d leads missed_call", f.drive, f.state): 4,
		fmt.Sprintf("%d %d leads missed_call", acDrive, f.ac):    2,
		fmt.Sprintf("%d %d leads missed_call", acDrive, f.state): 2,
	}
	if fmt.Sprint(drive) != fmt.Sprint(wantDrive) {
		t.Errorf("whole-drive totals %v, want %v", drive, wantDrive)
	}
}

// A caller whose phone another transaction registers while the batch's
// statement runs: the statement fails with a serialization failure
// instead of committing the call unlinked, and the batch runs again and
// finds the caller's person, links the call to it and counts its lead once.
func TestRecordCallsLastRacedPhoneRunsAgain(t *testing.T) {
	storetest.RequirePostgres(t)
	f := newDriveFixture(t)
	ctx := context.Background()
	const phone = "+919100000001"
	registered, release := make(chan int64), make(chan struct{})
	var wg sync.WaitGroup
	var other error
	wg.Go(func() {
		other = f.db.Update(ctx, func(tx *store.Tx) error {
			id, err := store.CreatePerson(ctx, tx, store.Person{})
			if err == nil {
				err = store.AddContact(ctx, tx, id, store.ContactPhone, phone)
			}
			if err != nil {
				return err
			}
			registered <- id
			<-release // committed once the batch waits on its phone
			return nil
		})
	})
	person := <-registered
	attempts := 0
	var res []store.CallResult
	done := make(chan error, 1)
	go func() {
		done <- f.db.Update(ctx, func(tx *store.Tx) error {
			attempts++
			var err error
			res, err = store.RecordCallsLast(ctx, tx, []store.CallRecord{callsRecord("a", phone, f.drive, tx.Now)}, nil)
			return err
		})
	}()
	// The batch's insert of the phone waits on the other transaction's.
	deadline := time.Now().Add(10 * time.Second)
	for waiting := 0; waiting == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the batch never waited on the other transaction")
		}
		if err := f.db.View(ctx, func(tx *store.Tx) error {
			return rawsql.Tx(tx).QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting)
		}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	wg.Wait()
	if other != nil {
		t.Fatal(other)
	}
	if err := <-done; err != nil {
		t.Fatalf("the batch: %v", err)
	}
	if attempts != 2 || len(res) != 1 || res[0].PersonID != person || res[0].NewPerson || !res[0].NewLead {
		t.Errorf("%d attempts, results %+v; want 2 attempts and a new lead of person %d", attempts, res, person)
	}
	var people, linked int
	if err := f.db.View(ctx, func(tx *store.Tx) error {
		if err := rawsql.Tx(tx).QueryRowContext(ctx, `SELECT count(*) FROM people`).Scan(&people); err != nil {
			return err
		}
		return rawsql.Tx(tx).QueryRowContext(ctx, `SELECT count(*) FROM inbox WHERE provider_key = 'a' AND person_id = $1`, person).Scan(&linked)
	}); err != nil {
		t.Fatal(err)
	}
	if people != 1 || linked != 1 {
		t.Errorf("%d people and %d calls linked to the registered one; want 1 and 1 (no spare person, the call linked)", people, linked)
	}
	want := map[string]int64{
		fmt.Sprintf("counters %d leads %s missed_call", f.state, fixtureDay):       1,
		fmt.Sprintf("counter_totals %d leads %s missed_call", f.state, fixtureDay): 1,
	}
	if got := storetest.CounterKeys(t, f.db); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counters %v, want %v", got, want)
	}
}
