package store_test

import (
	"context"
	"encoding/json"
	"fmt"
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
