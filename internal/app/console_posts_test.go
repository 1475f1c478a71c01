package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// postsWorld is the console world with a second drive, jh-posts, that
// has the reference drive's posts and its volunteer and office bearer
// targets (1,000 and 100 a PC), and volunteers in it.
type postsWorld struct {
	*consoleWorld
	drive store.Drive
}

func newPostsWorld(t *testing.T) *postsWorld {
	t.Helper()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "en")
	ist := time.FixedZone("IST", 19800)
	file := filepath.Join(t.TempDir(), "posts.json")
	os.WriteFile(file, fmt.Appendf(nil, `{"version":1,"slug":"jh-posts","name":"Karyakarta — Jharkhand",
		"starts_on":%q,"ends_on":%q,"timezone":"Asia/Kolkata","root_area":"JH",
		"channels":[{"kind":"missed_call","number":"1800 000 0001"}],
		"targets":["each pc: 1000 volunteers","each pc: 100 office_bearers"],
		"posts":[{"code":"pc-sm-coordinator","title":"PC social media coordinator","title_local":"लोकसभा सोशल मीडिया समन्वयक","area_kind":"pc"},
		{"code":"ac-sm-convenor","title":"AC social media convenor","title_local":"विधानसभा सोशल मीडिया संयोजक","area_kind":"ac"},
		{"code":"booth-digital-volunteer","title":"Booth digital volunteer","area_kind":"booth","many":true}]}`,
		time.Now().In(ist).AddDate(0, 0, -1).Format(time.DateOnly), time.Now().In(ist).AddDate(0, 0, 29).Format(time.DateOnly)), 0o600)
	mustJodo(t, dbURL, "drive", "apply", file)
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	w := &consoleWorld{t: t, gw: gw, base: smsServe(t, dbURL, gw), db: storetest.Attach(t, dbURL), dbURL: dbURL}
	d, err := w.db.DriveBySlug(context.Background(), "jh-posts")
	if err != nil {
		t.Fatal(err)
	}
	w.driveID = d.ID
	return &postsWorld{consoleWorld: w, drive: d}
}

// volunteer makes a member of jh-posts at ac, phone proven, who
// volunteers there.
func (w *postsWorld) volunteer(name, phone, ac string) int64 {
	w.t.Helper()
	id := w.member(name, phone, ac)
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := store.VerifyContact(ctx, tx, store.ContactPhone, phone); err != nil {
			return err
		}
		_, err := people.New([]byte(processSecretKey)).Volunteer(ctx, tx, people.Volunteering{PersonID: id, DriveID: w.drive.ID, Agreed: true,
			Area: ac, Languages: []string{"hi"}, NoticeVersion: "test", Language: "hi", Channel: "web", Evidence: "test"})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// progress reads a metric's actual and target at area from the progress
// API with token.
func (w *postsWorld) progress(token, area string) map[string][2]int64 {
	w.t.Helper()
	r := w.api(token, http.MethodGet, "/api/v1/drives/jh-posts/progress?area="+area, "")
	if r.status != http.StatusOK {
		w.t.Fatalf("progress at %s: %d %s", area, r.status, r.body)
	}
	var rep struct {
		Metrics []struct {
			Metric string `json:"metric"`
			Target *int64 `json:"target"`
			Actual int64  `json:"actual"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
		w.t.Fatal(err)
	}
	out := map[string][2]int64{}
	for _, m := range rep.Metrics {
		var target int64
		if m.Target != nil {
			target = *m.Target
		}
		out[m.Metric] = [2]int64{m.Actual, target}
	}
	return out
}

func (w *postsWorld) api(token, method, path, body string) answer {
	w.t.Helper()
	return w.do(noRedirects(), method, path, strings.NewReader(body), http.Header{"Authorization": {"Bearer " + token},
		"Content-Type": {"application/json"}})
}

// The story over HTTP: a coordinator of Ranchi (JH-AC-063)
// appoints a volunteer AC social media convenor there (+1 office bearers,
// as the progress API shows), cannot appoint in Dhanbad, vacates and
// appoints again (net +1; the history holds three events), and a held
// post offers to replace its holder; a viewer is refused; the API
// appoints the same way and names no one; the PC's progress shows
// volunteers and office bearers against 1,000 and 100.
func TestConsolePosts(t *testing.T) {
	t.Parallel()
	w := newPostsWorld(t)
	ctx := context.Background()
	asha := w.volunteer("Asha Oraon", "+919876533301", "JH-AC-063")
	birsa := w.volunteer("Birsa Munda", "+919876533302", "JH-AC-063")
	dhanbad := w.volunteer("Ramesh Dhanbad", "+919876533303", "JH-AC-040")
	coord := w.staffClient("+919876533310", "Coordinator Ranchi", access.Coordinator, "JH-AC-063")
	token, err := access.CreateToken(ctx, w.db, "posts-test", string(access.Coordinator), []string{"JH-PC-08"}, false)
	if err != nil {
		t.Fatal(err)
	}

	appoint := func(c *http.Client, person int64, area string, extra ...string) answer {
		form := url.Values{"drive": {"jh-posts"}, "post": {"ac-sm-convenor"}, "area": {area}, "person": {strconv.FormatInt(person, 10)}, "lang": {"en"}}
		for i := 0; i+1 < len(extra); i += 2 {
			form.Set(extra[i], extra[i+1])
		}
		return w.post(c, "/console/posts/appoint", form, nil)
	}
	r := appoint(coord, asha, "JH-AC-063")
	if r.status != http.StatusSeeOther || r.location != fmt.Sprintf("/console/people/%d?done=appointed", asha) {
		t.Fatalf("appointing: %d to %q\n%.600s", r.status, r.location, r.body)
	}
	if got := w.progress(token, "JH-AC-063")["office_bearers"][0]; got != 1 {
		t.Fatalf("office bearers at JH-AC-063 after appointing: %d, want 1", got)
	}
	if r := appoint(coord, dhanbad, "JH-AC-040"); r.status != http.StatusForbidden {
		t.Errorf("appointing in Dhanbad from Ranchi: %d, want 403", r.status)
	}
	if r := appoint(coord, asha, "JH-PC-08"); r.status != http.StatusForbidden {
		t.Errorf("appointing at the PC above Ranchi: %d, want 403", r.status)
	}
	if r := w.post(coord, "/console/posts/appoint", url.Values{"drive": {"jh-posts"}, "post": {"pc-sm-coordinator"}, "area": {"JH-AC-063"},
		"person": {strconv.FormatInt(asha, 10)}, "lang": {"hi"}}, nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "यह नियुक्ति सही नहीं बैठती") {
		t.Errorf("a PC's post at an AC: %d, want 422 in Hindi\n%.800s", r.status, r.body)
	}

	// Held: the page says so, by whom, and offers to replace them.
	r = appoint(coord, birsa, "JH-AC-063", "back", "/console/posts?drive=jh-posts&area=JH-AC-063")
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Asha Oraon") || !strings.Contains(r.body, `name="replace" value="1"`) {
		t.Fatalf("appointing to a held post: %d\n%.1500s", r.status, r.body)
	}
	r = appoint(coord, birsa, "JH-AC-063", "replace", "1", "back", "/console/posts?drive=jh-posts&area=JH-AC-063")
	if r.status != http.StatusSeeOther || r.location != "/console/posts?drive=jh-posts&area=JH-AC-063&done=appointed" {
		t.Fatalf("replacing the holder: %d to %q\n%.600s", r.status, r.location, r.body)
	}
	body := w.want(coord, "/console/posts?drive=jh-posts&area=JH-AC-063&done=appointed&lang=en", http.StatusOK,
		"Birsa Munda", fmt.Sprintf(`href="/console/people/%d"`, birsa), "Filled 1 of 1", "The volunteer was appointed.")
	if strings.Contains(body, "Asha Oraon") {
		t.Errorf("the replaced holder is still on the chart")
	}

	// Vacate Birsa, appoint Asha again: three events in Asha's history.
	held := w.live(birsa)
	r = w.post(coord, "/console/posts/vacate", url.Values{"appointment": {strconv.FormatInt(held.ID, 10)}, "lang": {"en"}}, nil)
	if r.status != http.StatusSeeOther || r.location != fmt.Sprintf("/console/people/%d?done=vacated", birsa) {
		t.Fatalf("vacating: %d to %q", r.status, r.location)
	}
	w.want(coord, "/console/posts?drive=jh-posts&area=JH-AC-063&lang=en", http.StatusOK, "VACANT", "Filled 0 of 1")
	w.want(coord, "/console/posts?drive=jh-posts&area=JH-AC-063&lang=hi", http.StatusOK, "ख़ाली", "1 में से 0 पद भरे", "विधानसभा सोशल मीडिया संयोजक")
	if got := w.progress(token, "JH-AC-063")["office_bearers"][0]; got != 0 {
		t.Fatalf("office bearers after vacating: %d, want 0", got)
	}
	if r := appoint(coord, asha, "JH-AC-063"); r.status != http.StatusSeeOther {
		t.Fatalf("appointing again: %d", r.status)
	}
	var history []store.Appointment
	err = w.db.View(ctx, func(tx *store.Tx) error {
		history, err = store.AppointmentsOf(ctx, tx, asha)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 || history[0].VacatedWhy != store.Replaced || !history[1].VacatedAt.IsZero() {
		t.Fatalf("Asha's history (appointed, vacated by a replacement, appointed): %+v", history)
	}
	if got := w.progress(token, "JH-AC-063")["office_bearers"][0]; got != 1 {
		t.Fatalf("office bearers after appointing again: %d, want 1", got)
	}

	// A viewer reads no chart and appoints no one; no session signs in.
	viewer := w.staffClient("+919876533311", "Viewer Jharkhand", access.Viewer, "JH")
	w.want(viewer, "/console/posts?lang=en", http.StatusForbidden)
	if r := appoint(viewer, birsa, "JH-AC-063"); r.status != http.StatusForbidden {
		t.Errorf("a viewer appointing: %d, want 403", r.status)
	}
	if r := appoint(noRedirects(), birsa, "JH-AC-063"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin") {
		t.Errorf("appointing without a session: %d to %q", r.status, r.location)
	}

	// The API: the PC's coordinator appoints the PC's coordinator; the
	// answer names no one.
	r = w.api(token, http.MethodPost, "/api/v1/posts", fmt.Sprintf(`{"drive":"jh-posts","post":"pc-sm-coordinator","area":"JH-PC-08","person":%d}`, birsa))
	var got struct {
		ID          int64     `json:"id"`
		Drive       string    `json:"drive"`
		Post        string    `json:"post"`
		Area        string    `json:"area"`
		Person      int64     `json:"person"`
		AppointedAt time.Time `json:"appointed_at"`
	}
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &got) != nil || got.ID == 0 || got.Drive != "jh-posts" ||
		got.Post != "pc-sm-coordinator" || got.Area != "JH-PC-08" || got.Person != birsa || got.AppointedAt.IsZero() {
		t.Fatalf("appointing by the API: %d %s", r.status, r.body)
	}
	if strings.Contains(r.body, "Birsa") || strings.Contains(r.body, "33302") {
		t.Errorf("the API's answer names the person: %s", r.body)
	}
	if r := w.api(token, http.MethodPost, "/api/v1/posts", fmt.Sprintf(`{"drive":"jh-posts","post":"pc-sm-coordinator","area":"JH-PC-08","person":%d}`, asha)); r.status != http.StatusConflict {
		t.Errorf("appointing to a held post by the API: %d, want 409", r.status)
	}
	if r := w.api(token, http.MethodPost, "/api/v1/posts", fmt.Sprintf(`{"drive":"jh-posts","post":"ac-sm-convenor","area":"JH-AC-040","person":%d}`, dhanbad)); r.status != http.StatusForbidden {
		t.Errorf("appointing in Dhanbad by a PC-08 token: %d, want 403", r.status)
	}
	for _, bad := range []string{`{"drive":"jh-posts"}`, `{"drive":"jh-posts","post":"x","area":"JH-PC-08","person":1,"replce":true}`, `drive=jh-posts`} {
		if r := w.api(token, http.MethodPost, "/api/v1/posts", bad); r.status != http.StatusBadRequest {
			t.Errorf("posting %s: %d, want 400", bad, r.status)
		}
	}
	p := w.progress(token, "JH-PC-08")
	if p["volunteers"] != [2]int64{2, 1000} || p["office_bearers"] != [2]int64{2, 100} {
		t.Errorf("progress at JH-PC-08: %v, want volunteers 2 of 1000 and office bearers 2 of 100", p)
	}
	r = w.api(token, http.MethodPost, "/api/v1/posts/vacate", fmt.Sprintf(`{"appointment":%d}`, got.ID))
	if r.status != http.StatusOK || !strings.Contains(r.body, `"vacated_why":"vacated"`) {
		t.Errorf("vacating by the API: %d %s", r.status, r.body)
	}
	if p := w.progress(token, "JH-PC-08"); p["office_bearers"][0] != 1 {
		t.Errorf("office bearers at the PC after vacating by the API: %v", p["office_bearers"])
	}

	// The PC's chart, read by a PC coordinator: the PC's post vacant,
	// Ranchi's convenor filled.
	pcCoord := w.staffClient("+919876533312", "Coordinator PC", access.Coordinator, "JH-PC-08")
	w.want(pcCoord, "/console/posts?drive=jh-posts&area=JH-PC-08&lang=en", http.StatusOK, "PC social media coordinator", "VACANT",
		"Asha Oraon", "Office bearers", "1,000", "100")
	w.want(coord, "/console/posts?drive=jh-posts&area=JH-PC-08&lang=en", http.StatusForbidden)
}

// live is a person's live holding.
func (w *postsWorld) live(person int64) store.Appointment {
	w.t.Helper()
	ctx := context.Background()
	var held []store.Appointment
	err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		held, err = store.AppointmentsOf(ctx, tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	for _, a := range held {
		if a.VacatedAt.IsZero() {
			return a
		}
	}
	w.t.Fatalf("person %d holds no post", person)
	return store.Appointment{}
}
