package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// recruitersSize is the number of recruiters the leaderboard benchmark
// ranks: nine in ten of the crowd have an area, and each is credited.
const recruitersSize = 100_000

// fillCredits gives every crowd member with an area a credit in the drive:
// 0 to 39 direct recruits and 0 to 99 indirect ones, spread by a hash.
func fillCredits(tb testing.TB, db *store.DB, driveID int64) {
	tb.Helper()
	w := rawsql.DB(db)
	if _, err := w.Exec(`INSERT INTO recruiter_credits (drive_id, person_id, area_id, direct, indirect, updated_at)
		SELECT drive_id, person_id, area_id, (id * 2654435761) % 4294967296 % 40, (id * 2246822519) % 4294967296 % 100, first_seen_at
		FROM participations WHERE drive_id = $1 AND area_id IS NOT NULL`, driveID); err != nil {
		tb.Fatal(err)
	}
	if db.Engine() == store.Postgres {
		if _, err := w.Exec("VACUUM ANALYZE recruiter_credits"); err != nil {
			tb.Fatal(err)
		}
	}
}

// checkLeaders checks a leaderboard against every credit in the scope,
// ranked by hand: the same recruiters in the same order.
func checkLeaders(tb testing.TB, db *store.DB, driveID int64, code string) []store.RecruiterRow {
	tb.Helper()
	ctx := context.Background()
	scope, err := db.ScopeAreas(ctx, []string{code})
	if err != nil {
		tb.Fatal(err)
	}
	got, err := db.TopRecruiters(ctx, store.RecruiterQuery{Scope: scope, DriveID: driveID})
	if err != nil {
		tb.Fatal(err)
	}
	rows, err := rawsql.DB(db).Query(`SELECT c.person_id, c.direct, c.indirect, a.path FROM recruiter_credits c
		JOIN areas a ON a.id = c.area_id WHERE c.drive_id = $1 AND (c.direct > 0 OR c.indirect > 0)`, driveID)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var all []store.RecruiterRow
	for rows.Next() {
		var r store.RecruiterRow
		var path string
		if err := rows.Scan(&r.PersonID, &r.Direct, &r.Indirect, &path); err != nil {
			tb.Fatal(err)
		}
		if slices.ContainsFunc(scope, func(a store.Area) bool { return strings.HasPrefix(path, a.Path) }) {
			all = append(all, r)
		}
	}
	slices.SortFunc(all, func(a, b store.RecruiterRow) int {
		if a.Direct != b.Direct {
			return int(b.Direct - a.Direct)
		}
		if a.Indirect != b.Indirect {
			return int(b.Indirect - a.Indirect)
		}
		return int(a.PersonID - b.PersonID)
	})
	want := all[:min(50, len(all))]
	if len(got) != len(want) || len(want) == 0 {
		tb.Fatalf("%s: %d leaders, want %d", code, len(got), len(want))
	}
	for i := range want {
		if got[i].PersonID != want[i].PersonID || got[i].Direct != want[i].Direct || got[i].Indirect != want[i].Indirect || got[i].Name == "" {
			tb.Fatalf("%s: leader %d is %+v, want %+v", code, i, got[i], want[i])
		}
	}
	return got
}

// The leaderboard of the state, a district and an AC are the top 50 of
// their credits by direct, then indirect, then person; a scope that is
// no area of the store lists none.
func TestTopRecruiters(t *testing.T) {
	skipUnderRace(t)
	w := smallCrowd(t, 3_000)
	fillCredits(t, w.db, w.drive)
	checkLeaders(t, w.db, w.drive, "JH")
	checkLeaders(t, w.db, w.drive, "JH-D-RANCHI")
	for _, r := range checkLeaders(t, w.db, w.drive, "JH-AC-063") {
		if r.Area.Code != "JH-AC-063" {
			t.Fatalf("%+v is not at JH-AC-063", r)
		}
	}
	none, err := w.db.TopRecruiters(context.Background(), store.RecruiterQuery{Scope: []store.Area{{Code: "JH"}}, DriveID: w.drive})
	if err != nil || len(none) != 0 {
		t.Fatalf("a scope without a path lists %d, %v", len(none), err)
	}
}

// BenchmarkTopRecruiters times the top 50 of the state, a district and an
// AC among 1,00,000 recruiters.
func BenchmarkTopRecruiters(b *testing.B) {
	ctx := context.Background()
	db := storetest.Cached(b, "recruiters_crowd_1", storetest.NewClock(fixtureStart), func(db *store.DB) {
		fillCredits(b, db, fillCrowd(b, db, recruitersSize*10/9+1))
	})
	d, err := db.DriveBySlug(ctx, "jh")
	if err != nil {
		b.Fatal(err)
	}
	for _, code := range []string{"JH", "JH-D-RANCHI", "JH-AC-063"} {
		b.Run(code, func(b *testing.B) {
			checkLeaders(b, db, d.ID, code)
			scope, err := db.ScopeAreas(ctx, []string{code})
			if err != nil {
				b.Fatal(err)
			}
			timeSearch(b, func() error {
				_, err := db.TopRecruiters(ctx, store.RecruiterQuery{Scope: scope, DriveID: d.ID})
				return err
			})
		})
	}
}
