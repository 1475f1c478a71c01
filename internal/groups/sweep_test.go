package groups_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/store"
)

const day = 24 * time.Hour

func (w *world) sweeper(template string) groups.Sweeper {
	return groups.Sweeper{DB: w.db, Reminders: groups.Reminders{WhatsAppTemplate: template, SMSProvider: "exotel",
		SMSTemplates: map[string]string{"en": "1107000000000000001", "hi": "1107000000000000002"}, BaseURL: "https://jodo.example.in"}}
}

func (w *world) sweep(s groups.Sweeper) groups.Swept {
	w.t.Helper()
	out, err := s.Sweep(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// consent grants the person consent to the purposes.
func (w *world) consent(person int64, purposes ...string) {
	w.t.Helper()
	err := w.update(func(ctx context.Context, tx *store.Tx) error {
		for _, p := range purposes {
			if err := store.GrantConsent(ctx, tx, store.Consent{PersonID: person, Purpose: p, NoticeVersion: "v", Channel: "web"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// wrote records that the person wrote to the drive's WhatsApp number now.
func (w *world) wrote(person int64) {
	w.t.Helper()
	err := w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := store.NoteInbound(ctx, tx, store.Conversation{PersonID: person, Channel: store.ChannelWhatsApp, Business: "PNID-1",
			DriveID: w.drive.ID, LastInboundAt: tx.Now})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// messages are the person's queued messages, oldest first.
func (w *world) messages(person int64) []store.PersonMessage {
	w.t.Helper()
	var ms []store.PersonMessage
	err := w.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		ms, err = store.PersonMessages(context.Background(), tx, person, 100)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// 31 days without a confirmation, the sweep lapses the groups once,
// however often it runs; a confirmation brings one back.
func TestSweepLapsesOnce(t *testing.T) {
	w := newWorld(t)
	asha := w.volunteer("+919876500511", "JH-AC-063")
	var grps []store.Group
	for i := range 3 {
		grp, err := w.register(asha, waLink(100+i))
		if err != nil {
			t.Fatal(err)
		}
		grps = append(grps, grp)
	}
	w.clock.Advance(30*day - time.Minute)
	if out := w.sweep(w.sweeper("")); out.Lapsed != 0 || w.groupsAt("JH-AC-063") != 3 {
		t.Fatalf("a minute before 30 days: %d lapsed, %d counted", out.Lapsed, w.groupsAt("JH-AC-063"))
	}
	w.clock.Advance(day + time.Minute)
	if out := w.sweep(w.sweeper("")); out.Lapsed != 3 {
		t.Fatalf("after 31 days: %d lapsed, want 3", out.Lapsed)
	}
	if out := w.sweep(w.sweeper("")); out.Lapsed != 0 || w.groupsAt("JH-AC-063") != 0 {
		t.Fatalf("swept again: %d lapsed, %d counted, want 0 and 0", out.Lapsed, w.groupsAt("JH-AC-063"))
	}
	if err := w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := w.g.Confirm(ctx, tx, asha, grps[1].ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if out := w.sweep(w.sweeper("")); out.Lapsed != 0 || w.groupsAt("JH-AC-063") != 1 {
		t.Fatalf("confirmed one, swept: %d lapsed, %d counted, want 0 and 1", out.Lapsed, w.groupsAt("JH-AC-063"))
	}
}

// Reminders go at day 23 and day 29, each once: on WhatsApp with the
// button inside the window, as the template outside it (none without a
// template), by SMS with SMS consent only, and not at all without consent.
func TestRemindersByChannelOnce(t *testing.T) {
	w := newWorld(t)
	inWindow := w.volunteer("+919876500521", "JH-AC-063") // WhatsApp consent, writes often
	outside := w.volunteer("+919876500522", "JH-AC-063")  // WhatsApp consent, wrote once
	bySMS := w.volunteer("+919876500523", "JH-AC-063")    // SMS consent only
	silent := w.volunteer("+919876500524", "JH-AC-063")   // no messaging consent, writes often
	w.consent(inWindow, store.PurposeWhatsApp)
	w.consent(outside, store.PurposeWhatsApp)
	w.consent(bySMS, store.PurposeSMS)
	ids := map[int64]int64{}
	for i, p := range []int64{inWindow, outside, bySMS, silent} {
		grp, err := w.register(p, waLink(200+i))
		if err != nil {
			t.Fatal(err)
		}
		ids[p] = grp.ID
		w.wrote(p)
	}
	before := map[int64]int{}
	for _, p := range []int64{inWindow, outside, bySMS, silent} {
		before[p] = len(w.messages(p))
	}
	sent := func(p int64) []store.PersonMessage { return w.messages(p)[before[p]:] }

	w.clock.Advance(22 * day)
	w.wrote(inWindow)
	w.wrote(silent)
	if out := w.sweep(w.sweeper("")); len(out.Reminded) != 0 {
		t.Fatalf("day 22: reminded %v", out.Reminded)
	}
	w.clock.Advance(day + time.Hour)
	w.wrote(inWindow)
	w.wrote(silent)
	out := w.sweep(w.sweeper("")) // no WhatsApp template
	if out.Reminded["whatsapp"] != 1 || out.Reminded["sms"] != 1 || out.Reminded["none"] != 2 || out.Reminded["whatsapp_template"] != 0 {
		t.Fatalf("day 23: reminded %v", out.Reminded)
	}
	if out := w.sweep(w.sweeper("group_reminder")); len(out.Reminded) != 0 {
		t.Fatalf("day 23 again: reminded %v", out.Reminded)
	}
	w.checkButtons(sent(inWindow), ids[inWindow], 1)
	if n := len(sent(outside)); n != 0 {
		t.Fatalf("outside the window with no template: %d messages", n)
	}
	if n := len(sent(silent)); n != 0 {
		t.Fatalf("no consent: %d messages", n)
	}
	sms := sent(bySMS)
	if len(sms) != 1 || sms[0].Channel != store.ChannelSMS || !strings.Contains(sms[0].Body, "Ranchi group") ||
		!strings.Contains(sms[0].Body, "https://jodo.example.in/me") || !strings.Contains(sms[0].Body, "16-03-2026") {
		t.Fatalf("SMS reminder: %+v", sms)
	}

	w.clock.Advance(6 * day)
	w.wrote(inWindow)
	w.wrote(silent)
	out = w.sweep(w.sweeper("group_reminder"))
	if out.Reminded["whatsapp"] != 1 || out.Reminded["whatsapp_template"] != 1 || out.Reminded["sms"] != 1 || out.Reminded["none"] != 1 {
		t.Fatalf("day 29: reminded %v", out.Reminded)
	}
	if out := w.sweep(w.sweeper("group_reminder")); len(out.Reminded) != 0 {
		t.Fatalf("day 29 again: reminded %v", out.Reminded)
	}
	w.checkButtons(sent(inWindow), ids[inWindow], 2)
	tmpl := sent(outside)
	if len(tmpl) != 1 {
		t.Fatalf("outside the window with a template: %d messages", len(tmpl))
	}
	o, err := graph.DecodeOutgoing(tmpl[0].Body)
	if err != nil || o.Kind != graph.KindTemplate || o.Template.Name != "group_reminder" ||
		o.Template.Payloads[0] != "grp:confirm:"+strconv.FormatInt(ids[outside], 10) || o.Template.Params[0] != "Ranchi group" {
		t.Fatalf("template reminder: %+v, %v", o, err)
	}
	if n := len(sent(bySMS)); n != 2 {
		t.Fatalf("SMS reminders by day 29: %d, want 2", n)
	}
	if n := len(sent(silent)); n != 0 {
		t.Fatalf("no consent, day 29: %d messages", n)
	}

	// A confirmation starts the cycle again: the next reminders are the
	// next cycle's.
	if err := w.update(func(ctx context.Context, tx *store.Tx) error {
		_, err := w.g.Confirm(ctx, tx, bySMS, ids[bySMS])
		return err
	}); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(2 * day)
	if out := w.sweep(w.sweeper("group_reminder")); out.Lapsed != 3 || len(out.Reminded) != 0 {
		t.Fatalf("day 31: %d lapsed, reminded %v", out.Lapsed, out.Reminded)
	}
	w.clock.Advance(22 * day)
	if out := w.sweep(w.sweeper("group_reminder")); out.Reminded["sms"] != 1 {
		t.Fatalf("23 days after the confirmation: reminded %v", out.Reminded)
	}
}

// checkButtons checks that the last of msgs, the n-th, is the WhatsApp
// reminder with the group's "Still active" button.
func (w *world) checkButtons(msgs []store.PersonMessage, groupID int64, n int) {
	w.t.Helper()
	if len(msgs) != n {
		w.t.Fatalf("in the window: %d messages, want %d", len(msgs), n)
	}
	o, err := graph.DecodeOutgoing(msgs[n-1].Body)
	if err != nil || o.Kind != graph.KindButtons || len(o.Buttons) != 1 || o.Buttons[0].ID != groups.ConfirmPayload(groupID) ||
		!strings.Contains(o.Text, "Ranchi group") {
		w.t.Fatalf("WhatsApp reminder %d: %+v, %v", n, o, err)
	}
}

// Someone who sent STOP on WhatsApp gets no reminder there, even in their
// window with consent: the SMS goes instead.
func TestReminderAfterStop(t *testing.T) {
	w := newWorld(t)
	asha := w.volunteer("+919876500531", "JH-AC-063")
	w.consent(asha, store.PurposeWhatsApp, store.PurposeSMS)
	if _, err := w.register(asha, waLink(300)); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(23*day + time.Hour)
	err := w.update(func(ctx context.Context, tx *store.Tx) error {
		id, err := store.NoteInbound(ctx, tx, store.Conversation{PersonID: asha, Channel: store.ChannelWhatsApp, Business: "PNID-1",
			DriveID: w.drive.ID, LastInboundAt: tx.Now})
		if err != nil {
			return err
		}
		return store.SetStopped(ctx, tx, id, true)
	})
	if err != nil {
		t.Fatal(err)
	}
	if out := w.sweep(w.sweeper("group_reminder")); out.Reminded["sms"] != 1 || len(out.Reminded) != 1 {
		t.Fatalf("after STOP: reminded %v, want one SMS", out.Reminded)
	}
}
