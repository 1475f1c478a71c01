package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Issue 19's Done-when as one story over HTTP, with the same two people
// throughout: Ravi volunteers on /me in Hindi (two handles, three
// languages) to work in Ranchi (JH-AC-063), posting the form twice; Sita
// volunteers through the bot in English in her own AC (Hatia, JH-AC-064),
// her last message delivered twice: volunteers +1 at each AC, once. A
// coordinator of JH-AC-063 appoints Ravi AC social media convenor in the
// console (+1 office bearers), cannot appoint him in Dhanbad (403),
// vacates him and appoints him again: net +1, and his history holds three
// events (appointed, vacated, appointed) in the audit log, his
// appointments and his console page. Ravi then withdraws the volunteer
// consent on /me: the post is vacated and both counters go back.
func TestVolunteersStory(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	ctx := context.Background()
	givePosts(t, w.db, "jh-sms")

	ravi := w.person("919812300081")
	ravi.joinInEnglish(t, false)
	c := w.signInOnMe("+91 98123 00081")
	form := volunteerForm("hi")
	form.Set("ac", "JH-AC-063")
	form.Set("handle.instagram", "@Ravi.Story")
	form.Set("handle.x", "https://x.com/ravi_story")
	w.form(c, "/me/volunteer", form, http.StatusOK)
	w.form(c, "/me/volunteer", form, http.StatusOK)
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"volunteers": 1})
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 0, "members": 1})

	sita := w.person("919812300082")
	sita.joinInEnglish(t, false)
	one(t, "offer", sita.tap("vol:yes", "Yes, volunteer", false), "vconsent:yes")
	one(t, "notice", sita.tap("vconsent:yes", "I agree", false), "Will you work in Hatia?", "work:yes")
	one(t, "work in their AC", sita.tap("work:yes", "Yes, there", false), "vl:hi")
	one(t, "languages", sita.say("2"), "Chosen: English", "vl:done")
	one(t, "languages done", sita.tap("vl:done", "Done", true), "vwa:yes")
	one(t, "chat's number", sita.tap("vwa:yes", "Yes, this number", false), "vh:done")
	id := sita.wamid()
	done := fakemeta.TapBody("+91 70000 00000", fakemeta.PhoneNumberID, sita.waID, id, "vh:done", "Done", false, time.Now())
	one(t, "done", sita.post(id, done), "You are now a volunteer")
	if again := sita.post(id, done); len(again) != 0 {
		t.Errorf("the redelivered Done was answered again: %v", again)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"volunteers": 1})
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 1, "members": 2})

	d, err := w.db.DriveBySlug(ctx, "jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	cw := &consoleWorld{t: t, db: w.db, base: w.base, gw: w.gw, dbURL: w.dbURL, driveID: d.ID}
	coord := cw.staffClient("+919876533390", "Coordinator Ranchi", access.Coordinator, "JH-AC-063")
	raviID, _ := storetest.PersonByWAID(t, w.db, ravi.waID)
	appoint := func(area string) answer {
		return cw.post(coord, "/console/posts/appoint", url.Values{"drive": {"jh-sms"}, "post": {"ac-sm-convenor"}, "area": {area},
			"person": {strconv.FormatInt(raviID, 10)}, "lang": {"en"}}, nil)
	}
	if r := appoint("JH-AC-063"); r.status != http.StatusSeeOther {
		t.Fatalf("appointing Ravi in Ranchi: HTTP %d %.500s", r.status, r.body)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"office_bearers": 1})
	if r := appoint("JH-AC-040"); r.status != http.StatusForbidden {
		t.Errorf("appointing in Dhanbad from Ranchi: HTTP %d, want 403", r.status)
	}
	checkCounts(t, w.db, "JH-AC-040", map[string]int64{"office_bearers": 0})

	held := func() []store.Appointment {
		t.Helper()
		var out []store.Appointment
		err := w.db.View(ctx, func(tx *store.Tx) (err error) {
			out, err = store.AppointmentsOf(ctx, tx, raviID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := held()
	if len(first) != 1 || !first[0].VacatedAt.IsZero() {
		t.Fatalf("Ravi's appointments after appointing: %+v", first)
	}
	r := cw.post(coord, "/console/posts/vacate", url.Values{"appointment": {strconv.FormatInt(first[0].ID, 10)}, "lang": {"en"}}, nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("vacating: HTTP %d %.500s", r.status, r.body)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"office_bearers": 0})
	if r := appoint("JH-AC-063"); r.status != http.StatusSeeOther {
		t.Fatalf("appointing Ravi again: HTTP %d %.500s", r.status, r.body)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"office_bearers": 1, "volunteers": 1})

	history := held()
	if len(history) != 2 || history[0].VacatedWhy != store.VacatedByStaff || !history[1].VacatedAt.IsZero() {
		t.Fatalf("Ravi's appointments (appointed and vacated, appointed): %+v", history)
	}
	log, err := w.db.AuditLog(ctx, raviID)
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for i := len(log) - 1; i >= 0; i-- {
		if a := log[i].Action; a == "appoint" || a == "vacate" {
			events = append(events, a)
		}
	}
	if strings.Join(events, " ") != "appoint vacate appoint" {
		t.Errorf("Ravi's audited post events: %q, want appoint vacate appoint", events)
	}
	page := cw.want(coord, fmt.Sprintf("/console/people/%d?lang=en", raviID), http.StatusOK, "AC social media convenor", "vacated by staff", "held now")
	if n := strings.Count(page, "AC social media convenor"); n < 2 {
		t.Errorf("Ravi's page shows the post %d times, want both holdings", n)
	}

	// The Volunteers list: both, since today; Ravi (a post) active, Sita
	// (volunteering alone) not.
	admin := cw.staffClient("+919876533391", "Admin Story", access.Admin, "JH")
	list := cw.want(admin, "/console/volunteers?drive=jh-sms&lang=en", http.StatusOK)
	sitaID, _ := storetest.PersonByWAID(t, w.db, sita.waID)
	today := time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateOnly)
	for id, active := range map[int64]string{raviID: "yes", sitaID: "not yet"} {
		row := volunteerRow(list, id)
		if !strings.Contains(row, "<td>"+today+"</td><td>"+active+"</td>") {
			t.Errorf("person %d's row in the Volunteers list, want since %s and active %s: %s", id, today, active, row)
		}
	}

	withdraw := url.Values{"lang": {"hi"}, "purpose": {"volunteer"}, "action": {"withdraw"}, "confirm": {"yes"}}
	w.form(c, "/me/consent", withdraw, http.StatusOK)
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"office_bearers": 0, "volunteers": 0})
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"volunteers": 1, "members": 2})
	if last := held(); len(last) != 2 || last[1].VacatedWhy != store.VolunteeringEnded {
		t.Errorf("Ravi's post after withdrawing: %+v, want vacated as volunteering ended", last)
	}
}

// volunteerRow is the Volunteers list's row of person id ("" if none).
func volunteerRow(list string, id int64) string {
	for _, row := range strings.Split(list, "<tr>") {
		if strings.Contains(row, fmt.Sprintf(`href="/console/people/%d"`, id)) {
			return row
		}
	}
	return ""
}
