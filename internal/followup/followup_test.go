package followup_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/followup"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var start = time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC)

type world struct {
	db       *store.DB
	clock    *storetest.Clock
	rec      *intake.Recorder
	composer *followup.Composer
	links    *links.Links
	calls    int
}

// newWorld is Jharkhand with two drives: jh-sms (missed call 1800 000 0000,
// a WhatsApp number, Hindi) and no-wa (1800 000 0001, no WhatsApp number).
func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{clock: storetest.NewClock(start), links: links.New([]byte("a key for the follow-up tests...."))}
	w.db = storetest.Open(t, w.clock)
	var files []string
	for _, d := range []struct{ slug, number, extra string }{
		{"jh-sms", "1800 000 0000", `,{"kind":"whatsapp","number":"+91 70000 00000"}`},
		{"no-wa", "1800 000 0001", ""},
	} {
		files = append(files, fmt.Sprintf(`{"version":1,"slug":%q,"name":"Sadasyata","sms_name":"JH Sadasyata","starts_on":"2026-02-12",
			"ends_on":"2026-03-12","timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"missed_call","number":%q}%s],
			"targets":["state JH: 500000 members"]}`, d.slug, d.number, d.extra))
	}
	drivetest.Load(t, w.db, nil, files...)
	w.composer = followup.New(followup.Config{Provider: "exotel", TemplateIDs: map[string]string{"hi": "1107000000000000012"},
		BaseURL: "https://jodo.example.in", Links: w.links, Log: slog.New(slog.DiscardHandler)})
	w.rec = intake.NewRecorder(w.db, []byte("hash key"), intake.Options{Followups: w.composer})
	t.Cleanup(w.rec.Close)
	return w
}

func (w *world) call(t *testing.T, from, to string) {
	t.Helper()
	w.calls++
	c := intake.Call{Provider: "generic", CallID: fmt.Sprint("call-", w.calls), From: from, To: to, At: w.clock.Now()}
	if _, err := w.rec.Record(context.Background(), c, []byte("{}"), ""); err != nil {
		t.Fatal(err)
	}
}

// messages is the outbox, oldest first.
func (w *world) messages(t *testing.T) []store.OutboxMessage {
	t.Helper()
	return storetest.Messages(t, w.db)
}

var hindi = regexp.MustCompile(`^JH Sadasyata: कॉल के लिए धन्यवाद। जुड़ें: https://jodo\.example\.in/j/([0-9a-z]{13}) ` +
	`WhatsApp: https://wa\.me/917000000000\?text=JOIN%20([2-9A-Z]{10})$`)

func TestOneFollowupPerPersonPerDay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.call(t, "+919876543210", "18000000000")
	for range 5 {
		w.clock.Advance(time.Hour)
		w.call(t, "+919876543210", "18000000000")
	}
	msgs := w.messages(t)
	if len(msgs) != 1 {
		t.Fatalf("six calls in five hours made %d messages, want 1", len(msgs))
	}
	// Each call's follow-up was composed; only the one claimed is counted.
	if got := testutil.ToFloat64(w.composer.Collectors()[0].(*prometheus.CounterVec).WithLabelValues("queued")); got != 1 {
		t.Errorf("queued counted %v, want 1", got)
	}
	m := msgs[0]
	if m.Channel != store.ChannelSMS || m.Class != store.ClassRequested || m.Provider != "exotel" || m.To != "+919876543210" ||
		m.Template != "1107000000000000012" || m.State != store.MsgQueued {
		t.Fatalf("message: %+v", m)
	}
	parts := hindi.FindStringSubmatch(m.Body)
	if parts == nil {
		t.Fatalf("body %q", m.Body)
	}

	// The token opens the registration link of this person in this drive;
	// the join code is claimed once.
	link, err := w.db.ResolveToken(ctx, w.links.TokenHash(parts[1]))
	if err != nil || link.PersonID != m.PersonID {
		t.Fatalf("token: %+v %v", link, err)
	}
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		p, err := store.UseJoinCode(ctx, tx, w.links.CodeHash(parts[2]))
		if err == nil && p != link.ParticipationID {
			err = fmt.Errorf("join code names participation %d, token %d", p, link.ParticipationID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// A day after the first follow-up, a call makes the next one.
	w.clock.Set(start.Add(followup.Cooldown - time.Minute))
	w.call(t, "+919876543210", "18000000000")
	if n := len(w.messages(t)); n != 1 {
		t.Fatalf("a call 23 h 59 m after the follow-up made a second one (%d)", n)
	}
	w.clock.Set(start.Add(followup.Cooldown))
	w.call(t, "+919876543210", "18000000000")
	if n := len(w.messages(t)); n != 2 {
		t.Fatalf("a call 24 h after the follow-up made %d messages in all, want 2", n)
	}

	// The first link expires after 7 days; the second is a new token.
	w.clock.Set(start.Add(links.TTL))
	if _, err := w.db.ResolveToken(ctx, w.links.TokenHash(parts[1])); !errors.Is(err, store.ErrLinkExpired) {
		t.Errorf("a 7-day-old token: %v, want expired", err)
	}
	if second := hindi.FindStringSubmatch(w.messages(t)[1].Body); second == nil || second[1] == parts[1] || second[2] == parts[2] {
		t.Errorf("second follow-up reuses the first's token or code: %q", w.messages(t)[1].Body)
	}
}

func TestNoFollowupForMembersOrDrivesWithoutWhatsApp(t *testing.T) {
	w := newWorld(t)
	w.call(t, "+919876543210", "18000000001") // no-wa: no WhatsApp number to link to
	if n := len(w.messages(t)); n != 0 {
		t.Fatalf("a drive without a WhatsApp number queued %d follow-ups", n)
	}
	if got := testutil.ToFloat64(w.composer.Collectors()[0].(*prometheus.CounterVec).WithLabelValues("no_whatsapp")); got != 1 {
		t.Errorf("no_whatsapp follow-ups counted %v, want 1", got)
	}

	w.call(t, "+919123456789", "18000000000")
	storetest.RegisterEveryone(t, w.db, w.clock.Now())
	w.clock.Advance(2 * followup.Cooldown)
	w.call(t, "+919123456789", "18000000000")
	if n := len(w.messages(t)); n != 1 {
		t.Fatalf("a registered member calling again got a follow-up (%d messages)", n)
	}
}

// A drive applied again with another WhatsApp number (and its version
// raised, as docs/drives.md asks of every edit) makes a new version:
// the next follow-up links to the new number, though the composer had the
// old version's texts cached and a batch of calls reads the drive's
// version, not its file.
func TestFollowupAfterTheDriveChanges(t *testing.T) {
	w := newWorld(t)
	w.call(t, "+919876543210", "18000000000")
	w.call(t, "+919876543211", "18000000000") // the texts cached for this version
	drivetest.Load(t, w.db, nil, `{"version":2,"slug":"jh-sms","name":"Sadasyata","sms_name":"JH Sadasyata","starts_on":"2026-02-12",
		"ends_on":"2026-03-12","timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"missed_call","number":"1800 000 0000"},
		{"kind":"whatsapp","number":"+91 70000 00009"}],"targets":["state JH: 500000 members"]}`)
	w.call(t, "+919876543212", "18000000000")
	msgs := w.messages(t)
	if len(msgs) != 3 {
		t.Fatalf("%d follow-ups, want 3", len(msgs))
	}
	for i, want := range []string{"917000000000", "917000000000", "917000000009"} {
		if !regexp.MustCompile(`wa\.me/` + want + `\?`).MatchString(msgs[i].Body) {
			t.Errorf("follow-up %d links to another number than +%s: %s", i+1, want, msgs[i].Body)
		}
	}
}
