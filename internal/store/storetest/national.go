package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// nationStates are India's 28 states and 8 union territories with their
// Lok Sabha seats (543) and assembly seats (4,123; the five territories
// without a legislature have none), the national shape the dashboard is
// held to.
var nationStates = []struct {
	code, name string
	pcs, acs   int
}{
	{"AN", "Andaman and Nicobar Islands", 1, 0}, {"AP", "Andhra Pradesh", 25, 175}, {"AR", "Arunachal Pradesh", 2, 60},
	{"AS", "Assam", 14, 126}, {"BR", "Bihar", 40, 243}, {"CG", "Chhattisgarh", 11, 90}, {"CH", "Chandigarh", 1, 0},
	{"DH", "Dadra and Nagar Haveli and Daman and Diu", 2, 0}, {"DL", "Delhi", 7, 70}, {"GA", "Goa", 2, 40},
	{"GJ", "Gujarat", 26, 182}, {"HP", "Himachal Pradesh", 4, 68}, {"HR", "Haryana", 10, 90},
	{"JH", "Jharkhand", 14, 81}, {"JK", "Jammu and Kashmir", 5, 90}, {"KA", "Karnataka", 28, 224},
	{"KL", "Kerala", 20, 140}, {"LA", "Ladakh", 1, 0}, {"LD", "Lakshadweep", 1, 0}, {"MH", "Maharashtra", 48, 288},
	{"ML", "Meghalaya", 2, 60}, {"MN", "Manipur", 2, 60}, {"MP", "Madhya Pradesh", 29, 230}, {"MZ", "Mizoram", 1, 40},
	{"NL", "Nagaland", 1, 60}, {"OD", "Odisha", 21, 147}, {"PB", "Punjab", 13, 117}, {"PY", "Puducherry", 1, 30},
	{"RJ", "Rajasthan", 25, 200}, {"SK", "Sikkim", 1, 32}, {"TG", "Telangana", 17, 119}, {"TN", "Tamil Nadu", 39, 234},
	{"TR", "Tripura", 2, 60}, {"UK", "Uttarakhand", 5, 70}, {"UP", "Uttar Pradesh", 80, 403}, {"WB", "West Bengal", 42, 294},
}

// NationBooths is how many booths FillNationBooths spreads over the ACs:
// about the 10.5 lakh polling stations of a general election.
const NationBooths = 1_050_000

// FillNationAreas writes India above its booths: the country IN, its 36
// states and territories (UP, JH …), their PCs (UP-PC-01) and ACs
// (UP-AC-001), each state's ACs spread evenly over its PCs. A drive
// applied now expands its targets over 4,703 areas, not a million.
func FillNationAreas(tb testing.TB, db *store.DB) {
	tb.Helper()
	now := db.Now().UnixMilli()
	rows := [][]any{{"IN", "country", "", "India", nil, "/IN/", now, now}}
	for _, s := range nationStates {
		statePath := "/IN/" + s.code + "/"
		rows = append(rows, []any{s.code, "state", "", s.name, "IN", statePath, now, now})
		for p := range s.pcs {
			pc := fmt.Sprintf("%s-PC-%02d", s.code, p+1)
			rows = append(rows, []any{pc, "pc", fmt.Sprint(p + 1), fmt.Sprintf("%s PC %d", s.name, p+1), s.code, statePath + pc + "/", now, now})
			for a := range s.acs {
				if a*s.pcs/s.acs != p {
					continue
				}
				ac := fmt.Sprintf("%s-AC-%03d", s.code, a+1)
				rows = append(rows, []any{ac, "ac", fmt.Sprint(a + 1), fmt.Sprintf("%s AC %d", s.name, a+1), pc, statePath + pc + "/" + ac + "/", now, now})
			}
		}
	}
	tx, err := writeDB(db).BeginTx(context.Background(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	insertValues(tb, tx, "areas (code, kind, number, name_en, parent_code, path, created_at, updated_at)", rows)
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// FillNationBooths writes NationBooths booths (UP-AC-001-B-0001 on) as
// evenly over the ACs as that allows, in one statement (PostgreSQL only:
// generate_series), numbered AC by AC so neighbours have neighbouring ids.
func FillNationBooths(tb testing.TB, db *store.DB) {
	tb.Helper()
	if db.Engine() != store.Postgres {
		tb.Fatal("storetest: the national booths are written on PostgreSQL only")
	}
	acs := scalar[int64](tb, db, "SELECT count(*) FROM areas WHERE kind = 'ac'")
	now := db.Now().UnixMilli()
	exec(tb, db, `INSERT INTO areas (code, kind, number, name_en, parent_code, path, created_at, updated_at)
		SELECT b.code, 'booth', b.n::text, 'Booth ' || b.n, b.ac, b.ac_path || b.code || '/', $1, $1 FROM (
			SELECT ac.code AS ac, ac.path AS ac_path, n, ac.code || '-B-' || lpad(n::text, 4, '0') AS code
			FROM (SELECT code, path, row_number() OVER (ORDER BY code) AS i FROM areas WHERE kind = 'ac') ac
			CROSS JOIN LATERAL generate_series(1, $2 + CASE WHEN ac.i <= $3 THEN 1 ELSE 0 END) n
		) b ORDER BY b.code`, now, NationBooths/acs, NationBooths%acs)
}

// BoothDaysCounted is the share of booth-days (booths × days) of the
// drive's days holding at least one counter row.
func BoothDaysCounted(tb testing.TB, db *store.DB, driveID int64, days int) float64 {
	tb.Helper()
	var counted, booths int64
	row(tb, db, `SELECT (SELECT count(*) FROM (SELECT DISTINCT c.area_id, c.day FROM counters c JOIN areas a ON a.id = c.area_id
			WHERE c.drive_id = $1 AND a.kind = 'booth') x), (SELECT count(*) FROM areas WHERE kind = 'booth')`,
		[]any{driveID}, &counted, &booths)
	return float64(counted) / float64(booths*int64(days))
}
