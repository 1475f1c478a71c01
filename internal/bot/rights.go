package bot

import (
	"strings"

	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// stop withdraws WhatsApp consent at once (if it was given) and confirms
// it, once: from now on the bot is silent in this chat until START, even
// for someone who never consented.
func (t *turn) stop() error {
	err := t.e.people.ChangeConsent(t.ctx, t.tx, people.ConsentChange{PersonID: t.person.ID, Purpose: store.PurposeWhatsApp,
		Channel: "whatsapp", Detail: "whatsapp, by STOP"})
	if err != nil {
		return err
	}
	if err := store.SetStopped(t.ctx, t.tx, t.conv.ID, true); err != nil {
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
	err := t.e.people.ChangeConsent(t.ctx, t.tx, people.ConsentChange{PersonID: t.person.ID, Purpose: store.PurposeWhatsApp,
		Grant: true, NoticeVersion: NoticeVersion, Language: langOr(t.lang), Channel: "whatsapp", Evidence: "whatsapp:" + t.in.ID,
		Detail: "whatsapp, by START"})
	if err != nil {
		return err
	}
	t.say("started")
	if stopped && t.st.Flow == "join" {
		return t.prompt()
	}
	return nil
}

// myData says what is held about the person (people.MyData), in their
// language.
func (t *turn) myData() error {
	none := t.tr("mydata.none")
	or := func(s string) string {
		if s == "" {
			return none
		}
		return s
	}
	d, err := t.e.people.MyData(t.ctx, t.tx, t.person.ID, 0)
	if err != nil {
		return err
	}
	var phones []string
	for _, p := range d.Phones {
		phones = append(phones, phone.Mask(p))
	}
	area := ""
	if d.Area.ID != 0 {
		area = areaName(d.Area, t.speaking())
	}
	var given []string
	for _, c := range d.Consents {
		if c.WithdrawnAt.IsZero() {
			given = append(given, t.tr("consent."+c.Purpose))
		}
	}
	var drives []string
	for _, p := range d.Participations {
		stage := "stage.lead"
		switch {
		case !p.VerifiedAt.IsZero():
			stage = "stage.verified"
		case !p.RegisteredAt.IsZero():
			stage = "stage.registered"
		}
		drives = append(drives, locale.Name(t.speaking(), p.DriveName, p.DriveNameLocal)+" ("+t.tr(stage)+")")
	}
	number := ""
	if d.Person.MembershipNo != "" {
		number = membership.Format(d.Person.MembershipNo)
	}
	t.say("mydata", "Name", or(d.Person.Name), "Phone", or(strings.Join(phones, ", ")), "Area", or(area),
		"Number", or(number), "Consents", or(strings.Join(given, ", ")), "Drives", or(strings.Join(drives, "; ")),
		"Me", strings.TrimRight(t.e.cfg.BaseURL, "/")+"/me")
	return t.e.people.Audit(t.ctx, t.tx, t.person.ID, "view_data", "on WhatsApp")
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
	if err := t.e.people.Erase(t.ctx, t.tx, t.person.ID, "by the person, on WhatsApp"); err != nil {
		return err
	}
	t.st = State{}
	t.say("deleted")
	return nil
}

// refuseUnder18 ends an under-18 person's join as the web does
// (people.RefuseUnder18), so later messages make nothing.
func (t *turn) refuseUnder18() error {
	if err := t.e.people.RefuseUnder18(t.ctx, t.tx, t.person.ID); err != nil {
		return err
	}
	t.st = State{}
	t.say("under18")
	return nil
}
