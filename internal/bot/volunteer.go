package bot

import (
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// The volunteer flow (people.Volunteer): offered with the welcome, or
// asked for with VOLUNTEER. Its district, AC and booth steps are the join
// flow's, asking where the volunteer will work.
const (
	flowVolunteer   = "volunteer"
	flowUnvolunteer = "unvolunteer" // "stop volunteering?" asked
	stepOffer       = "offer"       // the welcome's "become a volunteer?"
	stepVNotice     = "vnotice"
	stepWork        = "work" // "work in <their AC>?"
	stepLangs       = "langs"
	stepWA          = "wa" // "this chat's number as your WhatsApp?"
	stepHandles     = "handles"
)

// volunteerSteps are the steps a problem sends the person back to, in order.
var volunteerSteps = []string{stepVNotice, stepWork, stepLangs, stepHandles}

// startVolunteering begins the flow for a member; anyone else is told to
// join first, and whatever they were doing carries on.
func (t *turn) startVolunteering() error {
	if !t.chat.Registered {
		t.say("vol.member.first")
		return nil
	}
	t.st = State{Flow: flowVolunteer, Lang: t.lang}
	// A volunteer running the flow again to change something keeps the
	// handles they gave unless they give others.
	given, err := store.Handles(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return err
	}
	kept := map[string]string{}
	for _, h := range given {
		kept[h.Platform] = h.Handle
	}
	t.st.Handles = encodeHandles(kept)
	return t.next(stepVNotice)
}

// volunteer continues the volunteer flow.
func (t *turn) volunteer() error {
	if !t.chat.Registered { // ended their membership since
		t.st = State{Lang: t.lang}
		t.say("vol.member.first")
		return nil
	}
	if t.st.Step == stepOffer {
		return t.answerOffer()
	}
	if t.in.Kind == Other {
		t.say("unexpected")
		return t.prompt()
	}
	if answer, ok := volunteerAnswers[t.st.Step]; ok {
		return answer(t)
	}
	return t.prompt()
}

// volunteerAnswers read the answer to each step's question.
var volunteerAnswers = map[string]func(*turn) error{
	stepVNotice:  func(t *turn) error { return t.agreeOr("vol.notice", stepWork, "vol.declined") },
	stepWork:     (*turn).chooseWork,
	stepDistrict: (*turn).chooseDistrict,
	stepAC:       (*turn).chooseAC,
	stepBooth:    (*turn).chooseBooth,
	stepLangs:    (*turn).chooseLanguages,
	stepWA:       (*turn).chooseChatNumber,
	stepHandles:  (*turn).takeHandles,
}

// answerOffer reads the answer to the welcome's offer; anything else than
// yes or no is no answer to it, and is answered as any member's message.
func (t *turn) answerOffer() error {
	switch t.answerYesNo("vol.offer") {
	case 1:
		return t.startVolunteering()
	case -1:
		t.st = State{Lang: t.lang}
		t.say("vol.later")
		return nil
	}
	t.st = State{Lang: t.lang}
	return t.join(cmdNone, "")
}

// promptVolunteer asks the volunteer flow's own steps' questions; false
// for the steps it shares with the join flow.
func (t *turn) promptVolunteer() (bool, error) {
	switch t.st.Step {
	case stepOffer:
		t.ask(t.yesNo("vol.offer", "Drive", t.drive.nameIn(t.speaking())))
	case stepVNotice:
		t.ask(t.yesNo("vol.notice"))
	case stepWork:
		set, home, err := t.homeAC()
		if err != nil || home.Code == "" {
			return true, errors.Join(err, t.askWhere(set))
		}
		t.ask(t.yesNo("vol.work", "AC", areaName(home, t.speaking())))
	case stepBooth:
		set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
		if err != nil {
			return true, err
		}
		t.ask(Reply{Text: t.tr("vol.booth", "AC", areaName(set.byCode[t.st.AC], t.speaking())),
			Choices: []Option{{ID: "booth:skip", Title: t.tr("booth.skip")}}})
	case stepLangs:
		t.ask(t.languagesPrompt())
	case stepWA:
		number, err := t.chatNumber()
		if err != nil || number == "" {
			return true, errors.Join(err, t.next(stepHandles))
		}
		t.ask(t.yesNo("vol.wa", "Number", phone.Mask(number)))
	case stepHandles:
		t.ask(t.handlesPrompt(true))
	default:
		return false, nil
	}
	return true, nil
}

// homeAC is the AC the member lives in ("" when it is not one of the
// drive's), offered as where they will work.
func (t *turn) homeAC() (*areaSet, store.Area, error) {
	set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
	if err != nil || t.person.AreaID == 0 {
		return set, store.Area{}, err
	}
	home, err := store.AreaByID(t.ctx, t.tx, t.person.AreaID)
	if err != nil {
		return set, store.Area{}, err
	}
	code := home.Code
	if home.Kind == "booth" {
		code = home.Parent
	}
	return set, set.byCode[code], nil
}

// chooseWork reads "work in your AC?": yes goes on to its booth, another
// place to the district and AC lists.
func (t *turn) chooseWork() error {
	set, home, err := t.homeAC()
	if err != nil {
		return err
	}
	switch t.answerYesNo("vol.work") {
	case 1:
		if home.Code != "" {
			t.st.District, t.st.AC = home.District, home.Code
			return t.afterAC(home)
		}
	case -1:
		return t.askWhere(set)
	}
	return t.prompt()
}

// askWhere asks for the district (the AC when the drive has no districts).
func (t *turn) askWhere(set *areaSet) error {
	if set == nil || len(set.districts) == 0 {
		return t.next(stepAC)
	}
	return t.next(stepDistrict)
}

// chatNumber is the number this chat comes from, as a WhatsApp handle;
// "" when unknown.
func (t *turn) chatNumber() (string, error) {
	contacts, err := store.Contacts(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return "", err
	}
	for _, kind := range []string{store.ContactWAID, store.ContactPhone} {
		for _, c := range contacts {
			if c.Kind != kind {
				continue
			}
			if h, err := handles.Normalise("whatsapp", "+"+strings.TrimPrefix(c.Value, "+")); err == nil {
				return h, nil
			}
		}
	}
	return "", nil
}

// chooseChatNumber reads "this chat's number as your WhatsApp?".
func (t *turn) chooseChatNumber() error {
	switch t.answerYesNo("vol.wa") {
	case 1:
		number, err := t.chatNumber()
		if err != nil {
			return err
		}
		kept := decodeHandles(t.st.Handles)
		kept["whatsapp"] = number
		t.st.Handles = encodeHandles(kept)
		return t.next(stepHandles)
	case -1:
		return t.next(stepHandles)
	}
	return t.prompt()
}

// finishVolunteering gives what the flow gathered to people.Volunteer; a
// problem is said and its step asked again, the rest kept.
func (t *turn) finishVolunteering() error {
	var started bool
	// In a savepoint: a refusal leaves nothing of the attempt behind, while
	// the turn (its state and replies) still commits.
	err := store.Isolate(t.ctx, t.tx, func() error {
		var err error
		started, err = t.e.people.Volunteer(t.ctx, t.tx, people.Volunteering{PersonID: t.person.ID, DriveID: t.drive.d.ID,
			Agreed: true, Area: t.st.Work, Languages: t.chosenLangs(), Handles: decodeHandles(t.st.Handles),
			NoticeVersion: VolunteerNoticeVersion, Language: langOr(t.lang), Channel: "whatsapp", Evidence: "whatsapp:" + t.in.ID,
			Proof: people.ByChat})
		return err
	})
	var probs people.Problems
	if errors.As(err, &probs) {
		return t.volunteerProblems(probs)
	}
	if err != nil {
		return err
	}
	area, err := store.AreaByCode(t.ctx, t.tx, t.st.Work)
	if err != nil {
		return err
	}
	t.st = State{Lang: t.lang}
	if !started {
		t.say("vol.updated", "Area", areaName(area, t.speaking()))
		return nil
	}
	t.say("vol.started", "Name", t.person.Name, "Drive", t.drive.nameIn(t.speaking()), "Area", areaName(area, t.speaking()))
	return nil
}

// volunteerProblems says each problem in the person's language and asks
// again the first step that has one.
func (t *turn) volunteerProblems(probs people.Problems) error {
	switch {
	case probs["member"] != "":
		t.st = State{Lang: t.lang}
		t.say("vol.member.first")
		return nil
	case probs["phone"] != "":
		t.st = State{Lang: t.lang}
		t.say("vol.problem.phone")
		return nil
	}
	step := len(volunteerSteps) - 1
	kept := decodeHandles(t.st.Handles)
	for _, field := range slices.Sorted(maps.Keys(probs)) {
		at := stepHandles
		switch field {
		case "consent":
			at = stepVNotice
		case "area":
			t.say("vol.problem.area")
			at, t.st.Work = stepWork, ""
		case "languages":
			t.say("vol.problem.languages")
			at, t.st.Langs = stepLangs, ""
		default:
			platform := strings.TrimPrefix(field, "handle.")
			t.sayHandleProblem(platform, probs[field])
			delete(kept, platform)
		}
		step = min(step, slices.Index(volunteerSteps, at))
	}
	t.st.Handles = encodeHandles(kept)
	return t.next(volunteerSteps[step])
}
