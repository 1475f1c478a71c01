package hooks_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/hooks"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const (
	globalSecret = "global-hook-secret-0123456789"
	exoSecret    = "exotel-channel-secret-abcdef"
	myopSecret   = "myoperator-channel-secret-xyz"
	twilioToken  = "test_auth_token_do_not_use"
	waSecret     = "whatsapp-app-secret-for-hooks"
	waToken      = "whatsapp-verify-token-for-hooks"
)

// hookWorld is a running server with one drive (1 Nov 2025 – 31 Mar 2026)
// over Jharkhand, owning the sample payloads' called numbers, at 10:16 IST
// on 14 Nov 2025, a minute after the Exotel sample's call.
type hookWorld struct {
	db    *store.DB
	dbURL string
	clock *storetest.Clock
	url   string
	drive int64
	root  int64
	rec   *intake.Recorder
	wa    *intake.WhatsAppRecorder
}

func newHookWorld(t *testing.T) *hookWorld {
	t.Helper()
	ctx := context.Background()
	w := &hookWorld{clock: storetest.NewClock(time.Date(2025, 11, 14, 4, 46, 0, 0, time.UTC))}
	w.dbURL = storetest.URL(t)
	db, err := store.Open(ctx, w.dbURL, store.Options{Clock: w.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	w.db = db
	areas, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ImportAreas(ctx, geo.Importer(areas)); err != nil {
		t.Fatal(err)
	}
	d := store.Drive{Slug: "jh", Name: "JH", StartsOn: "2025-11-01", EndsOn: "2026-03-31", Timezone: "Asia/Kolkata", RootArea: "JH", Version: 1, File: []byte("{}"),
		Channels: []store.DriveChannel{
			{Kind: "missed_call", Number: "+918047123456", SecretEnv: "EXO_SECRET"},
			{Kind: "missed_call", Number: "+14155550123"},
			{Kind: "missed_call", Number: "+911800123456"},
			{Kind: "missed_call", Number: "+918000000001", SecretEnv: "MYOP_SECRET"},
		}}
	none := func([]store.SubtreeArea) ([]store.DriveTarget, error) { return nil, nil }
	if _, err := w.db.SaveDrive(ctx, d, none, false, nil); err != nil {
		t.Fatal(err)
	}
	saved, _ := w.db.DriveBySlug(ctx, "jh")
	w.drive, w.root = saved.ID, saved.RootAreaID
	w.rec = intake.NewRecorder(w.db, []byte(strings.Repeat("k", 32)), intake.Options{})
	t.Cleanup(w.rec.Close)
	w.wa = intake.NewWhatsAppRecorder(w.db, []byte(strings.Repeat("k", 32)), intake.WhatsAppOptions{})
	t.Cleanup(w.wa.Close)
	w.url = w.serve(t, func(base string) *config.Config {
		return &config.Config{HookSecret: globalSecret, TwilioToken: twilioToken, BaseURL: base, SecretKey: strings.Repeat("k", 32),
			WhatsAppAppSecret: waSecret, WhatsAppVerifyToken: waToken, MetricsToken: "hooks-metrics-token"}
	})
	return w
}

// serve starts a server on w's database and recorders with the
// configuration cfg gives for its base URL, and returns that URL.
func (w *hookWorld) serve(t *testing.T, cfg func(base string) *config.Config) string {
	t.Helper()
	env := map[string]string{"EXO_SECRET": exoSecret, "MYOP_SECRET": myopSecret}
	srv := httptest.NewServer(nil)
	t.Cleanup(srv.Close)
	c, reg, log := cfg(srv.URL), prometheus.NewRegistry(), slog.New(slog.DiscardHandler)
	h := hooks.New(hooks.Deps{DB: w.db, Recorder: w.rec, WhatsApp: w.wa, Log: log, Metrics: reg,
		Env:       func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		SecretKey: c.SecretKey, HookSecret: c.HookSecret, TwilioToken: c.TwilioToken, BaseURL: c.BaseURL,
		WhatsAppVerifyToken: c.WhatsAppVerifyToken, WhatsAppAppSecret: c.WhatsAppAppSecret})
	srv.Config.Handler = server.New(w.db, log, server.Deps{Config: c, Registry: reg}, h).Handler()
	return srv.URL
}

// sample reads a provider sample: its request line's query or its body.
func sample(t *testing.T, name string) (query string, body string) {
	t.Helper()
	f, err := os.Open("../intake/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var lines []string
	for sc.Scan() {
		if l := sc.Text(); !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "GET ") {
			u, _ := url.Parse(strings.Fields(l)[1])
			return u.RawQuery, ""
		}
	}
	return "", lines[len(lines)-1]
}

func (w *hookWorld) do(t *testing.T, method, path, contentType, body string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, w.url+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (w *hookWorld) leads(t *testing.T) int64 {
	t.Helper()
	sums, err := w.db.CounterTotals(context.Background(), w.drive, []int64{w.root}, store.DayRange{})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, s := range sums {
		if s.Metric == "leads" {
			n += s.Value
		}
	}
	return n
}

func TestExotelSampleMakesALead(t *testing.T) {
	w := newHookWorld(t)
	q, _ := sample(t, "exotel_passthru.txt")
	if code, body := w.do(t, "GET", "/hooks/exotel/"+exoSecret+"?"+q, "", "", nil); code != 200 {
		t.Fatalf("exotel: %d %s", code, body)
	}
	if n := storetest.ContactCount(t, w.db, storetest.Contacts{Kind: "phone", Value: "+919876543210"}); n != 1 {
		t.Fatalf("%d phone contacts for the caller", n)
	}
	if n := storetest.ParticipationCount(t, w.db, storetest.Participations{Channel: "missed_call", Lead: true}); n != 1 {
		t.Fatalf("%d participations", n)
	}
	sums := storetest.CountedAt(t, w.db, w.drive, []int64{w.root}, store.DayRange{From: "2025-11-14", To: "2025-11-14"})
	if len(sums) != 1 || sums[0].Metric != "leads" || sums[0].Channel != "missed_call" || sums[0].Value != 1 {
		t.Fatalf("counters at the root on the call's day: %+v", sums)
	}
	if note := storetest.InboxNote(t, w.db, "exotel", "a7c39f1e2b8d4c6e9f0a1b2c3d4e5f6a"); note != "" {
		t.Fatalf("inbox note %q", note)
	}
	// The newer shape (+91 caller, ISO times), POSTed, with the global
	// secret: same caller, same drive: a known person, no second lead.
	q, _ = sample(t, "exotel_passthru_iso.txt")
	if code, body := w.do(t, "POST", "/hooks/exotel/"+globalSecret, "application/x-www-form-urlencoded", q, nil); code != 200 {
		t.Fatalf("exotel POST: %d %s", code, body)
	}
	if w.leads(t) != 1 || storetest.InboxCount(t, w.db, storetest.Inbox{Provider: "exotel"}) != 2 {
		t.Fatal("the second call from the same number counted again or was not stored")
	}
}

// The same call delivered three times at once and again later: one call,
// one person, one lead.
func TestRepeatedDeliveriesCountOnce(t *testing.T) {
	w := newHookWorld(t)
	q, _ := sample(t, "exotel_passthru.txt")
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if code, body := w.do(t, "GET", "/hooks/exotel/"+exoSecret+"?"+q, "", "", nil); code != 200 {
				t.Errorf("delivery: %d %s", code, body)
			}
		})
	}
	wg.Wait()
	w.clock.Advance(48 * time.Hour)
	if code, _ := w.do(t, "GET", "/hooks/exotel/"+exoSecret+"?"+q, "", "", nil); code != 200 {
		t.Fatalf("late repeat: %d", code)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{}); n != 1 {
		t.Errorf("%d inbox rows", n)
	}
	if n := storetest.PeopleCount(t, w.db); n != 1 {
		t.Errorf("%d people", n)
	}
	if n := w.leads(t); n != 1 {
		t.Errorf("%d leads", n)
	}
}

func TestWrongSecretsAndSignatures(t *testing.T) {
	w := newHookWorld(t)
	q, _ := sample(t, "exotel_passthru.txt")
	if code, _ := w.do(t, "GET", "/hooks/exotel/wrong-secret?"+q, "", "", nil); code != 404 {
		t.Errorf("wrong exotel secret: %d, want 404", code)
	}
	if code, _ := w.do(t, "POST", "/hooks/missed-call/"+exoSecret[:10], "application/json", `{"call_id":"x","from":"9876543210","to":"+911800123456"}`, nil); code != 404 {
		t.Errorf("wrong generic secret: %d, want 404", code)
	}
	_, body := sample(t, "twilio_voice.txt")
	form, _ := url.ParseQuery(body)
	bad := intake.TwilioSignature("another-token", w.url+"/hooks/twilio/voice", form)
	if code, _ := w.do(t, "POST", "/hooks/twilio/voice", "application/x-www-form-urlencoded", body, map[string]string{"X-Twilio-Signature": bad}); code != 403 {
		t.Errorf("wrong twilio signature: %d, want 403", code)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{}); n != 0 {
		t.Errorf("%d inbox rows stored from refused requests", n)
	}
	_, metrics := w.do(t, "GET", "/metrics", "", "", map[string]string{"Authorization": "Bearer hooks-metrics-token"})
	for _, want := range []string{`jodo_hook_rejected_total{provider="exotel",reason="secret"} 1`, `jodo_hook_rejected_total{provider="twilio",reason="signature"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(metrics, "wrong-secret") || strings.Contains(metrics, exoSecret) {
		t.Error("a secret reached the metrics")
	}
}

func TestTwilioAnswersBusyAfterStoring(t *testing.T) {
	w := newHookWorld(t)
	_, body := sample(t, "twilio_voice.txt")
	form, _ := url.ParseQuery(body)
	sig := intake.TwilioSignature(twilioToken, w.url+"/hooks/twilio/voice", form)
	code, answer := w.do(t, "POST", "/hooks/twilio/voice", "application/x-www-form-urlencoded", body, map[string]string{"X-Twilio-Signature": sig})
	if code != 200 || !strings.Contains(answer, `<Reject reason="busy"`) {
		t.Fatalf("twilio: %d %s", code, answer)
	}
	if w.leads(t) != 1 {
		t.Fatal("twilio call made no lead")
	}
}

func TestMyOperatorChannelPicksTheDrive(t *testing.T) {
	w := newHookWorld(t)
	_, body := sample(t, "myoperator_aftercall_post.txt")
	if code, b := w.do(t, "POST", "/hooks/myoperator/"+myopSecret, "application/x-www-form-urlencoded", body, nil); code != 200 {
		t.Fatalf("myoperator: %d %s", code, b)
	}
	if n := storetest.ContactCount(t, w.db, storetest.Contacts{Value: "+919711636496"}); n != 1 || w.leads(t) != 1 {
		t.Fatalf("myoperator call: %d contacts, %d leads", n, w.leads(t))
	}
	// With the global secret no channel is named, and the log names no
	// called number: kept, with the reason, and no lead.
	body = strings.Replace(body, "5f114f490dbe2437", "5f114f490dbe2438", 1)
	if code, _ := w.do(t, "POST", "/hooks/myoperator/"+globalSecret, "application/x-www-form-urlencoded", body, nil); code != 200 {
		t.Fatalf("myoperator with the global secret: %d", code)
	}
	if note := storetest.InboxNote(t, w.db, "myoperator", "5f114f490dbe2438"); note != intake.NoteNoTo {
		t.Fatalf("note %q", note)
	}
}

func TestCallsKeptWithoutALead(t *testing.T) {
	ctx := context.Background()
	w := newHookWorld(t)
	send := func(id, from, to string) {
		t.Helper()
		body := `{"call_id":"` + id + `","from":"` + from + `","to":"` + to + `","at":"2025-11-14T10:10:00+05:30"}`
		if code, b := w.do(t, "POST", "/hooks/missed-call/"+globalSecret, "application/json", body, nil); code != 200 {
			t.Fatalf("%s: %d %s", id, code, b)
		}
	}
	send("landline", "0651-2345678", "1800 123 456")
	send("invalid", "12345", "+911800123456")
	send("nobody-owns", "9876500001", "+911140000000")
	hash := store.SuppressionHash([]byte(strings.Repeat("k", 32)), "+919876500002")
	if err := w.db.Update(ctx, func(tx *store.Tx) error { return store.AddSuppression(ctx, tx, hash, store.SuppressUnder18) }); err != nil {
		t.Fatal(err)
	}
	send("suppressed", "+919876500002", "18001 23456")
	for key, want := range map[string]string{
		"landline": "not a mobile", "invalid": "not valid", "nobody-owns": intake.NoteNoDrive, "suppressed": "suppressed",
	} {
		if note := storetest.InboxNote(t, w.db, "generic", key); !strings.Contains(note, want) {
			t.Errorf("%s: note %q, want %q", key, note, want)
		}
	}
	if n := storetest.PeopleCount(t, w.db); n != 0 || w.leads(t) != 0 {
		t.Errorf("kept calls made %d people and %d leads", n, w.leads(t))
	}
}

// A number given to another drive by another server (its own database
// handle) is routed to that drive at the next call: a server that kept the
// number's owners from earlier calls (PostgreSQL) must not use them.
func TestNumberMovedByAnotherServerIsRoutedAfresh(t *testing.T) {
	ctx := context.Background()
	w := newHookWorld(t)
	send := func(id, from string) {
		t.Helper()
		body := `{"call_id":"` + id + `","from":"` + from + `","to":"+911800123456","at":"2025-11-14T10:10:00+05:30"}`
		if code, b := w.do(t, "POST", "/hooks/missed-call/"+globalSecret, "application/json", body, nil); code != 200 {
			t.Fatalf("%s: %d %s", id, code, b)
		}
	}
	send("before", "+919876500011")
	other, err := store.Open(ctx, w.dbURL, store.Options{Clock: w.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	jh, err := other.DriveBySlug(ctx, "jh")
	if err != nil {
		t.Fatal(err)
	}
	jh.Version++
	jh.Channels = slices.DeleteFunc(jh.Channels, func(c store.DriveChannel) bool { return c.Number == "+911800123456" })
	none := func([]store.SubtreeArea) ([]store.DriveTarget, error) { return nil, nil }
	if _, err := other.SaveDrive(ctx, jh, none, false, nil); err != nil {
		t.Fatal(err)
	}
	moved := store.Drive{Slug: "jh-helpline", Name: "JH helpline", StartsOn: "2025-11-01", EndsOn: "2026-03-31", Timezone: "Asia/Kolkata",
		RootArea: "JH", Version: 1, File: []byte("{}"), Channels: []store.DriveChannel{{Kind: "missed_call", Number: "+911800123456"}}}
	if _, err := other.SaveDrive(ctx, moved, none, false, nil); err != nil {
		t.Fatal(err)
	}
	helpline, err := other.DriveBySlug(ctx, "jh-helpline")
	if err != nil {
		t.Fatal(err)
	}
	send("after", "+919876500012")
	for _, c := range []struct {
		phone string
		drive int64
	}{{"+919876500011", w.drive}, {"+919876500012", helpline.ID}} {
		if n := storetest.ParticipationCount(t, w.db, storetest.Participations{DriveID: c.drive, Lead: true, Contact: &storetest.Contacts{Value: c.phone}}); n != 1 {
			t.Errorf("%s: %d leads in drive %d, want 1", c.phone, n, c.drive)
		}
	}
	if n := storetest.ParticipationCount(t, w.db, storetest.Participations{}); n != 2 {
		t.Errorf("%d participations, want 2", n)
	}
}

// A malformed request gets 400 and is kept; the good requests around it
// in a storm are not affected.
func TestPoisonRequestFailsAlone(t *testing.T) {
	w := newHookWorld(t)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			body := fmt.Sprintf(`{"call_id":"storm-%d","from":"98765%05d","to":"+911800123456"}`, i, i)
			want := 200
			if i == 20 {
				body, want = `{"call_id": 12, "from": [}`, 400
			}
			if code, b := w.do(t, "POST", "/hooks/missed-call/"+globalSecret, "application/json", body, nil); code != want {
				t.Errorf("request %d: %d %s, want %d", i, code, b, want)
			}
		})
	}
	wg.Wait()
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Kind: "call"}); n != 39 {
		t.Errorf("%d calls stored, want 39", n)
	}
	if n := storetest.InboxCount(t, w.db, storetest.Inbox{Kind: "unreadable"}); n != 1 {
		t.Errorf("%d unreadable requests kept, want 1", n)
	}
	if n := w.leads(t); n != 39 {
		t.Errorf("%d leads, want 39", n)
	}
}

// A known caller gets a new participation (and lead) only in a new drive;
// an erased caller who calls again starts afresh.
func TestKnownAndErasedCallers(t *testing.T) {
	ctx := context.Background()
	w := newHookWorld(t)
	d2 := store.Drive{Slug: "jh2", Name: "JH 2", StartsOn: "2025-11-01", EndsOn: "2025-12-31", Timezone: "Asia/Kolkata", RootArea: "JH", Version: 1, File: []byte("{}"),
		Channels: []store.DriveChannel{{Kind: "missed_call", Number: "+911800999999"}}}
	if _, err := w.db.SaveDrive(ctx, d2, func([]store.SubtreeArea) ([]store.DriveTarget, error) { return nil, nil }, false, nil); err != nil {
		t.Fatal(err)
	}
	call := func(id, to string) {
		t.Helper()
		body := fmt.Sprintf(`{"call_id":%q,"from":"9876511111","to":%q}`, id, to)
		if code, b := w.do(t, "POST", "/hooks/missed-call/"+globalSecret, "application/json", body, nil); code != 200 {
			t.Fatalf("%s: %d %s", id, code, b)
		}
	}
	call("a1", "+911800123456")
	call("a2", "+911800123456")
	call("b1", "+911800999999")
	if n := storetest.PeopleCount(t, w.db); n != 1 {
		t.Fatalf("%d people for one caller", n)
	}
	if n := storetest.ParticipationCount(t, w.db, storetest.Participations{}); n != 2 {
		t.Fatalf("%d participations, want one per drive", n)
	}
	var person int64
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if person, err = store.FindByContact(ctx, tx, store.ContactPhone, "+919876511111"); err != nil {
			return err
		}
		if _, err := store.ErasePerson(ctx, tx, person); err != nil {
			return err
		}
		return store.AddSuppression(ctx, tx, store.SuppressionHash([]byte(strings.Repeat("k", 32)), "+919876511111"), store.SuppressErased)
	})
	if err != nil {
		t.Fatal(err)
	}
	before := w.leads(t)
	call("a3", "+911800123456")
	if n := storetest.PeopleNotErased(t, w.db); n != 1 || w.leads(t) != before+1 {
		t.Fatalf("after erasure a new call made %d live people and %d new leads", n, w.leads(t)-before)
	}
}
