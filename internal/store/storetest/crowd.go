package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// Crowd is many people in one drive, for benchmarks, written in a few
// statements rather than through the store (a million people). Person n
// (1 … People) has the id n, the name Names[h(n) % len(Names)] with its
// keys, the phone +91 (9000000000 + n) (CrowdPhone), and also that number
// as a WhatsApp id when n is a multiple of 3; they are in the drive by
// participation n, at the area AreaIDs[h'(n) % len(AreaIDs)], or at none
// (a missed-call lead) when n is a multiple of 10; their channel cycles
// through missed_call, whatsapp, web and sms, and a share reach each stage.
type Crowd struct {
	People  int
	Names   []CrowdName
	DriveID int64
	AreaIDs []int64
	Start   time.Time // person n was first seen n seconds after Start
}

// CrowdName is a name and its search keys (names.SearchKeys).
type CrowdName struct {
	Name string
	Keys []string
}

// CrowdPhone is the phone FillCrowd gives person n.
func CrowdPhone(n int64) string { return fmt.Sprintf("+91%d", 9000000000+n) }

// FillCrowd writes c into db, which must hold no people yet, in one
// transaction.
func FillCrowd(tb testing.TB, db *store.DB, c Crowd) {
	tb.Helper()
	ctx := context.Background()
	tx, err := writeDB(db).BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	run := func(q string, args ...any) {
		tb.Helper()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			tb.Fatalf("crowd: %s: %v", firstLine(q), err)
		}
	}
	for _, q := range []string{
		"CREATE TEMP TABLE crowd_seq (n BIGINT PRIMARY KEY)",
		"CREATE TEMP TABLE crowd_names (i BIGINT PRIMARY KEY, name TEXT NOT NULL)",
		"CREATE TEMP TABLE crowd_keys (i BIGINT NOT NULL, key TEXT NOT NULL)",
		"CREATE TEMP TABLE crowd_areas (i BIGINT PRIMARY KEY, area_id BIGINT NOT NULL)",
	} {
		run(q)
	}
	run(`INSERT INTO crowd_seq (n) WITH RECURSIVE s (n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM s WHERE n < $1)
		SELECT n FROM s`, c.People)
	var names, keys, areas [][]any
	for i, n := range c.Names {
		names = append(names, []any{i, n.Name})
		for _, k := range n.Keys {
			keys = append(keys, []any{i, k})
		}
	}
	for i, id := range c.AreaIDs {
		areas = append(areas, []any{i, id})
	}
	insertValues(tb, tx, "crowd_names (i, name)", names)
	insertValues(tb, tx, "crowd_keys (i, key)", keys)
	insertValues(tb, tx, "crowd_areas (i, area_id)", areas)
	t0 := c.Start.UnixMilli()
	name := fmt.Sprintf("(s.n * 2654435761) %% 4294967296 %% %d", len(c.Names))
	area := fmt.Sprintf("(s.n * 2246822519) %% 4294967296 %% %d", len(c.AreaIDs))
	at := func(share int) string { // a stage reached by share in 100, an hour after the lead
		return fmt.Sprintf("CASE WHEN s.n %% 100 < %d THEN CAST($1 AS BIGINT) + s.n * 1000 + 3600000 END", share)
	}
	run(`INSERT INTO people (id, name, language, created_at, updated_at)
		SELECT s.n, cn.name, 'hi', CAST($1 AS BIGINT) + s.n * 1000, CAST($1 AS BIGINT) + s.n * 1000
		FROM crowd_seq s JOIN crowd_names cn ON cn.i = `+name, t0)
	run(`INSERT INTO person_name_keys (key, person_id) SELECT ck.key, s.n FROM crowd_seq s JOIN crowd_keys ck ON ck.i = ` + name)
	run(`INSERT INTO contact_points (person_id, kind, value, created_at)
		SELECT s.n, 'phone', '+91' || CAST(9000000000 + s.n AS TEXT), CAST($1 AS BIGINT) + s.n * 1000 FROM crowd_seq s`, t0)
	run(`INSERT INTO contact_points (person_id, kind, value, created_at)
		SELECT s.n, 'wa_id', '91' || CAST(9000000000 + s.n AS TEXT), CAST($1 AS BIGINT) + s.n * 1000 FROM crowd_seq s WHERE s.n % 3 = 0`, t0)
	run(`INSERT INTO participations (id, person_id, drive_id, channel, area_id, first_seen_at, lead_at,
			registered_at, verified_at, volunteer_at, active_at)
		SELECT s.n, s.n, CAST($2 AS BIGINT),
			CASE s.n % 4 WHEN 0 THEN 'missed_call' WHEN 1 THEN 'whatsapp' WHEN 2 THEN 'web' ELSE 'sms' END,
			CASE WHEN s.n % 10 = 0 THEN NULL ELSE ca.area_id END,
			CAST($1 AS BIGINT) + s.n * 1000, CAST($1 AS BIGINT) + s.n * 1000, `+
		strings.Join([]string{at(60), at(40), at(8), at(3)}, ", ")+`
		FROM crowd_seq s JOIN crowd_areas ca ON ca.i = `+area, t0, c.DriveID)
	if db.Engine() == store.Postgres {
		for _, table := range []string{"people", "participations"} {
			run(fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %[1]s))", table))
		}
	}
	for _, table := range []string{"crowd_seq", "crowd_names", "crowd_keys", "crowd_areas"} {
		run("DROP TABLE " + table)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	if db.Engine() == store.Postgres {
		// What autovacuum does soon after a load: statistics, and the
		// visibility map that lets index-only scans skip the rows.
		if _, err := writeDB(db).ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			tb.Fatal(err)
		}
	}
}

// insertValues inserts rows into target ("table (columns)") a few hundred
// at a time.
func insertValues(tb testing.TB, tx *sql.Tx, target string, rows [][]any) {
	tb.Helper()
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), 500)]
		rows = rows[len(chunk):]
		var marks []string
		var args []any
		for _, r := range chunk {
			m := make([]string, len(r))
			for i, v := range r {
				args = append(args, v)
				m[i] = fmt.Sprintf("$%d", len(args))
			}
			marks = append(marks, "("+strings.Join(m, ", ")+")")
		}
		if _, err := tx.Exec("INSERT INTO "+target+" VALUES "+strings.Join(marks, ", "), args...); err != nil {
			tb.Fatalf("crowd: %s: %v", target, err)
		}
	}
}
