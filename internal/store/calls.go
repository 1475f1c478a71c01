package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// CallRecord is a missed call ready to be stored: the intake has already
// normalised its numbers and picked its drive, or said why it cannot.
type CallRecord struct {
	Inbox  InboxItem // the raw webhook item; Note set when the call makes no lead
	Phone  string    // caller, E.164; "" when Inbox.Note says why
	At     time.Time // the call's effective time
	Drive  int64     // 0 when Inbox.Note says why
	Day    string    // drive-local day of At
	Hashed string    // keyed hash of Phone, to check suppressions
	// FollowUp: the drive follows a call up (an SMS with a join link), so
	// a participation this call makes is made with its follow-up claimed
	// (CallResult.Claimed): the caller queues the SMS without updating the
	// row it has just inserted.
	FollowUp bool
}

// CallResult is what storing a call did.
type CallResult struct {
	Duplicate bool   // the provider delivered this call before: nothing changed
	Note      string // why it made no lead ("" when it did or could)
	PersonID  int64
	NewPerson bool
	NewLead   bool // a participation was created and a lead counted
	// Claimed is the participation made with its follow-up claimed
	// (CallRecord.FollowUp), or 0.
	Claimed int64
}

// NoteSuppressed marks a call from a number that must not be recreated
// (an under-18 refusal).
const NoteSuppressed = "suppressed: an under-18 refusal; this number is not recreated"

// CallLookup is what a batch of calls needs read before it is routed and
// written.
type CallLookup struct {
	Owners     []ChannelDrive   // the drives owning the called numbers
	kind       string           // of the channels called
	numbers    []string         // the numbers called
	known      map[string]int64 // caller's phone → person (SQLite)
	suppressed map[string]bool  // keyed hashes of numbers refused as under 18 (SQLite)
}

// LookupCalls reads, for a batch of calls to numbers (E.164) on channels of
// kind, the drives owning those numbers, the people the callers' phones
// belong to and the numbers refused as under 18. A number suppressed
// because its person erased their data is not blocked: calling again is a
// new, deliberate act.
//
// On PostgreSQL only the owners are read here, and only when they are not
// cached (routeCache): RecordCalls's one statement checks them and reads
// the rest, so a batch's transaction begins with its write.
func LookupCalls(ctx context.Context, tx *Tx, kind string, numbers []string, recs []CallRecord) (*CallLookup, error) {
	look := &CallLookup{kind: kind, numbers: numbers}
	if tx.pg != nil {
		if len(numbers) == 0 {
			return look, nil
		}
		if owners, ok := tx.routes.get(kind, numbers); ok {
			look.Owners = owners
			return look, nil
		}
		if err := tx.batch(ctx, channelDrives(kind, numbers, &look.Owners)); err != nil {
			return nil, fmt.Errorf("store: look up calls: %w", err)
		}
		tx.routes.put(kind, numbers, look.Owners)
		return look, nil
	}
	look.known, look.suppressed = map[string]int64{}, map[string]bool{}
	var stmts []pgStmt
	if len(numbers) > 0 {
		stmts = append(stmts, channelDrives(kind, numbers, &look.Owners))
	}
	var hashes []any
	var phones []string
	for _, r := range recs {
		if r.Phone != "" && r.Inbox.Note == "" {
			hashes, phones = append(hashes, r.Hashed), append(phones, r.Phone)
		}
	}
	if len(phones) > 0 {
		contacts, cargs := contactsIn(tx.engine, ContactPhone, phones, 2+len(hashes))
		args := append(append([]any{SuppressUnder18}, hashes...), cargs...)
		stmts = append(stmts, pgStmt{query: `SELECT 'suppressed', hash, 0 FROM suppressions WHERE reason = $1 AND hash IN (` + placeholders(len(hashes), 2) + `)
		UNION ALL SELECT 'person', v.* FROM (` + contacts + `) v`,
			args: args, scan: func(rows rowScanner) error {
				for rows.Next() {
					var what, key string
					var person int64
					if err := rows.Scan(&what, &key, &person); err != nil {
						return err
					}
					if what == "suppressed" {
						look.suppressed[key] = true
					} else {
						look.known[key] = person
					}
				}
				return rows.Err()
			}})
	}
	if len(stmts) == 0 {
		return look, nil
	}
	if err := tx.batch(ctx, stmts...); err != nil {
		return nil, fmt.Errorf("store: look up calls: %w", err)
	}
	return look, nil
}

// RecordCalls stores a batch of calls in tx with a fixed handful of
// statements, whatever the batch size: the raw items (deduplicated by the
// provider's call id, first one wins), new people and their phones, new
// participations as leads, and the leads counters. Repeats change nothing.
// look is LookupCalls's for recs (nil: looked up here).
func RecordCalls(ctx context.Context, tx *Tx, recs []CallRecord, look *CallLookup) ([]CallResult, error) {
	return recordCalls(ctx, tx, recs, look, false)
}

// RecordCallsLast is RecordCalls as tx's last writes. On PostgreSQL the
// calls' statement counts their leads itself and goes to the server with
// COMMIT, in one round trip instead of two (the second carried the counters
// and COMMIT; with the database on another host each is a network latency
// of a batch that every call in it waits for). Once it returns nil, tx has
// committed, and a statement after it fails (errAfterCommit). A phone
// another transaction registered meanwhile fails the statement with a
// serialization failure, so the transaction runs again and finds its
// person. A transaction that added counters before it gets RecordCalls
// (those go with COMMIT, after it), and so does SQLite.
func RecordCallsLast(ctx context.Context, tx *Tx, recs []CallRecord, look *CallLookup) ([]CallResult, error) {
	return recordCalls(ctx, tx, recs, look, len(tx.counters) == 0)
}

func recordCalls(ctx context.Context, tx *Tx, recs []CallRecord, look *CallLookup, last bool) ([]CallResult, error) {
	if look == nil {
		var err error
		if look, err = LookupCalls(ctx, tx, "", nil, recs); err != nil {
			return nil, err
		}
	}
	out := make([]CallResult, len(recs))
	items := make([]InboxItem, len(recs))
	for i, r := range recs {
		out[i].Note = r.Inbox.Note
		if out[i].Note == "" && r.Phone != "" && look.suppressed[r.Hashed] {
			out[i].Note = NoteSuppressed
		}
		items[i] = r.Inbox
		items[i].Note = out[i].Note
		items[i].Processed = true
		if out[i].Note == NoteSuppressed {
			items[i].Payload = []byte{} // only the keyed hash of a refused minor's number is kept
		}
	}
	if tx.pg != nil {
		return out, recordCallsPG(ctx, tx, recs, items, look, out, last)
	}
	stored, err := InsertInbox(ctx, tx, items)
	if err != nil {
		return nil, err
	}
	var live []int // calls that are new and can make a lead
	for i := range recs {
		out[i].Duplicate = stored[i].Duplicate
		if !out[i].Duplicate && out[i].Note == "" && recs[i].Phone != "" && recs[i].Drive != 0 {
			live = append(live, i)
		}
	}
	if len(live) == 0 {
		return out, nil
	}
	if err := resolveCallers(ctx, tx, recs, live, look.known, out); err != nil {
		return nil, err
	}
	links := make([]InboxPerson, len(live))
	for j, i := range live {
		links[j] = InboxPerson{InboxID: stored[i].ID, PersonID: out[i].PersonID}
	}
	if err := LinkInbox(ctx, tx, links); err != nil {
		return nil, err
	}
	return out, createLeads(ctx, tx, recs, live, out)
}

// resolveCallers gives each live call its person, creating people (and
// their phone contact points) for numbers seen for the first time.
func resolveCallers(ctx context.Context, tx *Tx, recs []CallRecord, live []int, known map[string]int64, out []CallResult) error {
	var fresh []string
	seen := map[string]bool{}
	for _, i := range live {
		if p := recs[i].Phone; !seen[p] && known[p] == 0 {
			seen[p] = true
			fresh = append(fresh, p)
		}
	}
	created, err := createCallers(ctx, tx, fresh)
	if err != nil {
		return err
	}
	for _, i := range live {
		p := recs[i].Phone
		if id, ok := created[p]; ok {
			out[i].PersonID, out[i].NewPerson = id, true
			delete(created, p) // a second call in the batch finds the person made by the first
			known[p] = id
			continue
		}
		out[i].PersonID = known[p]
	}
	return nil
}

// createCallers makes a person and a phone contact point for each phone. A
// phone another server registered meanwhile (PostgreSQL) is not created
// twice: its person is looked up and the spare person row removed.
func createCallers(ctx context.Context, tx *Tx, phones []string) (map[string]int64, error) {
	created := map[string]int64{}
	if len(phones) == 0 {
		return created, nil
	}
	ids, err := insertPeople(ctx, tx, len(phones))
	if err != nil {
		return nil, err
	}
	now := ms(tx.Now)
	args := []any{now, ContactPhone}
	contacts := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id, phones[i])
		contacts[i] = fmt.Sprintf("($%d,$2,$%d,$1)", 2*i+3, 2*i+4)
	}
	rows, err := tx.query(ctx, "INSERT INTO contact_points (person_id, kind, value, created_at) VALUES "+strings.Join(contacts, ",")+
		" ON CONFLICT (kind, value) DO NOTHING RETURNING value, person_id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: create caller contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var phone string
		var id int64
		if err := rows.Scan(&phone, &id); err != nil {
			return nil, fmt.Errorf("store: create caller contacts: %w", err)
		}
		created[phone] = id
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := dropSpares(ctx, tx, ids, phones, created); err != nil {
		return nil, err
	}
	return created, findRaced(ctx, tx, phones, created)
}

// findRaced looks up the people of phones another transaction registered
// between this one's lookup and its insert (PostgreSQL, several writers).
func findRaced(ctx context.Context, tx *Tx, phones []string, created map[string]int64) error {
	var raced []string
	for _, p := range phones {
		if _, ok := created[p]; !ok {
			raced = append(raced, p)
		}
	}
	if len(raced) == 0 {
		return nil
	}
	q, args := contactsIn(tx.engine, ContactPhone, raced, 1)
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: find raced callers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var phone string
		var id int64
		if err := rows.Scan(&phone, &id); err != nil {
			return fmt.Errorf("store: find raced callers: %w", err)
		}
		created[phone] = id
	}
	return rows.Err()
}

// dropSpares removes the people made for phones that turned out to exist.
func dropSpares(ctx context.Context, tx *Tx, ids []int64, phones []string, created map[string]int64) error {
	var spare []any
	for i, p := range phones {
		if created[p] != ids[i] {
			spare = append(spare, ids[i])
		}
	}
	if len(spare) == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, "DELETE FROM people WHERE id IN ("+placeholders(len(spare), 1)+")", spare...); err != nil {
		return fmt.Errorf("store: drop spare callers: %w", err)
	}
	return nil
}

// insertPeople inserts n empty people and returns their ids, in one
// statement. RETURNING's order is unspecified (on SQLite explicitly), but
// any order will do: the ids are then paired with phones by the caller.
func insertPeople(ctx context.Context, tx *Tx, n int) ([]int64, error) {
	rows, err := tx.query(ctx, `INSERT INTO people (created_at, updated_at)
		SELECT $1, $1 FROM (WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < $2) SELECT x FROM seq) AS s
		RETURNING id`, ms(tx.Now), n)
	if err != nil {
		return nil, fmt.Errorf("store: create callers: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: create callers: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != n {
		return nil, fmt.Errorf("store: create callers: made %d people, wanted %d", len(ids), n)
	}
	return ids, nil
}

// createLeads makes a participation for each live call's person in its
// drive, unless one exists, and counts each new one as a lead.
func createLeads(ctx context.Context, tx *Tx, recs []CallRecord, live []int, out []CallResult) error {
	leads := make([]newLead, len(live))
	for j, i := range live {
		leads[j] = newLead{Person: out[i].PersonID, Drive: recs[i].Drive, Channel: "missed_call", At: recs[i].At, Day: recs[i].Day,
			FollowUp: recs[i].FollowUp}
	}
	made, err := insertLeads(ctx, tx, leads)
	for j, i := range live {
		out[i].NewLead = made[j] != 0
		if recs[i].FollowUp {
			out[i].Claimed = made[j]
		}
	}
	return err
}

// newLead is a person who may be new to a drive: a participation to make
// unless they have one.
type newLead struct {
	Person, Drive int64
	Channel       string
	At            time.Time // first seen
	Day           string    // drive-local, for the counter
	FollowUp      bool      // made with its follow-up claimed (CallRecord.FollowUp)
}

// insertLeads makes, in one statement, a participation for each lead's
// person in its drive unless one exists (the first lead of a pair wins),
// and counts each new one as a lead at the drive's root. made[i] is the
// participation leads[i] made, or 0.
func insertLeads(ctx context.Context, tx *Tx, leads []newLead) (made []int64, err error) {
	type pair struct{ person, drive int64 }
	made = make([]int64, len(leads))
	first := map[pair]int{}
	var args []any
	var values []string
	for i, l := range leads {
		k := pair{l.Person, l.Drive}
		if _, dup := first[k]; dup {
			continue
		}
		first[k] = i
		n := len(args)
		var followed sql.NullInt64
		if l.FollowUp {
			followed = sql.NullInt64{Int64: ms(tx.Now), Valid: true}
		}
		args = append(args, l.Person, l.Drive, l.Channel, ms(l.At), followed)
		values = append(values, fmt.Sprintf("($%d,$%d,$%d,$%d,$%d,$%d)", n+1, n+2, n+3, n+4, n+4, n+5))
	}
	if len(values) == 0 {
		return made, nil
	}
	rows, err := tx.query(ctx, `INSERT INTO participations (person_id, drive_id, channel, first_seen_at, lead_at, last_followup_at) VALUES `+
		strings.Join(values, ",")+` ON CONFLICT (person_id, drive_id) DO NOTHING RETURNING id, person_id, drive_id, `+countArea, args...)
	if err != nil {
		return made, fmt.Errorf("store: create leads: %w", err)
	}
	defer rows.Close()
	var deltas []CounterDelta
	for rows.Next() {
		var k pair
		var id, at int64
		if err := rows.Scan(&id, &k.person, &k.drive, &at); err != nil {
			return made, fmt.Errorf("store: create leads: %w", err)
		}
		i := first[k]
		made[i] = id
		deltas = append(deltas, CounterDelta{DriveID: k.drive, AreaID: at, Metric: StageLead.Metric(), Day: leads[i].Day, Channel: leads[i].Channel, Value: 1})
	}
	if err := rows.Err(); err != nil {
		return made, err
	}
	return made, AddCounters(ctx, tx, deltas)
}
