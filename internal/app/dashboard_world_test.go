package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// dashWorld is a served Jodo on day 11 of the 30-day drive jh-dash (5
// lakh members over Jharkhand shared among its ACs, 1,000 volunteers in
// each PC) with known
// counts: Ranchi's PC ahead on volunteers, Rajmahal's behind, 61 booths in
// Ranchi's AC (one named like a spreadsheet formula), and 100 missed
// callers not yet placed. extra is more of the server's environment, in
// pairs (JODO_DASHBOARD_POLL, 1s).
type dashWorld struct {
	*consoleWorld
	ids map[string]int64
}

// dashDays: the drive began ten days ago (today is day 11) and ends in 19.
const dashBegan, dashEnds = -10, 19

func newDashWorld(t *testing.T, extra ...string) *dashWorld {
	t.Helper()
	dbURL := storetest.URL(t)
	mustJodo(t, dbURL, "migrate")
	mustJodo(t, dbURL, "import", "areas", "builtin:jharkhand")
	today := time.Now().In(time.FixedZone("IST", 19800))
	file := filepath.Join(t.TempDir(), "drive.json")
	os.WriteFile(file, fmt.Appendf(nil, `{"version":1,"slug":"jh-dash","name":"Dashboard drive","language":"en",
		"starts_on":%q,"ends_on":%q,"timezone":"Asia/Kolkata","root_area":"JH",
		"channels":[{"kind":"missed_call","number":"1800 000 0000"}],
		"targets":["state JH: 500000 members","each ac: share members equally","each pc: 1000 volunteers"]}`,
		today.AddDate(0, 0, dashBegan).Format(time.DateOnly), today.AddDate(0, 0, dashEnds).Format(time.DateOnly)), 0o600)
	mustJodo(t, dbURL, "drive", "apply", file)
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	w := &dashWorld{consoleWorld: &consoleWorld{t: t, gw: gw, base: smsServe(t, dbURL, gw, extra...)}}
	w.db = storetest.Attach(t, dbURL)
	w.booths()
	ctx := context.Background()
	d, err := w.db.DriveBySlug(ctx, "jh-dash")
	if err != nil {
		t.Fatal(err)
	}
	w.driveID = d.ID
	rajmahal, err := w.db.ListAreas(ctx, store.AreaFilter{Parent: "JH-PC-01"})
	if err != nil || len(rajmahal) == 0 {
		t.Fatalf("Rajmahal's ACs: %v %v", rajmahal, err)
	}
	w.ids = storetest.AreaIDs(t, w.db, "JH", "JH-AC-063", "JH-AC-063-B-0001", rajmahal[0].Code)
	w.ids["rajmahal-ac"] = w.ids[rajmahal[0].Code]
	// The last seven whole days (days 4–10): 60 volunteers a day in
	// Ranchi, 10 in Rajmahal; today, nothing yet.
	for day := -7; day <= -1; day++ {
		on := today.AddDate(0, 0, day).Format(time.DateOnly)
		w.count("JH-AC-063-B-0001", "volunteers", on, "web", 60)
		w.count("rajmahal-ac", "volunteers", on, "web", 10)
	}
	w.count("JH-AC-063", "members", today.Format(time.DateOnly), "whatsapp", 123456)
	w.count("JH", "leads", today.Format(time.DateOnly), "missed_call", 100)
	return w
}

// booths adds Ranchi AC's 60 booths and one whose name is a formula.
func (w *dashWorld) booths() {
	w.t.Helper()
	var booths []geo.Area
	for n := 1; n <= 61; n++ {
		name := fmt.Sprintf("Booth %d", n)
		if n == 61 {
			name = `=HYPERLINK("http://evil.example","x")`
		}
		booths = append(booths, geo.Area{Code: fmt.Sprintf("JH-AC-063-B-%04d", n), Kind: "booth", Number: fmt.Sprint(n), NameEN: name, Parent: "JH-AC-063"})
	}
	if _, err := w.db.ImportAreas(context.Background(), geo.Importer(booths)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *dashWorld) count(area, metric, day, channel string, n int64) {
	w.t.Helper()
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		return store.AddCounters(ctx, tx, []store.CounterDelta{{DriveID: w.driveID, AreaID: w.ids[area], Metric: metric, Day: day, Channel: channel, Value: n}})
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// revokeAll takes every role from the staff member on phone, as an admin
// would, leaving their session as it is.
func (w *dashWorld) revokeAll(phone string) {
	w.t.Helper()
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		person, err := store.FindByContact(ctx, tx, "phone", phone)
		if err != nil {
			return err
		}
		_, err = store.RevokeRoles(ctx, tx, person, "", "cli:test")
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
}
