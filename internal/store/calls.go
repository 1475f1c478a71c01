package store

import (
	"context"
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
	Root   int64     // the drive's root area: where a lead with no area counts
	Day    string    // drive-local day of At
	Hashed string    // keyed hash of Phone, to check suppressions
}

// CallResult is what storing a call did.
type CallResult struct {
	Duplicate bool   // the provider delivered this call before: nothing changed
	Note      string // why it made no lead ("" when it did or could)
	PersonID  int64
	NewPerson bool
	NewLead   bool // a participation was created and a lead counted
}

// NoteSuppressed marks a call from a number that must not be recreated
// (an under-18 refusal).
const NoteSuppressed = "suppressed: an under-18 refusal; this number is not recreated"

// RecordCalls stores a batch of calls in tx with a fixed handful of
// statements, whatever the batch size: the raw items (deduplicated by the
// provider's call id, first one wins), new people and their phones, new
// participations as leads, and the leads counters. Repeats change nothing.
func RecordCalls(ctx context.Context, tx *Tx, recs []CallRecord) ([]CallResult, error) {
	out := make([]CallResult, len(recs))
	if err := markSuppressed(ctx, tx, recs, out); err != nil {
		return nil, err
	}
	items := make([]InboxItem, len(recs))
	for i, r := range recs {
		items[i] = r.Inbox
		items[i].Note = out[i].Note
		items[i].Processed = true
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
	if err := resolveCallers(ctx, tx, recs, live, out); err != nil {
		return nil, err
	}
	return out, createLeads(ctx, tx, recs, live, out)
}

// markSuppressed notes the calls from numbers refused as under 18. A
// number suppressed because its person erased their data is not blocked:
// calling again is a new, deliberate act.
func markSuppressed(ctx context.Context, tx *Tx, recs []CallRecord, out []CallResult) error {
	var hashes []any
	for i, r := range recs {
		out[i].Note = r.Inbox.Note
		if r.Hashed != "" && r.Inbox.Note == "" {
			hashes = append(hashes, r.Hashed)
		}
	}
	if len(hashes) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT hash FROM suppressions WHERE reason = $1 AND hash IN ("+placeholders(len(hashes), 2)+")",
		append([]any{SuppressUnder18}, hashes...)...)
	if err != nil {
		return fmt.Errorf("store: check suppressions: %w", err)
	}
	defer rows.Close()
	suppressed := map[string]bool{}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return fmt.Errorf("store: check suppressions: %w", err)
		}
		suppressed[h] = true
	}
	for i, r := range recs {
		if out[i].Note == "" && suppressed[r.Hashed] {
			out[i].Note = NoteSuppressed
		}
	}
	return rows.Err()
}

// resolveCallers finds each live call's person by phone, creating people
// (and their phone contact points) for numbers seen for the first time.
func resolveCallers(ctx context.Context, tx *Tx, recs []CallRecord, live []int, out []CallResult) error {
	var phones []string
	seen := map[string]bool{}
	for _, i := range live {
		if p := recs[i].Phone; !seen[p] {
			seen[p] = true
			phones = append(phones, p)
		}
	}
	known, err := peopleByPhone(ctx, tx, phones)
	if err != nil {
		return err
	}
	var fresh []string
	for _, p := range phones {
		if _, ok := known[p]; !ok {
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

func peopleByPhone(ctx context.Context, tx *Tx, phones []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(phones) == 0 {
		return out, nil
	}
	args := []any{ContactPhone}
	for _, p := range phones {
		args = append(args, p)
	}
	rows, err := tx.QueryContext(ctx, "SELECT value, person_id FROM contact_points WHERE kind = $1 AND value IN ("+placeholders(len(phones), 2)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("store: people by phone: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var phone string
		var id int64
		if err := rows.Scan(&phone, &id); err != nil {
			return nil, fmt.Errorf("store: people by phone: %w", err)
		}
		out[phone] = id
	}
	return out, rows.Err()
}

// createCallers makes a person and a phone contact point for each phone. A
// phone another server registered meanwhile (PostgreSQL) is not created
// twice: its person is looked up and the spare person row removed.
func createCallers(ctx context.Context, tx *Tx, phones []string) (map[string]int64, error) {
	created := map[string]int64{}
	if len(phones) == 0 {
		return created, nil
	}
	ids, err := allocatePersonIDs(ctx, tx, len(phones))
	if err != nil {
		return nil, err
	}
	now := ms(tx.Now)
	args := []any{now}
	people := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		people[i] = fmt.Sprintf("($%d,$1,$1)", i+2)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO people (id, created_at, updated_at) VALUES "+strings.Join(people, ","), args...); err != nil {
		return nil, fmt.Errorf("store: create callers: %w", err)
	}
	args = []any{now, ContactPhone}
	contacts := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id, phones[i])
		contacts[i] = fmt.Sprintf("($%d,$2,$%d,$1)", 2*i+3, 2*i+4)
	}
	rows, err := tx.QueryContext(ctx, "INSERT INTO contact_points (person_id, kind, value, created_at) VALUES "+strings.Join(contacts, ",")+
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
	return created, dropSpares(ctx, tx, ids, phones, created)
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
	if _, err := tx.ExecContext(ctx, "DELETE FROM people WHERE id IN ("+placeholders(len(spare), 1)+")", spare...); err != nil {
		return fmt.Errorf("store: drop spare callers: %w", err)
	}
	return nil
}

// allocatePersonIDs reserves n new person ids, so a batch of people and
// their contact points can be inserted with one statement each (RETURNING
// order is unspecified on SQLite, so ids cannot be matched up afterwards).
func allocatePersonIDs(ctx context.Context, tx *Tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if tx.Engine() == Postgres {
		rows, err := tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence('people', 'id')) FROM generate_series(1, $1)", n)
		if err != nil {
			return nil, fmt.Errorf("store: allocate person ids: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	// SQLite has one writer, which this transaction is: the next ids are
	// past both the highest row and the AUTOINCREMENT high-water mark (ids
	// of erased people are never reused).
	var next int64
	err := tx.QueryRowContext(ctx, `SELECT max(COALESCE((SELECT max(id) FROM people), 0),
		COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'people'), 0)) + 1`).Scan(&next)
	if err != nil {
		return nil, fmt.Errorf("store: allocate person ids: %w", err)
	}
	for i := range n {
		ids = append(ids, next+int64(i))
	}
	return ids, nil
}

// createLeads makes a participation for each live call's person in its
// drive, unless one exists, and counts each new one as a lead.
func createLeads(ctx context.Context, tx *Tx, recs []CallRecord, live []int, out []CallResult) error {
	type pair struct{ person, drive int64 }
	first := map[pair]int{}
	var args []any
	var values []string
	for _, i := range live {
		k := pair{out[i].PersonID, recs[i].Drive}
		if _, dup := first[k]; dup {
			continue
		}
		first[k] = i
		n := len(args)
		args = append(args, k.person, k.drive, "missed_call", ms(recs[i].At))
		values = append(values, fmt.Sprintf("($%d,$%d,$%d,$%d,$%d)", n+1, n+2, n+3, n+4, n+4))
	}
	rows, err := tx.QueryContext(ctx, `INSERT INTO participations (person_id, drive_id, channel, first_seen_at, lead_at) VALUES `+
		strings.Join(values, ",")+` ON CONFLICT (person_id, drive_id) DO NOTHING RETURNING person_id, drive_id`, args...)
	if err != nil {
		return fmt.Errorf("store: create leads: %w", err)
	}
	defer rows.Close()
	var deltas []CounterDelta
	for rows.Next() {
		var k pair
		if err := rows.Scan(&k.person, &k.drive); err != nil {
			return fmt.Errorf("store: create leads: %w", err)
		}
		i := first[k]
		out[i].NewLead = true
		deltas = append(deltas, CounterDelta{DriveID: k.drive, AreaID: recs[i].Root, Metric: StageLead.Metric(), Day: recs[i].Day, Channel: "missed_call", Value: 1})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return AddCounters(ctx, tx, deltas)
}
