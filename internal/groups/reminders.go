package groups

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/smstext"
	"github.com/jodo-org/jodo/internal/store"
)

// RemindBefore is how long before a group lapses each reminder goes:
// reminder 1 seven days before, reminder 2 one day before.
var RemindBefore = map[int]time.Duration{1: 7 * 24 * time.Hour, 2: 24 * time.Hour}

// ConfirmPayload is what the "Still active" button of a reminder sends
// back: the bot confirms the group for whoever taps it, if it is theirs.
func ConfirmPayload(groupID int64) string { return "grp:confirm:" + strconv.FormatInt(groupID, 10) }

// Reminders says how the sweep reminds owners. Every reminder is outreach:
// it goes only with the person's consent for its channel, which the outbox
// checks again when it sends.
type Reminders struct {
	// WhatsAppTemplate is the approved WhatsApp template
	// (JODO_WA_TEMPLATE_GROUP_REMINDER) sent outside the person's 24-hour
	// window: body variables the group's name and the day it lapses, one
	// quick-reply button. "": no WhatsApp reminder outside the window.
	WhatsAppTemplate string
	// SMSProvider is the provider SMS go through; "" or "none": no SMS.
	SMSProvider string
	// SMSTemplates are the reminder's DLT template ids by language
	// (JODO_SMS_TEMPLATE_GROUP_REMINDER_EN, _HI); none: no SMS reminder.
	SMSTemplates map[string]string
	BaseURL      string
	// Window is the WhatsApp customer-service window, as the outbox takes
	// it (0: its default, 24 hours less 10 minutes).
	Window time.Duration
}

// Reminded counts what one sweep's reminders did, by channel: "whatsapp",
// "whatsapp_template", "sms", and "none" (no consent, no way to reach).
type Reminded map[string]int

// remind sends reminder n of grp, once (MarkReminded guards it): on
// WhatsApp when the owner may get it there, else by SMS, else not at all.
// It returns the channel it went on.
func (r Reminders) remind(ctx context.Context, tx *store.Tx, grp store.Group, n int) (string, error) {
	if first, err := store.MarkReminded(ctx, tx, grp.ID, n, grp.ConfirmedAt); err != nil || !first {
		return "", err
	}
	p, err := store.GetPerson(ctx, tx, grp.PersonID)
	if err != nil || !p.ErasedAt.IsZero() {
		return "none", err
	}
	lang := "hi"
	if p.Language == "en" {
		lang = "en"
	}
	lapses := grp.ConfirmedAt.Add(ConfirmEvery).In(ist.Zone).Format("02-01-2006")
	msg, how, err := r.whatsApp(ctx, tx, grp, lang, lapses)
	if err == nil && msg == nil {
		msg, how, err = r.sms(ctx, tx, grp, lang, lapses)
	}
	if err != nil || msg == nil {
		return "none", err
	}
	_, err = store.EnqueueMessages(ctx, tx, []store.OutboxMessage{*msg})
	return how, err
}

// consented says whether the person's consent to purpose is in force.
func consented(ctx context.Context, tx *store.Tx, personID int64, purpose string) (bool, error) {
	state, err := store.ConsentState(ctx, tx, personID, purpose)
	return state == store.ConsentGranted, err
}

// whatsApp is the reminder on WhatsApp, to the number the owner last wrote
// to in the drive: the message with its button inside their window, the
// template outside it; nil when it cannot go (no consent, never wrote,
// STOP, or outside the window with no template).
func (r Reminders) whatsApp(ctx context.Context, tx *store.Tx, grp store.Group, lang, lapses string) (*store.OutboxMessage, string, error) {
	if ok, err := consented(ctx, tx, grp.PersonID, store.PurposeWhatsApp); err != nil || !ok {
		return nil, "", err
	}
	c, stopped, err := store.ReminderConversation(ctx, tx, grp.PersonID, grp.DriveID)
	if apperr.CodeOf(err) == apperr.NotFound || stopped {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	to, err := reachAt(ctx, tx, grp.PersonID, store.ContactWAID, store.ContactPhone)
	if err != nil || to == "" {
		return nil, "", err
	}
	var tmpl *graph.TemplateRef
	if r.WhatsAppTemplate != "" {
		tmpl = &graph.TemplateRef{Name: r.WhatsAppTemplate, Language: lang, Params: []string{grp.Name, lapses},
			Payloads: []string{ConfirmPayload(grp.ID)}}
	}
	o, how := graph.Outgoing{Kind: graph.KindTemplate, Template: tmpl}, "whatsapp_template"
	if c.WindowOpen(tx.Now, cmp.Or(r.Window, 24*time.Hour-10*time.Minute)) {
		o, how = graph.Outgoing{Kind: graph.KindButtons, Text: fmt.Sprintf(reminderText[lang], grp.Name, lapses),
			Buttons: []graph.Button{{ID: ConfirmPayload(grp.ID), Title: stillActive[lang]}}, Template: tmpl}, "whatsapp"
	} else if tmpl == nil {
		return nil, "", nil
	}
	body, err := o.Encode()
	if err != nil {
		// A name WhatsApp refuses goes by SMS, or not at all, rather
		// than hold every later reminder back.
		return nil, "", nil
	}
	return &store.OutboxMessage{PersonID: grp.PersonID, Channel: store.ChannelWhatsApp, Provider: store.ChannelWhatsApp,
		Class: store.ClassOutreach, Body: body, To: to, From: c.Business, DriveID: grp.DriveID}, how, nil
}

// sms is the reminder by SMS in the registered template of the person's
// language; nil without SMS consent, a template id or a phone number.
func (r Reminders) sms(ctx context.Context, tx *store.Tx, grp store.Group, lang, lapses string) (*store.OutboxMessage, string, error) {
	id := r.SMSTemplates[lang]
	if r.SMSProvider == "" || r.SMSProvider == "none" || id == "" {
		return nil, "", nil
	}
	if ok, err := consented(ctx, tx, grp.PersonID, store.PurposeSMS); err != nil || !ok {
		return nil, "", err
	}
	to, err := reachAt(ctx, tx, grp.PersonID, store.ContactPhone)
	if err != nil || to == "" {
		return nil, "", err
	}
	text := strings.ReplaceAll(smstext.GroupReminder[lang], smstext.BaseURL, r.BaseURL)
	body, err := sms.Template{ID: id, Text: text}.Render(sms.Clip(grp.Name), lapses)
	if err != nil {
		return nil, "", nil // likewise: this reminder is not sent, the sweep goes on
	}
	return &store.OutboxMessage{PersonID: grp.PersonID, Channel: store.ChannelSMS, Provider: r.SMSProvider,
		Class: store.ClassOutreach, Template: id, Body: body, To: to, DriveID: grp.DriveID}, "sms", nil
}

// reachAt is the person's number as E.164 from the first of kinds they
// have (a WhatsApp id is their number without "+"); "" if none.
func reachAt(ctx context.Context, tx *store.Tx, personID int64, kinds ...string) (string, error) {
	cs, err := store.Contacts(ctx, tx, personID)
	if err != nil {
		return "", err
	}
	for _, k := range kinds {
		for _, c := range cs {
			if c.Kind == k {
				return "+" + strings.TrimPrefix(c.Value, "+"), nil
			}
		}
	}
	return "", nil
}

var reminderText = map[string]string{
	"en": "Is your group “%s” still active? Unless you confirm it, it stops counting for the drive on %s. Tap “Still active”.",
	"hi": "क्या आपका ग्रुप “%s” अभी भी चल रहा है? पक्का न करने पर यह %s से अभियान में नहीं गिना जाएगा। “अभी चालू है” दबाएँ।",
}

var stillActive = map[string]string{"en": "Still active", "hi": "अभी चालू है"}
