package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const referenceDrive = drivetest.Reference

type progressWorld struct {
	db    *store.DB
	clock *storetest.Clock
	base  string
	drive store.Drive
}

// newProgressWorld: Jharkhand, the reference drive, and "now" on its 11th
// day (22 Feb, 12:00 IST), so 20 days are left counting today.
func newProgressWorld(t *testing.T) *progressWorld {
	t.Helper()
	clock := storetest.NewClock(time.Date(2026, 2, 22, 6, 30, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	d := drivetest.Load(t, db, nil, referenceDrive)["jh-warriors"]
	return &progressWorld{db: db, clock: clock, base: startAPI(t, db).URL, drive: d}
}

func (w *progressWorld) token(t *testing.T, name string, areas ...string) string {
	t.Helper()
	tok, err := access.CreateToken(context.Background(), w.db, name, "viewer", areas, false)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type progressOut struct {
	Drive     string         `json:"drive"`
	Area      string         `json:"area"`
	DaysTotal int            `json:"days_total"`
	DaysLeft  int            `json:"days_left"`
	Metrics   []metricOut    `json:"metrics"`
	Children  []childOut     `json:"children"`
	Error     *errorOut      `json:"-"`
	Raw       map[string]any `json:"-"`
}

type metricOut struct {
	Metric            string           `json:"metric"`
	Target            *int64           `json:"target"`
	Actual            int64            `json:"actual"`
	Percent           *float64         `json:"percent"`
	RequiredDailyPace *float64         `json:"required_daily_pace"`
	RecentDailyPace   *float64         `json:"recent_daily_pace"`
	Status            string           `json:"status"`
	StatusReason      string           `json:"status_reason"`
	ByChannel         map[string]int64 `json:"by_channel"`
}

type childOut struct {
	Area    string      `json:"area"`
	Kind    string      `json:"kind"`
	Metrics []metricOut `json:"metrics"`
}

func (p progressOut) metric(name string) metricOut { return findMetric(p.Metrics, name) }

func findMetric(ms []metricOut, name string) metricOut {
	for _, m := range ms {
		if m.Metric == name {
			return m
		}
	}
	return metricOut{}
}

func (w *progressWorld) get(t *testing.T, token, query string, v any) int {
	t.Helper()
	return w.getReport(t, token, "progress", query, v)
}

// getReport asks for one of the drive's reports (progress, series).
func (w *progressWorld) getReport(t *testing.T, token, report, query string, v any) int {
	t.Helper()
	resp := getAs(t, token, w.base+"/api/v1/drives/jh-warriors/"+report+"?"+query)
	defer resp.Body.Close()
	decodeJSON(t, resp, v)
	return resp.StatusCode
}

func TestProgressTargetsAndCalendar(t *testing.T) {
	w := newProgressWorld(t)
	admin := w.token(t, "state", "JH")
	var p progressOut
	if code := w.get(t, admin, "area=JH&children=1", &p); code != 200 {
		t.Fatalf("progress: %d", code)
	}
	if p.DaysTotal != 30 || p.DaysLeft != 20 {
		t.Errorf("days: total %d left %d, want 30 and 20", p.DaysTotal, p.DaysLeft)
	}
	members := p.metric("members")
	if members.Target == nil || *members.Target != 500000 || members.Actual != 0 || *members.Percent != 0 || *members.RequiredDailyPace != 25000 {
		t.Errorf("JH members: %+v", members)
	}
	if leads := p.metric("leads"); leads.Target != nil || leads.Percent != nil || leads.RequiredDailyPace != nil {
		t.Errorf("leads have no target and must say null: %+v", leads)
	}
	pcs := 0
	for _, c := range p.Children {
		if c.Kind != "pc" {
			continue
		}
		pcs++
		v, g := findMetric(c.Metrics, "volunteers"), findMetric(c.Metrics, "groups")
		if v.Target == nil || *v.Target != 1000 || g.Target == nil || *g.Target != 10000 {
			t.Errorf("%s: volunteers %v groups %v, want 1000 and 10000", c.Area, v.Target, g.Target)
		}
	}
	if pcs != 14 {
		t.Errorf("%d PC children, want 14", pcs)
	}
	// After the last day: 0 days left, no pace.
	w.clock.Set(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC))
	w.get(t, admin, "area=JH", &p)
	if p.DaysLeft != 0 || p.metric("members").RequiredDailyPace != nil {
		t.Errorf("after the end: days_left %d pace %v", p.DaysLeft, p.metric("members").RequiredDailyPace)
	}
}

func TestProgressScopes(t *testing.T) {
	w := newProgressWorld(t)
	ranchiPC := w.token(t, "ranchi-pc", "JH-PC-08")
	ranchiDistrict := w.token(t, "ranchi-district", "JH-D-RANCHI")
	for _, tc := range []struct {
		token, area string
		want        int
	}{
		{ranchiPC, "JH-AC-063", 200},
		{ranchiPC, "JH-PC-08", 200},
		{ranchiPC, "JH-PC-01", 403},
		{ranchiPC, "JH", 403},
		{ranchiPC, "JH-D-RANCHI", 403}, // the district has ACs outside PC 08
		{ranchiDistrict, "JH-AC-063", 200},
		{ranchiDistrict, "JH-D-RANCHI", 200},
		{ranchiDistrict, "JH-PC-08", 403},
		{"", "JH-AC-063", 401},
		{"jodo_not-a-real-token", "JH-AC-063", 401},
		{ranchiPC, "JH-AC-999", 404},
	} {
		var out map[string]any
		if code := w.get(t, tc.token, "area="+tc.area, &out); code != tc.want {
			t.Errorf("token %.12s… area %s: %d, want %d (%v)", tc.token, tc.area, code, tc.want, out)
		}
	}
	if err := w.db.RevokeToken(context.Background(), "ranchi-pc"); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if code := w.get(t, ranchiPC, "area=JH-AC-063", &out); code != 401 {
		t.Errorf("revoked token: %d, want 401", code)
	}
}

// A registration moves members at its AC and everything above it, by
// channel and day; a day range outside it shows nothing.
func TestProgressCountsRegistrations(t *testing.T) {
	ctx := context.Background()
	w := newProgressWorld(t)
	ids := storetest.AreaIDs(t, w.db, "JH-AC-063")
	day := drive.DayOf(w.clock.Now(), time.FixedZone("IST", 19800))
	for i := range 3 {
		err := w.db.Update(ctx, func(tx *store.Tx) error {
			person, err := store.CreatePerson(ctx, tx, store.Person{Name: "Member"})
			if err != nil {
				return err
			}
			part, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person, DriveID: w.drive.ID, Channel: "missed_call", Day: day})
			if err != nil {
				return err
			}
			if i < 2 {
				_, err = store.ReachStage(ctx, tx, part, store.StageRegistered, ids["JH-AC-063"], "web", day)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	admin := w.token(t, "state", "JH")
	var p progressOut
	w.get(t, admin, "area=JH", &p)
	if m := p.metric("members"); m.Actual != 2 || m.ByChannel["web"] != 2 {
		t.Errorf("JH members: %+v", m)
	}
	if l := p.metric("leads"); l.Actual != 3 || l.ByChannel["missed_call"] != 3 {
		t.Errorf("JH leads (counted at the root): %+v", l)
	}
	w.get(t, admin, "area=JH-AC-063", &p)
	if m := p.metric("members"); m.Actual != 2 || m.Target == nil || *m.Target != 6173 {
		t.Errorf("AC 63 members: actual %d target %v, want 2 of 6173", m.Actual, m.Target)
	}
	w.get(t, admin, "area=JH-D-RANCHI", &p)
	if m := p.metric("members"); m.Actual != 2 {
		t.Errorf("Ranchi district members: %d, want 2", m.Actual)
	}
	w.get(t, admin, "area=JH&from=2026-02-12&to=2026-02-21", &p)
	if m := p.metric("members"); m.Actual != 0 || *m.RequiredDailyPace != float64(500000-2)/20 {
		t.Errorf("members before today: actual %d pace %v", m.Actual, *m.RequiredDailyPace)
	}
	var bad errorOut
	if code := w.get(t, admin, "area=JH&from=22-02-2026", &bad); code != 400 || bad.Error.Code != "invalid" {
		t.Errorf("bad date: %d %+v", code, bad)
	}
}

func TestDrivesListNeedsToken(t *testing.T) {
	w := newProgressWorld(t)
	resp, err := http.Get(w.base + "/api/v1/drives")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("drives without token: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", w.base+"/api/v1/drives", nil)
	req.Header.Set("Authorization", "Bearer "+w.token(t, "x", "JH-AC-063"))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Drives []struct{ Slug, Name, StartsOn, EndsOn, Timezone string } `json:"drives"`
	}
	decodeJSON(t, resp, &out)
	if len(out.Drives) != 1 || out.Drives[0].Slug != "jh-warriors" {
		t.Fatalf("drives: %+v", out)
	}
}
