package bot

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
)

// The join flow's steps, in order; booth only when the AC has booths.
const (
	stepLang     = "lang"
	stepNotice   = "notice"
	stepOptin    = "optin"
	stepAge      = "age"
	stepName     = "name"
	stepDistrict = "district"
	stepAC       = "ac"
	stepBooth    = "booth"
)

// join continues the join flow, or starts it: a member is greeted as one;
// a join code links this chat to the missed caller it was sent to.
func (t *turn) join(cmd command, code string) error {
	referral := ""
	if len(code) == links.ReferralCodeLen {
		referral = code
	} else if code != "" {
		if err := t.useCode(code); err != nil {
			return err
		}
	}
	if t.chat.ParticipationID == 0 {
		// A person the webhook found but who never joined this drive.
		id, _, err := store.EnsureParticipation(t.ctx, t.tx, store.ParticipationInput{PersonID: t.person.ID,
			DriveID: t.drive.d.ID, Channel: "whatsapp", Day: t.day()})
		if err != nil {
			return err
		}
		t.chat.ParticipationID = id
	}
	if referral != "" {
		if err := t.referred(referral); err != nil {
			return err
		}
	}
	if t.chat.Registered {
		t.st = State{Lang: t.lang}
		return t.member()
	}
	if t.st.Flow != "join" || cmd == cmdJoin {
		t.st = State{Flow: "join", Lang: t.lang}
		t.st.Step = stepNotice
		if t.lang == "" {
			t.st.Step = stepLang
		}
		return t.prompt()
	}
	if t.in.Kind == Other {
		t.say("unexpected")
		return t.prompt()
	}
	switch t.st.Step {
	case stepLang:
		return t.chooseLang()
	case stepNotice:
		return t.agreeOr("notice", stepOptin, "notice.declined")
	case stepOptin:
		if a := t.answerYesNo("optin"); a != 0 {
			t.st.Optin = a == 1
			return t.next(stepAge)
		}
	case stepAge:
		switch t.answerYesNo("age") {
		case 1:
			return t.next(stepName)
		case -1:
			return t.refuseUnder18()
		}
	case stepName:
		return t.takeName()
	case stepDistrict:
		return t.chooseDistrict()
	case stepAC:
		return t.chooseAC()
	case stepBooth:
		return t.chooseBooth()
	}
	return t.prompt()
}

// agreeOr reads the answer to a notice: yes goes on to step; no ends the
// flow, keeping nothing, and says declined; neither asks again.
func (t *turn) agreeOr(notice, step, declined string) error {
	switch t.answerYesNo(notice) {
	case 1:
		return t.next(step)
	case -1:
		t.st = State{Lang: t.lang}
		t.say(declined)
		return nil
	}
	return t.prompt()
}

// next moves to step and asks its question.
func (t *turn) next(step string) error {
	t.st.Step, t.st.Page = step, 0
	return t.prompt()
}

// prompt asks the current step's question (again).
func (t *turn) prompt() error {
	if t.st.Flow == flowVolunteer {
		if asked, err := t.promptVolunteer(); asked || err != nil {
			return err
		}
	}
	if t.st.Flow == flowGroup {
		if asked, err := t.promptGroup(); asked || err != nil {
			return err
		}
	}
	switch t.st.Step {
	case stepLang:
		t.ask(Reply{Text: t2("greet", t.drive.nameIn), Choices: []Option{
			{ID: "lang:hi", Title: "हिंदी"}, {ID: "lang:en", Title: "English"}}})
	case stepNotice:
		t.ask(t.yesNo("notice"))
	case stepOptin:
		t.ask(t.yesNo("optin"))
	case stepAge:
		t.ask(t.yesNo("age"))
	case stepName:
		t.say("name")
	case stepDistrict:
		set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
		if err != nil {
			return err
		}
		t.ask(Reply{Text: t.tr(t.flowText("district")), Menu: t.tr("district.menu"),
			Choices: areaList(t.speaking(), "d:", set.districts, t.st.Page)})
	case stepAC:
		set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
		if err != nil {
			return err
		}
		t.ask(Reply{Text: t.tr(t.flowText("ac"), "District", t.districtName(set)), Menu: t.tr("ac.menu"),
			Choices: areaList(t.speaking(), "a:", t.acChoices(set), t.st.Page)})
	case stepBooth:
		t.ask(Reply{Text: t.tr("booth"), Choices: []Option{{ID: "booth:skip", Title: t.tr("booth.skip")}}})
	}
	return nil
}

// flowText is a question's text in the flow asking it: where a member
// lives (join), or where a volunteer will work ("vol.").
func (t *turn) flowText(id string) string {
	switch t.st.Flow {
	case flowVolunteer:
		return "vol." + id
	case flowGroup:
		return "grp." + id
	}
	return id
}

// t2 is a text in both languages, for before one is chosen, each naming
// the drive in its own.
func t2(id string, drive func(lang string) string) string {
	return t("hi", id, "Drive", drive("hi")) + "\n\n" + t("en", id, "Drive", drive("en"))
}

func (t *turn) chooseLang() error {
	lang := ""
	switch {
	case t.in.Kind == Choice && strings.HasPrefix(t.in.Choice, "lang:"):
		lang = strings.TrimPrefix(t.in.Choice, "lang:")
	case t.in.Kind == Text:
		lang = map[string]string{"हिंदी": "hi", "हिन्दी": "hi", "hindi": "hi", "english": "en", "अंग्रेज़ी": "en", "angrezi": "en"}[normalise(t.in.Text)]
	}
	if !validLang(lang) {
		t.ask(Reply{Text: t2("lang.again", t.drive.nameIn), Choices: []Option{{ID: "lang:hi", Title: "हिंदी"}, {ID: "lang:en", Title: "English"}}})
		return nil
	}
	t.lang = lang
	return t.next(stepNotice)
}

// takeName keeps a typed name: letters, 2 to names.MaxLen characters.
func (t *turn) takeName() error {
	if t.in.Kind != Text {
		return t.prompt()
	}
	name := strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, t.in.Text)), " ")
	letters := 0
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
			letters++
		} else if unicode.IsDigit(r) {
			letters = -1000
		}
	}
	if letters < 2 || utf8.RuneCountInString(name) > names.MaxLen {
		t.say("name.invalid")
		return nil
	}
	if names.HasHidden(name) {
		t.say("name.hidden")
		return nil
	}
	t.st.Name = name
	set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
	if err != nil {
		return err
	}
	if len(set.districts) == 0 {
		return t.next(stepAC)
	}
	return t.next(stepDistrict)
}

// register makes the person a member at area, as the web form does (the
// WhatsApp channel proves the WhatsApp number, so a person whose phone it
// is becomes verified), and offers volunteering with the welcome.
func (t *turn) register(area store.Area) error {
	grants := []string{store.PurposeMembership}
	if t.st.Optin {
		grants = append(grants, store.PurposeWhatsApp, store.PurposeSMS)
	}
	number, err := t.e.people.Register(t.ctx, t.tx, people.Registration{PersonID: t.person.ID,
		ParticipationID: t.chat.ParticipationID, DriveID: t.drive.d.ID, Name: t.st.Name, Language: langOr(t.lang), AreaID: area.ID,
		Consents: grants, NoticeVersion: NoticeVersion, Channel: "whatsapp", Evidence: "whatsapp:" + t.in.ID, Day: t.day(),
		Proof: people.ByChat})
	if err != nil {
		return err
	}
	welcome := t.tr("welcome", "Name", t.st.Name, "Drive", t.drive.nameIn(t.speaking()), "Number", membership.Format(number), "Card", t.cardURL(number))
	t.st = State{Flow: flowVolunteer, Step: stepOffer, Lang: t.lang}
	offer := t.yesNo("vol.offer", "Drive", t.drive.nameIn(t.speaking()))
	offer.Text = welcome + "\n\n" + offer.Text
	t.ask(offer)
	return nil
}

// member greets a registered member with their number and card.
func (t *turn) member() error {
	p, err := store.GetPerson(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return err
	}
	t.say("member", "Name", p.Name, "Drive", t.drive.nameIn(t.speaking()), "Number", membership.Format(p.MembershipNo), "Card", t.cardURL(p.MembershipNo))
	return nil
}

func (t *turn) cardURL(number string) string {
	return membership.CardURL(t.e.cfg.BaseURL, t.e.cfg.SecretKey, number, t.tx.Now.Add(membership.CardLinkTTL).Truncate(time.Second))
}
