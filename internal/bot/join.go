package bot

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/areamatch"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/names"
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
	if code != "" {
		if err := t.useCode(code); err != nil {
			return err
		}
	}
	if t.chat.ParticipationID == 0 {
		// A person the webhook found but who never joined this drive.
		if _, _, err := store.EnsureParticipation(t.ctx, t.tx, store.ParticipationInput{PersonID: t.person.ID,
			DriveID: t.drive.d.ID, Channel: "whatsapp", Day: t.day()}); err != nil {
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
		switch t.answerYesNo("notice") {
		case 1:
			return t.next(stepOptin)
		case -1:
			t.st = State{Lang: t.lang}
			t.say("notice.declined")
			return nil
		}
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

// next moves to step and asks its question.
func (t *turn) next(step string) error {
	t.st.Step, t.st.Page = step, 0
	return t.prompt()
}

// prompt asks the current step's question (again).
func (t *turn) prompt() error {
	switch t.st.Step {
	case stepLang:
		t.ask(Reply{Text: t2("greet", "Drive", t.drive.name), Choices: []Option{
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
		t.ask(Reply{Text: t.tr("district"), Menu: t.tr("district.menu"),
			Choices: areaList(t.speaking(), "d:", set.districts, t.st.Page)})
	case stepAC:
		set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
		if err != nil {
			return err
		}
		t.ask(Reply{Text: t.tr("ac", "District", t.districtName(set)), Menu: t.tr("ac.menu"),
			Choices: areaList(t.speaking(), "a:", t.acChoices(set), t.st.Page)})
	case stepBooth:
		t.ask(Reply{Text: t.tr("booth"), Choices: []Option{{ID: "booth:skip", Title: t.tr("booth.skip")}}})
	}
	return nil
}

// t2 is a text in both languages, for before one is chosen.
func t2(id string, pairs ...string) string {
	return t("hi", id, pairs...) + "\n\n" + t("en", id, pairs...)
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
		t.ask(Reply{Text: t2("lang.again"), Choices: []Option{{ID: "lang:hi", Title: "हिंदी"}, {ID: "lang:en", Title: "English"}}})
		return nil
	}
	t.lang = lang
	return t.next(stepNotice)
}

// takeName keeps a typed name: letters, 2 to 60 of them.
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
	if letters < 2 || utf8.RuneCountInString(name) > 60 {
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

// areaStep is what choosing a district and choosing an AC differ in.
type areaStep struct {
	prefix, kind string // the choice ids' prefix ("d:") and the areas' kind
	matcher      *areamatch.Matcher
	list         []store.Area // what the full list offers
	which, menu  string       // catalog ids: "did you mean", the list's button
	unclear      []string     // catalog id and fields: nothing matched the text
	pick         func(store.Area) error
	// also, if set, tries the text another way when the matcher is not
	// sure (a district step reads an AC's name too); done when it did.
	also func(text string) (done bool, err error)
}

// chooseArea takes a tapped area, a page turn, a typed name (a confident
// match is taken, a close call asked about, nothing close answered with
// the whole list) or a shared location.
func (t *turn) chooseArea(set *areaSet, s areaStep) error {
	switch t.in.Kind {
	case Choice:
		if page, ok := pageOf(t.in.Choice); ok {
			t.st.Page = page
			return t.prompt()
		}
		if a, ok := set.byCode[strings.TrimPrefix(t.in.Choice, s.prefix)]; ok && a.Kind == s.kind {
			return s.pick(a)
		}
	case Location:
		return t.located(set)
	case Text:
		cands, sure := s.matcher.Decide(t.in.Text, 5)
		if sure {
			return s.pick(set.byCode[cands[0].Area.Code])
		}
		if s.also != nil {
			if done, err := s.also(t.in.Text); done || err != nil {
				return err
			}
		}
		if len(cands) > 0 {
			t.ask(Reply{Text: t.tr(s.which), Menu: t.tr(s.menu), Choices: candidates(t.speaking(), s.prefix, set, cands)})
			return nil
		}
		t.st.Page = 0
		t.ask(Reply{Text: t.tr(s.unclear[0], s.unclear[1:]...), Menu: t.tr(s.menu), Choices: areaList(t.speaking(), s.prefix, s.list, 0)})
		return nil
	}
	return t.prompt()
}

// chooseDistrict reads a district, or an AC's name (then both are known).
func (t *turn) chooseDistrict() error {
	set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
	if err != nil {
		return err
	}
	return t.chooseArea(set, areaStep{prefix: "d:", kind: "district", matcher: set.districtM, list: set.districts,
		which: "district.which", menu: "district.menu", unclear: []string{"district.unclear", "Text", cut(t.in.Text, 40)},
		pick: func(d store.Area) error {
			t.st.District = d.Code
			return t.next(stepAC)
		},
		also: func(text string) (bool, error) {
			cands, sure := set.acM[""].Decide(text, 5)
			if !sure {
				return false, nil
			}
			ac := set.byCode[cands[0].Area.Code]
			t.st.District, t.st.AC = ac.District, ac.Code
			return true, t.afterAC(ac)
		}})
}

// chooseAC reads an AC of the chosen district.
func (t *turn) chooseAC() error {
	set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
	if err != nil {
		return err
	}
	m := set.acM[t.st.District]
	if m == nil {
		m = set.acM[""]
	}
	return t.chooseArea(set, areaStep{prefix: "a:", kind: "ac", matcher: m, list: t.acChoices(set),
		which: "ac.which", menu: "ac.menu", unclear: []string{"ac.unclear", "Text", cut(t.in.Text, 40), "District", t.districtName(set)},
		pick: func(ac store.Area) error {
			t.st.AC = ac.Code
			return t.afterAC(ac)
		}})
}

// located takes a shared location: only the AC it falls in is kept.
func (t *turn) located(set *areaSet) error {
	ac, ok := t.e.locate(set, t.in.Lat, t.in.Lon)
	if !ok {
		t.say("location.outside")
		return t.prompt()
	}
	t.st.District, t.st.AC = ac.District, ac.Code
	return t.afterAC(ac)
}

// afterAC asks for the booth when the AC has booths, else registers.
func (t *turn) afterAC(ac store.Area) error {
	set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
	if err != nil {
		return err
	}
	booths, err := t.e.boothsOf(t.ctx, set, ac.Code)
	if err != nil {
		return err
	}
	if len(booths) > 0 {
		return t.next(stepBooth)
	}
	return t.register(ac)
}

// chooseBooth takes a booth number of the AC, or Skip.
func (t *turn) chooseBooth() error {
	set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
	if err != nil {
		return err
	}
	ac := set.byCode[t.st.AC]
	if (t.in.Kind == Choice && t.in.Choice == "booth:skip") || (t.in.Kind == Text && normalise(t.in.Text) == normalise(t.tr("booth.skip"))) ||
		(t.in.Kind == Text && normalise(t.in.Text) == "skip") {
		return t.register(ac)
	}
	if t.in.Kind != Text {
		return t.prompt()
	}
	booths, err := t.e.boothsOf(t.ctx, set, ac.Code)
	if err != nil {
		return err
	}
	typed := strings.TrimLeft(strings.TrimSpace(t.in.Text), "0")
	for _, b := range booths {
		if strings.TrimLeft(b.Number, "0") == typed && typed != "" {
			return t.register(b)
		}
	}
	t.ask(Reply{Text: t.tr("booth.invalid", "Text", cut(t.in.Text, 10), "AC", areaName(ac, t.speaking())),
		Choices: []Option{{ID: "booth:skip", Title: t.tr("booth.skip")}}})
	return nil
}

// register makes the person a member at area, as the web form does: the
// WhatsApp channel proves the WhatsApp number, so a person whose phone it
// is becomes verified.
func (t *turn) register(area store.Area) error {
	partID := t.chat.ParticipationID // made when their first message was stored
	if partID == 0 {
		part, err := store.FindParticipation(t.ctx, t.tx, t.person.ID, t.drive.d.ID)
		if err != nil {
			return err
		}
		partID = part.ID
	}
	contacts, err := store.Contacts(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return err
	}
	var proven []store.Contact
	for _, c := range contacts {
		if c.Kind == store.ContactWAID {
			proven = append(proven, c, store.Contact{Kind: store.ContactPhone, Value: "+" + c.Value})
		}
	}
	grants := []string{store.PurposeMembership}
	if t.st.Optin {
		grants = append(grants, store.PurposeWhatsApp, store.PurposeSMS)
	}
	number, err := membership.Register(t.ctx, t.tx, membership.Registration{PersonID: t.person.ID, ParticipationID: partID,
		Name: t.st.Name, Language: langOr(t.lang), AreaID: area.ID, Consents: grants, NoticeVersion: NoticeVersion,
		Channel: "whatsapp", Evidence: "whatsapp:" + t.in.ID, Day: t.day(), Proven: proven})
	if err != nil {
		return err
	}
	t.say("welcome", "Name", t.st.Name, "Drive", t.drive.name, "Number", membership.Format(number), "Card", t.cardURL(number))
	t.st = State{Lang: t.lang}
	return nil
}

// member greets a registered member with their number and card.
func (t *turn) member() error {
	p, err := store.GetPerson(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return err
	}
	t.say("member", "Name", p.Name, "Drive", t.drive.name, "Number", membership.Format(p.MembershipNo), "Card", t.cardURL(p.MembershipNo))
	return nil
}

func (t *turn) cardURL(number string) string {
	return membership.CardURL(t.e.cfg.BaseURL, t.e.cfg.SecretKey, number, t.tx.Now.Add(membership.CardLinkTTL).Truncate(time.Second))
}

// useCode links this chat to the missed caller the code was sent to. From
// the caller's own number the chat is already theirs; from another number
// the chat's person is folded into the caller (only a chat's bare person
// is: anyone with more keeps their own registration). Only the WhatsApp
// number is proven by the chat, so the caller's phone stays unverified.
func (t *turn) useCode(code string) error {
	partID, err := store.UseJoinCode(t.ctx, t.tx, links.New(t.e.cfg.SecretKey).CodeHash(code))
	switch {
	case apperr.CodeOf(err) == apperr.NotFound || apperr.CodeOf(err) == apperr.Conflict || err == store.ErrLinkExpired:
		return nil // an unknown, used or old code: carry on as this chat's person
	case err != nil:
		return err
	}
	part, err := store.GetParticipation(t.ctx, t.tx, partID)
	if err != nil || part.PersonID == t.person.ID {
		return err
	}
	merged, err := store.MergeChatPerson(t.ctx, t.tx, t.person.ID, part.PersonID, t.day())
	if err != nil || !merged {
		return err
	}
	if t.chat, err = store.GetChatContext(t.ctx, t.tx, part.PersonID, t.drive.d.ID); err != nil {
		return err
	}
	t.person = t.chat.Person
	t.conv.PersonID = t.person.ID
	if t.lang == "" && validLang(t.person.Language) {
		t.lang = t.person.Language
	}
	t.say("code.other")
	return nil
}

// districtName is the chosen district's name.
func (t *turn) districtName(set *areaSet) string {
	if d, ok := set.byCode[t.st.District]; ok {
		return areaName(d, t.speaking())
	}
	return t.drive.name
}

// acChoices are the ACs to offer: the chosen district's, or all.
func (t *turn) acChoices(set *areaSet) []store.Area {
	if list := set.acsOf[t.st.District]; len(list) > 0 {
		return list
	}
	return set.acs
}

func pageOf(choice string) (int, bool) {
	p, ok := strings.CutPrefix(choice, "more:")
	if !ok || p == "" || len(p) > 3 { // a forged id must not overflow
		return 0, false
	}
	n := 0
	for _, r := range p {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, n < 1000
}
