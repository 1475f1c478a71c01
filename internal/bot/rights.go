package bot

import (
	"strings"

	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/phone"
)

// stop withdraws the news consents at once (people.StopMessages) and
// confirms it, once: from now on the bot answers in this person's chats
// only the rights commands until START, even for someone who never
// consented. A pending "erase your data?" (or "end your membership?") is
// dropped: only the command written after STOP asks again.
func (t *turn) stop() error {
	if err := t.e.people.StopMessages(t.ctx, t.tx, t.person.ID, t.conv.ID); err != nil {
		return err
	}
	if rightsFlows[t.st.Flow] {
		t.st = State{Lang: t.lang}
	}
	t.say("stopped")
	return nil
}

// start undoes STOP (people.StartMessages): what was given before it is
// given again, nothing more; the bot carries on where the person was (a
// volunteer offer left unanswered is not made again).
func (t *turn) start() error {
	if err := t.e.people.StartMessages(t.ctx, t.tx, t.person.ID, t.chat.StoppedAt); err != nil {
		return err
	}
	t.say("started")
	if !t.chat.StoppedAt.IsZero() && (t.st.Flow == "join" || (t.st.Flow == flowVolunteer && t.st.Step != stepOffer)) {
		return t.prompt()
	}
	return nil
}

// myData says what is held about the person (people.MyData), in their
// language.
func (t *turn) myData() error {
	none := t.tr("mydata.none")
	or := func(s string) string { return orNone(s, none) }
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
	text := t.tr("mydata", "Name", or(d.Person.Name), "Phone", or(strings.Join(phones, ", ")), "Area", or(area),
		"Number", or(number), "Consents", or(strings.Join(given, ", ")), "Drives", or(strings.Join(drives, "; ")),
		"Me", strings.TrimRight(t.e.cfg.BaseURL, "/")+"/me")
	vol, err := t.volunteerData(d)
	if err != nil {
		return err
	}
	if vol != "" {
		text += "\n\n" + vol
	}
	grp, err := t.groupsData(d)
	if err != nil {
		return err
	}
	if grp != "" {
		text += "\n\n" + grp
	}
	if req := t.requestsData(d); req != "" {
		text += "\n\n" + req
	}
	t.out = append(t.out, Reply{Text: text})
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

// confirmLeave acts on the answer to "end your membership?": yes ends it
// as withdrawing the membership consent on /me does
// (people.EndMembership) and offers erasure; anything else keeps it.
func (t *turn) confirmLeave() error {
	lang := t.lang
	t.st = State{Lang: lang}
	if t.answerYesNo("leave.confirm") != 1 {
		t.say("leave.kept")
		return nil
	}
	if err := t.e.people.EndMembership(t.ctx, t.tx, t.person.ID, "whatsapp"); err != nil {
		return err
	}
	t.say("left")
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
