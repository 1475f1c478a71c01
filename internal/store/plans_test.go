package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A batch's contact points are found one index probe per value, whatever
// plan PostgreSQL keeps for the statement: here the generic plan (what a
// pgx-prepared statement falls back to), made while the table held 200
// phones without statistics and kept while it grew to 3,000, as on a new
// drive's first minute. Written as `kind = $1 AND value IN (…)`, that plan
// read every phone of the kind for each lookup (docs/performance.md,
// issue 24).
func TestContactLookupProbesEachValue(t *testing.T) {
	storetest.RequirePostgres(t)
	db := storetest.Open(t, nil)
	ctx := context.Background()
	conn, err := rawsql.DB(db).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	phones := func(from, to int) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, `WITH p AS (INSERT INTO people (created_at, updated_at) SELECT 0, 0 FROM generate_series($1::int, $2::int) RETURNING id)
			INSERT INTO contact_points (person_id, kind, value, created_at) SELECT id, 'phone', '+9190000' || lpad(id::text, 5, '0'), 0 FROM p`, from, to); err != nil {
			t.Fatal(err)
		}
	}
	values := []string{"+919000000007", "+919000000011", "+919000002999", "+918888888888"}
	array := "'{" + strings.Join(values, ",") + "}'"
	// The plan is made (and kept) while the table holds 200 phones, then
	// the table grows to 3,000 under it.
	phones(1, 200)
	q, _ := store.ContactsInForTest(store.Postgres, store.ContactPhone, values, 1)
	for _, s := range []string{"SET plan_cache_mode = force_generic_plan", "PREPARE look AS " + q, "EXECUTE look('phone', " + array + ")"} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	phones(201, 3000)
	var plan string
	if err := conn.QueryRowContext(ctx, `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE look('phone', `+array+`)`).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	var root []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(plan), &root); err != nil || len(root) != 1 {
		t.Fatalf("plan %s: %v", plan, err)
	}
	read := root[0].Plan.contactRowsRead()
	if read > len(values) {
		t.Errorf("the lookup of %d phones read %d contact points, want at most %d (one probe each):\n%s", len(values), read, len(values), plan)
	}
	// And it finds what it should.
	q, args := store.ContactsInForTest(store.Postgres, store.ContactPhone, values, 1)
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var v string
		var id int64
		if err := rows.Scan(&v, &id); err != nil {
			t.Fatal(err)
		}
		found = append(found, v)
	}
	if len(found) != 3 {
		t.Errorf("found %v, want the three phones that exist", found)
	}
}

// planNode is a node of EXPLAIN (ANALYZE, FORMAT JSON).
type planNode struct {
	Type     string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Index    string     `json:"Index Name"`
	Rows     float64    `json:"Actual Rows"`
	Loops    float64    `json:"Actual Loops"`
	Removed  float64    `json:"Rows Removed by Filter"`
	Plans    []planNode `json:"Plans"`
}

// contactRowsRead sums the rows the plan's scans of contact_points (or
// its indexes) produced or filtered out.
func (n planNode) contactRowsRead() int {
	read := 0
	if n.Relation == "contact_points" || n.Index == "contact_points_kind_value_key" {
		read += int(n.Rows*n.Loops + n.Removed*n.Loops)
	}
	for _, c := range n.Plans {
		read += c.contactRowsRead()
	}
	return read
}

// A batch of calls is not planned afresh each time on PostgreSQL: each
// connection keeps one plan for the call statement. Left to choose,
// PostgreSQL planned small batches (a few calls, as on each of several
// nodes) every time, at 1.1 ms of its CPU a batch (docs/performance.md,
// issue 24). The fixture's transactions run one at a time, on one
// connection, which this reads the counts of.
func TestCallBatchesKeepOnePlan(t *testing.T) {
	storetest.RequirePostgres(t)
	f := newDriveFixture(t)
	for i := range 8 {
		if res := f.missedCall(t, fmt.Sprintf("plan-%d", i), fmt.Sprintf("+9198300%05d", i)); !res.NewLead {
			t.Fatalf("call %d: %+v, want a new lead", i, res)
		}
	}
	var custom, generic int64
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		custom, generic, err = store.CallPlansForTest(ctx, tx)
		return err
	})
	if generic == 0 || custom != 0 {
		t.Errorf("the call statement ran %d times with a plan made for its batch and %d with the kept one; want 0 and at least 1", custom, generic)
	}
}

// The call statement's one plan (TestCallBatchesKeepOnePlan) is made from
// the tables as they are when its connection first runs it, and kept until
// ANALYZE changes their statistics. Made while the tables are empty, as on a
// new server's first call, and kept while they grow by thousands of rows, it
// still finds each call's rows by index: a few rows of inbox, contact points
// and suppressions a call, never a scan of a whole table.
func TestCallPlanMadeOnEmptyTablesProbes(t *testing.T) {
	storetest.RequirePostgres(t)
	// The ordinary statement, and the one that counts its leads and goes
	// with COMMIT (RecordCallsLast), on a shard and metric of its own.
	for _, st := range []struct{ name, query, extra string }{
		{"ordinary", store.CallStatementForTest, ""},
		{"last", store.CallStatementLastForTest, ", 'leads', 7"},
	} {
		t.Run(st.name, func(t *testing.T) { callPlanProbes(t, st.query, st.extra) })
	}
}

func callPlanProbes(t *testing.T, statement, extra string) {
	f := newDriveFixture(t)
	ctx := context.Background()
	conn, err := rawsql.DB(f.db).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%.80s: %v", q, err)
		}
	}
	// calls is EXECUTE with a batch of calls from phones, keyed by keys,
	// in the drive, as literal arguments.
	calls := func(keys, phones []string) string {
		list := func(vals []string, cast string) string {
			q := make([]string, len(vals))
			for i, v := range vals {
				q[i] = "'" + v + "'" + cast
			}
			return "ARRAY[" + strings.Join(q, ", ") + "]" + cast + "[]"
		}
		n := len(keys)
		rep := func(v string) []string { return slices.Repeat([]string{v}, n) }
		hashes := make([]string, n)
		for i, p := range phones {
			hashes[i] = "hash" + p
		}
		return fmt.Sprintf("EXECUTE calls(%s, %s, %s, %s, %s, %s, %s, %s, %s, 0, '%s', 'missed_call', ARRAY[]::text[], ARRAY[]::text[], 'missed_call', '%s', '%s', %s, %s%s)",
			list(rep("exotel"), "::text"), list(keys, "::text"), list(rep("call"), "::text"), list(rep("x"), "::bytea"),
			list(rep(""), "::text"), list(phones, "::text"), list(hashes, "::text"), list(rep(fmt.Sprint(f.drive)), "::bigint"),
			list(rep("0"), "::bigint"), store.ContactPhone, store.SuppressUnder18, store.NoteSuppressed, list(rep("false"), "::bool"),
			list(rep("2026-02-12"), "::text"), extra)
	}
	exec("SET plan_cache_mode = force_generic_plan")
	exec("PREPARE calls AS " + statement)
	exec(calls([]string{"first"}, []string{"+919100000001"})) // the plan is made here, on empty tables
	// The tables grow under the kept plan, without ANALYZE.
	exec(`WITH p AS (INSERT INTO people (created_at, updated_at) SELECT 0, 0 FROM generate_series(1, 3000) RETURNING id)
		INSERT INTO contact_points (person_id, kind, value, created_at) SELECT id, 'phone', '+9192000' || lpad(id::text, 5, '0'), 0 FROM p`)
	exec(`INSERT INTO inbox (provider, provider_key, kind, payload, note, received_at, processed_at)
		SELECT 'exotel', 'grown-' || g, 'call', '\x', '', 0, 0 FROM generate_series(1, 3000) g`)
	exec(`INSERT INTO suppressions (hash, reason, created_at) SELECT 'grown-' || g, 'under_18', 0 FROM generate_series(1, 3000) g`)
	var known string
	if err := conn.QueryRowContext(ctx, `SELECT value FROM contact_points WHERE value LIKE '+9192000%' ORDER BY id DESC LIMIT 1`).Scan(&known); err != nil {
		t.Fatal(err)
	}
	// Two new callers, one known, and a call stored already.
	keys := []string{"new-1", "new-2", "again-1", "grown-17"}
	phones := []string{"+919100000002", "+919100000003", known, "+919100000004"}
	var plan string
	if err := conn.QueryRowContext(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+calls(keys, phones)).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	var root []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(plan), &root); err != nil || len(root) != 1 {
		t.Fatalf("plan %s: %v", plan, err)
	}
	// Counting reads a lead's area and its ancestors, a handful of rows.
	for _, table := range []string{"inbox", "contact_points", "suppressions", "people", "participations", "areas", "counters", "counter_totals"} {
		if read := root[0].Plan.rowsScanned(table); read > 2*len(keys) {
			t.Errorf("a batch of %d calls read %d rows of %s with the plan made on empty tables, want at most %d:\n%s", len(keys), read, table, 2*len(keys), plan)
		}
	}
	exec("DEALLOCATE calls")
	exec("RESET plan_cache_mode")
}

// rowsScanned sums the rows the plan's scans of table (or of its indexes)
// produced or filtered out.
func (n planNode) rowsScanned(table string) int {
	read := 0
	if strings.Contains(n.Type, "Scan") && (n.Relation == table || strings.HasPrefix(n.Index, table+"_")) {
		read += int(n.Rows*n.Loops + n.Removed*n.Loops)
	}
	for _, c := range n.Plans {
		read += c.rowsScanned(table)
	}
	return read
}
