package app_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// requestTemplates are the request code's DLT template ids, which the
// code needs to go by Exotel.
var requestTemplates = []string{"JODO_SMS_TEMPLATE_REQUEST_CODE_EN", "1107000000000000201", "JODO_SMS_TEMPLATE_REQUEST_CODE_HI", "1107000000000000202"}

// requestCode is a request code SMS: the code first, as sign-in's.
var requestCode = regexp.MustCompile(`^(\d{6}) `)

// codeTo waits for a new SMS to phone (E.164) after the first sent of
// them and returns the code it carries and its template id.
func (w *consoleWorld) codeTo(phone string, sent int) (code, template string) {
	w.t.Helper()
	to := strings.TrimPrefix(phone, "+")
	var got []string
	smsWait(w.t, "the request code", func() bool {
		got = got[:0]
		for _, m := range w.gw.Received()[sent:] {
			if m.To == to || m.To == "0"+to[2:] || strings.HasSuffix(m.To, to[2:]) {
				got = append(got, m.Body, m.TemplateID)
			}
		}
		return len(got) > 0
	})
	m := requestCode.FindStringSubmatch(got[len(got)-2])
	if m == nil {
		w.t.Fatalf("no code in %q", got[len(got)-2])
	}
	return m[1], got[len(got)-1]
}

// requestsOf are the requests recorded for a person, newest first.
func (w *consoleWorld) requestsOf(person int64) []store.PersonRequest {
	w.t.Helper()
	ctx := context.Background()
	var out []store.PersonRequest
	err := w.db.View(ctx, func(tx *store.Tx) (err error) {
		out, err = store.PersonRequests(ctx, tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// auditActions are the actions of the audit entries about a person, in
// the order they were written, with their actors.
func (w *consoleWorld) auditActions(person int64) []string {
	w.t.Helper()
	entries, err := w.db.AuditLog(context.Background(), person)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, e := range slices.Backward(entries) {
		if e.Action != "person_view" {
			out = append(out, e.Action+" by "+e.Actor)
		}
	}
	return out
}

func (w *consoleWorld) record(c *http.Client, person int64, form url.Values) answer {
	w.t.Helper()
	form.Set("lang", "en")
	return w.post(c, fmt.Sprintf("/console/people/%d/requests", person), form, nil)
}

func (w *consoleWorld) confirm(c *http.Client, person, request int64, code string) answer {
	w.t.Helper()
	return w.post(c, fmt.Sprintf("/console/people/%d/requests/confirm", person), url.Values{"request": {strconv.FormatInt(request, 10)},
		"code": {code}, "lang": {"en"}}, nil)
}

// The story: a member phones the office in Ranchi asking to be
// erased. A coordinator of Dhanbad cannot record it (not found); the
// Ranchi coordinator records it, a code goes by SMS to the member's own
// phone (the Hindi template, their language), the member reads it back and
// the coordinator confirms: the member is erased. Nothing of them is left
// but the keyed hash (no column of any table holds their number or
// name), the counts stay, every step is in the audit log, and their page
// is gone.
func TestConsoleEraseRequest(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50, requestTemplates...)
	ctx := context.Background()
	coord := w.staffClient("+919876533310", "Coordinator Ranchi", access.Coordinator, "JH-AC-063")
	other := w.staffClient("+919876533311", "Coordinator Dhanbad", access.Coordinator, "JH-AC-040")
	before := storetest.CountsAt(t, w.db, "JH-AC-063")

	if r := w.record(other, w.ranchi, url.Values{"kind": {"erase"}, "channel": {"phone_call"}}); r.status != http.StatusNotFound {
		t.Errorf("a coordinator of Dhanbad recording a Ranchi member's request: %d, want 404", r.status)
	}
	if r := w.record(coord, w.ranchi, url.Values{"kind": {"erase"}, "channel": {"pigeon"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "how the request came") {
		t.Errorf("a request by an unknown channel: %d, want 422 saying so\n%.600s", r.status, r.body)
	}
	sent := len(w.gw.Received())
	r := w.record(coord, w.ranchi, url.Values{"kind": {"erase"}, "channel": {"phone_call"}})
	if r.status != http.StatusSeeOther || r.location != fmt.Sprintf("/console/people/%d?done=code_sent", w.ranchi) {
		t.Fatalf("recording the erase request: %d to %q\n%.600s", r.status, r.location, r.body)
	}
	code, template := w.codeTo(ranchiPhone, sent)
	if template != "1107000000000000202" {
		t.Errorf("the code went with template %q, want the Hindi request code's", template)
	}
	if body := w.gw.Received()[len(w.gw.Received())-1].Body; !strings.Contains(body, "आपकी सारी जानकारी मिटाना") || !strings.Contains(body, "नहीं माँगा") {
		t.Errorf("the code's SMS does not say it erases all their data and warn: %s", body)
	}
	reqs := w.requestsOf(w.ranchi)
	if len(reqs) != 1 || reqs[0].State != store.RequestCodeSent || reqs[0].CodeHash == "" || strings.Contains(reqs[0].CodeHash, code) {
		t.Fatalf("the request as stored: %+v", reqs)
	}
	w.want(coord, fmt.Sprintf("/console/people/%d?done=code_sent&lang=en", w.ranchi), http.StatusOK,
		"A code was sent by SMS", "Erase all their data", "Phone call", "Waiting for the code", `name="code"`)
	if r := w.confirm(other, w.ranchi, reqs[0].ID, code); r.status != http.StatusNotFound {
		t.Errorf("a coordinator of Dhanbad confirming: %d, want 404", r.status)
	}

	r = w.confirm(coord, w.ranchi, reqs[0].ID, code)
	if r.status != http.StatusOK || !strings.Contains(r.body, "data is erased") {
		t.Fatalf("confirming with the code: %d\n%.600s", r.status, r.body)
	}
	wantNoNumber(t, w.db, "after an erase request by staff", ranchiPhone)
	for _, where := range storetest.TextLeft(t, w.db, "सुनीता") {
		t.Errorf("after an erase request by staff, the name is held: %s", where)
	}
	if after := storetest.CountsAt(t, w.db, "JH-AC-063"); !maps.Equal(after, before) {
		t.Errorf("the counts at JH-AC-063 moved with the erasure: %v, before %v", after, before)
	}
	coordLabel := "person:" + strconv.FormatInt(w.staffID("+919876533310"), 10)
	want := []string{"request_recorded by " + coordLabel, "request_code_sent by " + coordLabel, "request_confirmed by " + coordLabel,
		"erase by self", "request_done by " + coordLabel}
	if got := w.auditActions(w.ranchi); !containsInOrder(got, want) {
		t.Errorf("the audit log about the member: %q, want %q in order", got, want)
	}
	if reqs := w.requestsOf(w.ranchi); len(reqs) != 1 || reqs[0].State != store.RequestDone || reqs[0].CodeHash != "" {
		t.Errorf("the request after it was carried out: %+v", reqs)
	}
	w.want(coord, fmt.Sprintf("/console/people/%d", w.ranchi), http.StatusNotFound)
	if entries, err := w.db.AuditLog(ctx, w.ranchi); err != nil || len(entries) == 0 {
		t.Errorf("the audit log after erasure: %d entries, %v", len(entries), err)
	}
}

// staffID is the person with phone.
func (w *consoleWorld) staffID(phone string) int64 {
	w.t.Helper()
	ctx := context.Background()
	var id int64
	err := w.db.View(ctx, func(tx *store.Tx) (err error) {
		id, err = store.FindByContact(ctx, tx, store.ContactPhone, phone)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// containsInOrder reports whether want appear in got in their order.
func containsInOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// Five wrong codes lock a request (the fifth answers 429): the right code
// no longer carries it out, and the member is untouched. A new request to
// withdraw the WhatsApp consent, confirmed, shows in the member's MY DATA
// on /me, in English and in Hindi, with staff named by role only.
func TestConsoleRequestLocksAndShowsInMyData(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50, requestTemplates...)
	coord := w.staffClient("+919876533310", "Coordinator Ranchi", access.Coordinator, "JH-AC-063")
	sent := len(w.gw.Received())
	w.record(coord, w.ranchi, url.Values{"kind": {"erase"}, "channel": {"letter"}})
	code, _ := w.codeTo(ranchiPhone, sent)
	id := w.requestsOf(w.ranchi)[0].ID
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, code)+1)%1_000_000)
	for i := 1; i <= 5; i++ {
		r := w.confirm(coord, w.ranchi, id, wrong)
		want := http.StatusUnprocessableEntity
		if i == 5 {
			want = http.StatusTooManyRequests
		}
		if r.status != want {
			t.Fatalf("wrong code %d: %d, want %d\n%.600s", i, r.status, want, r.body)
		}
	}
	if r := w.confirm(coord, w.ranchi, id, code); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Record it again") {
		t.Errorf("the right code after the lock: %d\n%.600s", r.status, r.body)
	}
	if reqs := w.requestsOf(w.ranchi); reqs[0].State != store.RequestLocked || reqs[0].Tries != 5 {
		t.Errorf("the request after five wrong codes: %+v", reqs[0])
	}
	w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), http.StatusOK, "सुनीता देवी", "Locked (wrong codes)")

	sent = len(w.gw.Received())
	w.record(coord, w.ranchi, url.Values{"kind": {"withdraw:whatsapp"}, "channel": {"in_person"}})
	code, _ = w.codeTo(ranchiPhone, sent)
	r := w.confirm(coord, w.ranchi, w.requestsOf(w.ranchi)[0].ID, code)
	if r.status != http.StatusSeeOther || r.location != fmt.Sprintf("/console/people/%d?done=request_done", w.ranchi) {
		t.Fatalf("confirming the withdrawal: %d to %q\n%.600s", r.status, r.location, r.body)
	}
	// A third request's code runs out untried: the page shows it expired,
	// with no box for the code, and so does MY DATA.
	sent = len(w.gw.Received())
	w.record(coord, w.ranchi, url.Values{"kind": {"withdraw:sms"}, "channel": {"email"}})
	w.codeTo(ranchiPhone, sent)
	storetest.ExpireRequestCode(t, w.db, w.requestsOf(w.ranchi)[0].ID)
	page := w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), http.StatusOK, "Code expired")
	if strings.Contains(page, `name="code"`) || strings.Contains(page, "Waiting for the code") {
		t.Error("a request past its code's time still waits for its code on the page")
	}
	me := w.memberClient(ranchiPhone)
	body := w.want(me, "/me?lang=en", http.StatusOK, "Requests you made to our office", "Withdraw consent to WhatsApp messages", "in person",
		"recorded by a coordinator", "carried out", "Erase my data", "stopped: wrong codes", "stopped: the code expired")
	if strings.Contains(body, "waiting for the code sent to you") {
		t.Error("MY DATA shows a request past its code's time as waiting")
	}
	if strings.Contains(body, "Coordinator Ranchi") {
		t.Error("MY DATA names the staff member")
	}
	w.want(me, "/me?lang=hi", http.StatusOK, "आपके हमारे कार्यालय से किए अनुरोध", "WhatsApp संदेशों की सहमति वापस लेना", "समन्वयक ने दर्ज किया")
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// memberClient signs the owner of phone in on /me with a code from the
// SMS gateway and returns their browser (redirects not followed).
func (w *consoleWorld) memberClient(phone string) *http.Client {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	sent := len(w.gw.Received())
	if r := w.post(c, "/signin?lang=en", url.Values{"phone": {phone}}, nil); r.status != http.StatusOK {
		w.t.Fatalf("asking for a sign-in code: %d", r.status)
	}
	code, _ := w.codeTo(phone, sent)
	if r := w.post(c, "/signin/code?lang=en", url.Values{"phone": {phone}, "code": {code}}, nil); r.status >= 400 {
		w.t.Fatalf("signing in: %d %.300s", r.status, r.body)
	}
	return c
}

// A coordinator corrects a member's name and constituency (audited as
// staff_correct, naming the fields and the area, never the name; saying
// how the request came, else 422); the correction is listed in the
// member's MY DATA, in English and Hindi, with what changed and staff by
// role; the member's own later correction on /me wins.
func TestConsoleCorrectionThenMine(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50, requestTemplates...)
	coord := w.staffClient("+919876533310", "Coordinator Ranchi", access.Coordinator, "JH-D-RANCHI")
	path := fmt.Sprintf("/console/people/%d/correct", w.ranchi)
	if r := w.post(coord, path, url.Values{"name": {"Sunita Devi"}, "ac": {"JH-AC-063"}, "lang": {"en"}}, nil); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "how the request came") {
		t.Errorf("a correction not saying how the request came: %d, want 422\n%.600s", r.status, r.body)
	}
	if r := w.post(coord, path, url.Values{"name": {"Sunita Devi"}, "ac": {"JH-AC-040"}, "channel": {"letter"}, "lang": {"en"}}, nil); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "in your areas") || !strings.Contains(r.body, `value="Sunita Devi"`) {
		t.Errorf("correcting to an AC outside the scope: %d, want 422 keeping the name\n%.600s", r.status, r.body)
	}
	r := w.post(coord, path, url.Values{"name": {"Sunita Devi"}, "ac": {"JH-AC-063"}, "channel": {"letter"}, "lang": {"en"}}, nil)
	if r.status != http.StatusSeeOther || r.location != fmt.Sprintf("/console/people/%d?done=corrected", w.ranchi) {
		t.Fatalf("correcting: %d to %q\n%.600s", r.status, r.location, r.body)
	}
	w.want(coord, fmt.Sprintf("/console/people/%d?done=corrected&lang=en", w.ranchi), http.StatusOK, "Sunita Devi", "The name and constituency are corrected.")
	entries, err := w.db.AuditLog(context.Background(), w.ranchi)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(entries, func(e store.AuditEntry) bool { return e.Action == "staff_correct" })
	if i < 0 || entries[i].Detail != "changed name; area JH-AC-063" || !strings.HasPrefix(entries[i].Scope, "coordinator:") {
		t.Errorf("the correction's audit entry: %+v", entries)
	}

	me := w.memberClient(ranchiPhone)
	w.want(me, "/me?lang=en", http.StatusOK, "Requests you made to our office", "Correct my name", "by letter", "recorded by a coordinator", "carried out")
	w.want(me, "/me?lang=hi", http.StatusOK, "मेरा नाम सुधारना", "पत्र से", "समन्वयक ने दर्ज किया")
	w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), http.StatusOK, "Name corrected", "Letter", "Carried out")
	if r := w.post(me, "/me/details", url.Values{"name": {"सुनीता कुमारी"}, "language": {"hi"}, "ac": {"JH-AC-063"}, "lang": {"hi"}}, nil); r.status != http.StatusSeeOther {
		t.Fatalf("correcting on /me: %d %.300s", r.status, r.body)
	}
	body := w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), http.StatusOK, "सुनीता कुमारी")
	if strings.Contains(body, "Sunita Devi") {
		t.Error("staff's correction still shows after the member's own")
	}
}

// chatMember is a member at an AC known only by their WhatsApp chat (a
// WhatsApp id, no phone), in the drive.
func (w *consoleWorld) chatMember(name, waID, ac string) int64 {
	w.t.Helper()
	ctx := context.Background()
	area, err := w.db.GetArea(ctx, ac)
	if err != nil {
		w.t.Fatal(err)
	}
	var id int64
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		if id, err = store.CreatePerson(ctx, tx, store.Person{Name: name, Language: "hi", AreaID: area.ID}); err != nil {
			return err
		}
		if err := store.AddContact(ctx, tx, id, store.ContactWAID, waID); err != nil {
			return err
		}
		_, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: id, DriveID: w.driveID, Channel: "whatsapp",
			AreaID: area.ID, Day: time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateOnly)})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// A request confirmed by an identity check instead of a code, only for a
// person with no phone: for a member with a phone the page offers no
// check and one posted is refused (422, send a code), nothing done; for a
// chat-only member a coordinator may not record one (403); an admin must
// choose what was checked and note it without a number (422 otherwise);
// done, the member is erased at once, no code is sent, and the note is
// blanked with them.
func TestConsoleIdentityCheckRequest(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50, requestTemplates...)
	coord := w.staffClient("+919876533310", "Coordinator Dhanbad", access.Coordinator, "JH-AC-040")
	admin := w.staffClient("+919876533312", "Admin Jharkhand", access.Admin, "JH")
	form := func(note string) url.Values {
		return url.Values{"kind": {"erase"}, "channel": {"in_person"}, "check": {"id_document"}, "note": {note}}
	}
	body := w.want(admin, fmt.Sprintf("/console/people/%d?lang=hi", w.dhanbad), http.StatusOK, "अनुरोध दर्ज करें")
	if strings.Contains(body, `name="check"`) {
		t.Error("the page of a member with a phone offers an identity check")
	}
	if r := w.record(admin, w.dhanbad, form("Aadhaar card seen at the district office")); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "send them a code instead") {
		t.Errorf("an identity check for a member with a phone: %d, want 422\n%.600s", r.status, r.body)
	}
	if reqs := w.requestsOf(w.dhanbad); len(reqs) != 0 {
		t.Errorf("the refused check recorded %+v", reqs)
	}
	chat := w.chatMember("Ramesh Kumar", "919876544444", "JH-AC-040")
	if r := w.record(coord, chat, form("seen at the district office")); r.status != http.StatusForbidden {
		t.Errorf("a coordinator recording an identity check: %d, want 403", r.status)
	}
	if r := w.record(admin, chat, form("called back on 98765 22222")); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "no number of 6 digits") {
		t.Errorf("a note with a number: %d, want 422\n%.600s", r.status, r.body)
	}
	w.want(admin, fmt.Sprintf("/console/people/%d?lang=hi", chat), http.StatusOK, "आईडी की जाँच (एडमिन)", `name="check"`)
	sent := len(w.gw.Received())
	r := w.record(admin, chat, form("Aadhaar card seen at the district office"))
	if r.status != http.StatusOK || !strings.Contains(r.body, "data is erased") {
		t.Fatalf("erasing by an identity check: %d\n%.600s", r.status, r.body)
	}
	if n := len(w.gw.Received()); n != sent {
		t.Errorf("%d SMS went with an identity check, want none", n-sent)
	}
	wantNoNumber(t, w.db, "after an erase request confirmed by identity", "+919876544444")
	for _, where := range storetest.TextLeft(t, w.db, "Aadhaar card seen") {
		t.Errorf("after an erase request confirmed by identity, held: %s", where)
	}
	if reqs := w.requestsOf(chat); len(reqs) != 1 || reqs[0].State != store.RequestDone || reqs[0].IdentityCheck != "id_document" {
		t.Errorf("the request: %+v", reqs)
	}
}
