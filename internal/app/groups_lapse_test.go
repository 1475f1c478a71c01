package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// The sweep over the running server's database, its clock moved: a
// volunteer's two groups count; at day 23 the owner (SMS consent) gets one
// reminder however often the sweep runs, and another at day 29; after 31
// days unconfirmed the groups lapse once (the progress API shows 2, then
// 0), and a confirmation brings one back (1).
func TestGroupsLapseAndReminders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	cw := &consoleWorld{t: t, gw: gw, base: smsServe(t, dbURL, gw), db: storetest.Attach(t, dbURL)}
	d, err := cw.db.DriveBySlug(ctx, "jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	cw.driveID = d.ID
	w := &postsWorld{consoleWorld: cw, drive: d}
	asha := w.volunteer("Asha Oraon", "+919876544401", "JH-AC-063")
	token, err := access.CreateToken(ctx, w.db, "groups-lapse-test", string(access.Coordinator), []string{"JH-PC-08"}, false)
	if err != nil {
		t.Fatal(err)
	}
	g := groups.New([]byte(processSecretKey))
	var ids []int64
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		if err := store.GrantConsent(ctx, tx, store.Consent{PersonID: asha, Purpose: store.PurposeSMS, NoticeVersion: "test", Channel: "web"}); err != nil {
			return err
		}
		for i := range 2 {
			grp, err := g.Register(ctx, tx, groups.Registration{PersonID: asha, DriveID: w.drive.ID, Language: "hi", Size: "51-100",
				Link: fmt.Sprintf("https://t.me/+RanchiLapse%04dxyz", i), Name: fmt.Sprintf("Ranchi youth %d", i), Channel: "web"})
			ids = append(ids, grp.ID)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	groupsAt := func() int64 {
		t.Helper()
		r := w.api(token, http.MethodGet, "/api/v1/drives/jh-sms/progress?area=JH-AC-063", "")
		var rep struct {
			Metrics []struct {
				Metric string `json:"metric"`
				Actual int64  `json:"actual"`
			} `json:"metrics"`
		}
		if err := json.Unmarshal([]byte(r.body), &rep); r.status != http.StatusOK || err != nil {
			t.Fatalf("progress: %d %s", r.status, r.body)
		}
		for _, m := range rep.Metrics {
			if m.Metric == "groups" {
				return m.Actual
			}
		}
		return 0
	}
	if got := groupsAt(); got != 2 {
		t.Fatalf("groups registered: %d, want 2", got)
	}

	clock := storetest.NewClock(time.Now())
	later, err := store.Open(ctx, dbURL, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	sweeper := groups.Sweeper{DB: later, Reminders: groups.Reminders{SMSProvider: "exotel", BaseURL: "https://jodo.example.in",
		SMSTemplates: map[string]string{"en": "1107000000000000011", "hi": "1107000000000000012"}}}
	sweep := func() groups.Swept {
		t.Helper()
		out, err := sweeper.Sweep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	reminders := func() int {
		var n int
		err := w.db.View(ctx, func(tx *store.Tx) error {
			ms, err := store.PersonMessages(ctx, tx, asha, 100)
			for _, m := range ms {
				if m.Channel == store.ChannelSMS && strings.Contains(m.Body, "/me") && strings.Contains(m.Body, "Ranchi youth") {
					n++
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	clock.Advance(23*24*time.Hour + time.Hour)
	for range 2 {
		if out := sweep(); out.Lapsed != 0 {
			t.Fatalf("day 23: %d lapsed", out.Lapsed)
		}
	}
	if n := reminders(); n != 2 {
		t.Fatalf("day 23: %d SMS reminders, want one for each group", n)
	}
	clock.Advance(6 * 24 * time.Hour)
	sweep()
	sweep()
	if n := reminders(); n != 4 {
		t.Fatalf("day 29: %d SMS reminders in all, want 4", n)
	}
	clock.Advance(2 * 24 * time.Hour)
	if out := sweep(); out.Lapsed != 2 {
		t.Fatalf("day 31: %d lapsed, want 2", out.Lapsed)
	}
	if out := sweep(); out.Lapsed != 0 {
		t.Fatalf("day 31 again: %d lapsed, want 0", out.Lapsed)
	}
	if got := groupsAt(); got != 0 {
		t.Fatalf("groups after the lapse: %d, want 0", got)
	}
	err = later.Update(ctx, func(tx *store.Tx) error {
		_, err := g.Confirm(ctx, tx, asha, ids[0])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := groupsAt(); got != 1 {
		t.Fatalf("groups after a confirmation: %d, want 1", got)
	}
}

// The server runs the sweep itself (River's hourly job, at start too): a
// group whose last confirmation is 31 days old when the server starts
// lapses without anyone calling the sweep, once.
func TestServerSweepsGroups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	past, err := store.Open(ctx, dbURL, store.Options{Clock: storetest.NewClock(time.Now().Add(-31 * 24 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	defer past.Close()
	d, err := past.DriveBySlug(ctx, "jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	w := &postsWorld{consoleWorld: &consoleWorld{t: t, db: past, dbURL: dbURL, driveID: d.ID}, drive: d}
	asha := w.volunteer("Asha Oraon", "+919876544451", "JH-AC-063")
	err = past.Update(ctx, func(tx *store.Tx) error {
		_, err := groups.New([]byte(processSecretKey)).Register(ctx, tx, groups.Registration{PersonID: asha, DriveID: d.ID, Language: "hi",
			Size: "51-100", Link: "https://t.me/+RanchiServerSweep01", Name: "Ranchi sweep", Channel: "web"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Attach(t, dbURL)
	if got := storetest.CountsAt(t, db, "JH-AC-063")["groups"]; got != 1 {
		t.Fatalf("groups before the server starts: %d, want 1", got)
	}

	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	smsServe(t, dbURL, gw)
	smsWait(t, "the server's sweep", func() bool { return storetest.CountsAt(t, db, "JH-AC-063")["groups"] == 0 })
	var mine []store.Group
	err = db.View(ctx, func(tx *store.Tx) (err error) {
		mine, err = store.GroupsOf(ctx, tx, asha)
		return err
	})
	if err != nil || len(mine) != 1 || mine[0].State != store.GroupLapsed {
		t.Fatalf("the group after the server's sweep: %+v, %v; want lapsed", mine, err)
	}
	if got := storetest.CountsAt(t, db, "JH-AC-063")["groups"]; got != 0 {
		t.Errorf("groups after the server's sweep: %d, want 0 (lapsed once)", got)
	}
}
