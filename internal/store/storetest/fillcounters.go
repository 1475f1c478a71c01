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

// Density is how many booth-days in a million count metric on channel.
type Density struct {
	Metric, Channel string
	PerMillion      int
}

// boothPerMille is, per metric and channel, how many booth-days in a
// thousand have a counter row where a drive is busy at every booth every
// day: leads are common, office bearers rare.
var boothPerMille = []struct {
	metric   string
	channels [4]int // missed_call, whatsapp, web, sms
}{
	{"leads", [4]int{350, 250, 120, 60}},
	{"members", [4]int{250, 180, 80, 40}},
	{"verified", [4]int{200, 150, 60, 30}},
	{"volunteers", [4]int{60, 50, 20, 10}},
	{"office_bearers", [4]int{10, 10, 5, 5}},
	{"groups", [4]int{30, 30, 10, 10}},
	{"active", [4]int{150, 120, 50, 30}},
}

// BoothDensities is every metric and channel's share of booth-days,
// boothPerMille scaled: each per mille counts scale in a million. 1000
// keeps the mix as it is, a state's drive busy at every booth (96 % of
// booth-days have a row); 44 is a nation's, where about one booth-day in
// ten has any.
func BoothDensities(scale int) []Density {
	var out []Density
	for _, m := range boothPerMille {
		for c, channel := range [4]string{"missed_call", "whatsapp", "web", "sms"} {
			out = append(out, Density{Metric: m.metric, Channel: channel, PerMillion: m.channels[c] * scale})
		}
	}
	return out
}

// FillCounters writes a drive's counters as a whole state's (or the
// nation's) drive would have them after days days from first, in a few
// statements rather than through the store (millions of rows): at booths,
// a pseudo-random share of booth-days per density; at ACs, members with no
// booth; at the drive's root, missed-call leads; then the totals bottom-up
// and over the drive. It returns how many own and total rows it wrote.
func FillCounters(tb testing.TB, db *store.DB, driveID int64, first time.Time, days int, densities []Density) (own, totals int64) {
	tb.Helper()
	ctx := context.Background()
	var dayRows, combos []string
	for n := range days {
		dayRows = append(dayRows, fmt.Sprintf("(%d, '%s')", n, first.AddDate(0, 0, n).Format(time.DateOnly)))
	}
	for i, d := range densities {
		combos = append(combos, fmt.Sprintf("(%d, '%s', '%s', %d)", i, d.Metric, d.Channel, d.PerMillion))
	}
	with := `WITH days (n, day) AS (VALUES ` + strings.Join(dayRows, ", ") + `),
		combos (m, metric, channel, per_million) AS (VALUES ` + strings.Join(combos, ", ") + `)`
	w := writeDB(db)
	for _, q := range []string{
		// Booths: k numbers (booth, day, combo); the high bits of a
		// multiplicative hash of k pick the rows.
		with + ` INSERT INTO counters (drive_id, area_id, metric, day, channel, value)
		SELECT CAST($1 AS BIGINT), area_id, metric, day, channel, 1 + k % 7 FROM (
			SELECT a.id AS area_id, d.day, c.metric, c.channel, c.per_million, (a.id * 30 + d.n) * 28 + c.m AS k
			FROM areas a CROSS JOIN days d CROSS JOIN combos c WHERE a.kind = 'booth'
		) x WHERE (k * 2654435761) % 4294967296 * 1000000 / 4294967296 < per_million`,
		// ACs: members who gave their constituency but no booth.
		with + ` INSERT INTO counters (drive_id, area_id, metric, day, channel, value)
		SELECT CAST($1 AS BIGINT), a.id, 'members', d.day, 'web', 1 + (a.id + d.n) % 9 FROM areas a CROSS JOIN days d WHERE a.kind = 'ac'`,
		// The root: missed-call leads, whose area is not known yet.
		with + ` INSERT INTO counters (drive_id, area_id, metric, day, channel, value)
		SELECT CAST($1 AS BIGINT), r.root_area_id, 'leads', d.day, 'missed_call', 400 + 13 * d.n FROM drives r CROSS JOIN days d WHERE r.id = $1`,
	} {
		if _, err := w.ExecContext(ctx, q, driveID); err != nil {
			tb.Fatalf("counters: %v", err)
		}
	}
	fillTotals(tb, w, driveID)
	if db.Engine() == store.Postgres {
		Analyze(tb, db)
	}
	for table, n := range map[string]*int64{"counters": &own, "counter_totals": &totals} {
		if err := w.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(n); err != nil {
			tb.Fatal(err)
		}
	}
	return own, totals
}

// fillTotals sums the own rows up the tree: an area's own rows plus its
// children's totals, then the whole-drive totals, the daily totals without
// the day.
func fillTotals(tb testing.TB, w *sql.DB, driveID int64) {
	tb.Helper()
	ctx := context.Background()
	for _, kind := range []string{"booth", "ac", "pc", "state", "country"} {
		_, err := w.ExecContext(ctx, `INSERT INTO counter_totals (drive_id, area_id, metric, day, channel, value)
			SELECT drive_id, area_id, metric, day, channel, sum(value) FROM (
				SELECT c.drive_id, c.area_id, c.metric, c.day, c.channel, c.value
				FROM counters c JOIN areas a ON a.id = c.area_id WHERE a.kind = $1 AND c.drive_id = $2
				UNION ALL
				SELECT t.drive_id, p.id, t.metric, t.day, t.channel, t.value
				FROM counter_totals t JOIN areas ch ON ch.id = t.area_id JOIN areas p ON p.code = ch.parent_code
				WHERE p.kind = $1 AND t.drive_id = $2
			) x GROUP BY drive_id, area_id, metric, day, channel`, kind, driveID)
		if err != nil {
			tb.Fatalf("counter totals at %s: %v", kind, err)
		}
	}
	_, err := w.ExecContext(ctx, `INSERT INTO counter_drive_totals (drive_id, area_id, metric, channel, value)
		SELECT drive_id, area_id, metric, channel, sum(value) FROM counter_totals WHERE drive_id = $1 GROUP BY drive_id, area_id, metric, channel`, driveID)
	if err != nil {
		tb.Fatalf("drive totals: %v", err)
	}
}

// Areas picks the areas whose own counters OwnSums adds up.
type Areas struct {
	where string
	arg   string
}

// Under picks the areas below path ("/IN/JH/").
func Under(path string) Areas { return Areas{"path LIKE $4", path + "%"} }

// AreaAndChildren picks the area with code and its children.
func AreaAndChildren(code string) Areas { return Areas{"code = $4 OR parent_code = $4", code} }

// Area picks the area with code.
func Area(code string) Areas { return Areas{"code = $4", code} }

// District picks the district's areas and their children.
func District(code string) Areas {
	return Areas{"district_code = $4 OR parent_code IN (SELECT code FROM areas WHERE district_code = $4)", code}
}

// OwnSums sums the drive's own counter rows of the areas picked, by metric
// and channel, over from..to ("" for the whole drive).
func OwnSums(tb testing.TB, db *store.DB, driveID int64, areas Areas, from, to string) map[string]map[string]int64 {
	tb.Helper()
	if from == "" {
		from, to = "0000-00-00", "9999-99-99"
	}
	out := map[string]map[string]int64{}
	each(tb, db, func(rows *sql.Rows) error {
		var metric, channel string
		var v int64
		if err := rows.Scan(&metric, &channel, &v); err != nil {
			return err
		}
		if out[metric] == nil {
			out[metric] = map[string]int64{}
		}
		out[metric][channel] = v
		return nil
	}, `SELECT metric, channel, sum(value) FROM counters
		WHERE drive_id = $1 AND day >= $2 AND day <= $3 AND area_id IN (SELECT id FROM areas WHERE `+areas.where+`)
		GROUP BY metric, channel`, driveID, from, to, areas.arg)
	return out
}
