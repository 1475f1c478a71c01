package bot

import (
	"strings"

	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// stop withdraws WhatsApp consent at once (if it was given) and confirms
// it, once: from now on the bot is silent in this chat until START, even
// for someone who never consented.
func (t *turn) stop() error {
	if _, err := store.WithdrawConsent(t.ctx, t.tx, t.person.ID, store.PurposeWhatsApp); err != nil {
		return err
	}
	if err := store.SetStopped(t.ctx, t.tx, t.conv.ID, true); err != nil {
		return err
	}
	if err := store.Audit(t.ctx, t.tx, actorSelf, "consent_withdraw", t.person.ID, "whatsapp, by STOP"); err != nil {
		return err
	}
	t.say("stopped")
	return nil
}

// start grants WhatsApp consent (again) and carries on where the person
// was.
func (t *turn) start(stopped bool) error {
	if err := store.SetStopped(t.ctx, t.tx, t.conv.ID, false); err != nil {
		return err
	}
	err := store.GrantConsent(t.ctx, t.tx, store.Consent{PersonID: t.person.ID, Purpose: store.PurposeWhatsApp,
		NoticeVersion: NoticeVersion, Language: langOr(t.lang), Channel: "whatsapp", Evidence: "whatsapp:" + t.in.ID})
	if err != nil {
		return err
	}
	if err := store.Audit(t.ctx, t.tx, actorSelf, "consent_grant", t.person.ID, "whatsapp, by START"); err != nil {
		return err
	}
	t.say("started")
	if stopped && t.st.Flow == "join" {
		return t.prompt()
	}
	return nil
}

// myData says what is held about the person, in their language.
func (t *turn) myData() error {
	none := t.tr("mydata.none")
	or := func(s string) string {
		if s == "" {
			return none
		}
		return s
	}
	contacts, err := store.Contacts(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return err
	}
	var phones []string
	for _, c := range contacts {
		if c.Kind == store.ContactPhone {
			phones = append(phones, phone.Mask(c.Value))
		}
	}
	area := ""
	if t.person.AreaID != 0 {
		a, err := store.AreaByID(t.ctx, t.tx, t.person.AreaID)
		if err != nil {
			return err
		}
		area = areaName(a, t.speaking())
	}
	consents, err := store.Consents(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return err
	}
	var given []string
	for _, c := range consents {
		if c.WithdrawnAt.IsZero() {
			given = append(given, t.tr("consent."+c.Purpose))
		}
	}
	parts, err := t.e.db.PersonParticipations(t.ctx, t.person.ID)
	if err != nil {
		return err
	}
	var drives []string
	for _, p := range parts {
		stage := "stage.lead"
		switch {
		case !p.VerifiedAt.IsZero():
			stage = "stage.verified"
		case !p.RegisteredAt.IsZero():
			stage = "stage.registered"
		}
		drives = append(drives, p.DriveName+" ("+t.tr(stage)+")")
	}
	number := ""
	if t.person.MembershipNo != "" {
		number = membership.Format(t.person.MembershipNo)
	}
	t.say("mydata", "Name", or(t.person.Name), "Phone", or(strings.Join(phones, ", ")), "Area", or(area),
		"Number", or(number), "Consents", or(strings.Join(given, ", ")), "Drives", or(strings.Join(drives, "; ")),
		"Me", strings.TrimRight(t.e.cfg.BaseURL, "/")+"/me")
	return t.audit("view_data", "on WhatsApp")
}

// confirmDelete acts on the answer to "erase your data?": yes erases as
// /me does; anything else keeps everything.
func (t *turn) confirmDelete() error {
	lang := t.lang
	if t.answerYesNo("delete.confirm") != 1 {
		t.st = State{Lang: lang}
		t.say("delete.kept")
		return nil
	}
	if err := t.audit("erase", "by the person, on WhatsApp"); err != nil {
		return err
	}
	if err := store.EraseAll(t.ctx, t.tx, t.person.ID, t.e.phoneHash); err != nil {
		return err
	}
	t.st = State{}
	t.say("deleted")
	return nil
}

// refuseUnder18 ends an under-18 person's join as the web does: their data
// is erased as DELETE does and a keyed hash of their phone kept, so later
// messages make nothing.
func (t *turn) refuseUnder18() error {
	if err := store.RefuseUnder18(t.ctx, t.tx, t.person.ID, t.e.phoneHash); err != nil {
		return err
	}
	t.st = State{}
	t.say("under18")
	return nil
}

func (e *Engine) phoneHash(p string) string { return store.SuppressionHash(e.cfg.SecretKey, p) }

func (t *turn) audit(action, detail string) error {
	return store.Audit(t.ctx, t.tx, actorSelf, action, t.person.ID, detail)
}

// actorSelf is the audit log's actor for what a person does to their own
// data, as on the web.
const actorSelf = "self"
