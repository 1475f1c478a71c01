package bot

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/store"
)

// The group flow (groups.Register): a volunteer sends GROUP, pastes the
// invite link, says where the group is (their work area, or another
// through the join flow's district, AC and booth steps), its language,
// its size and its name.
const (
	flowGroup  = "group"
	stepGLink  = "glink"
	stepGWhere = "gwhere" // "is it in <their work area>?"
	stepGLang  = "glang"
	stepGSize  = "gsize"
	stepGName  = "gname"
)

// groupSteps are the steps a problem sends the volunteer back to, in order.
var groupSteps = []string{stepGLink, stepGWhere, stepGLang, stepGSize, stepGName}

// groupFieldStep is the step that asks for each field groups.Problems names.
var groupFieldStep = map[string]string{"link": stepGLink, "area": stepGWhere, "language": stepGLang, "size": stepGSize, "name": stepGName}

// startGroup begins the flow for a volunteer of the drive; anyone else is
// told how to become one.
func (t *turn) startGroup() error {
	v, err := t.volunteering()
	if err != nil || v.AreaID == 0 {
		return err
	}
	t.st = State{Flow: flowGroup, Lang: t.lang}
	return t.next(stepGLink)
}

// volunteering is the person's live volunteering in the chat's drive; a
// zero one (and the reason said) when they do not volunteer there.
func (t *turn) volunteering() (store.Volunteer, error) {
	if t.chat.ParticipationID != 0 {
		v, err := store.VolunteerOf(t.ctx, t.tx, t.chat.ParticipationID)
		if err == nil && v.EndedAt.IsZero() {
			return v, nil
		}
		if err != nil && apperr.CodeOf(err) != apperr.NotFound {
			return store.Volunteer{}, err
		}
	}
	t.st = State{Lang: t.lang}
	t.say("grp.volunteer.first")
	return store.Volunteer{}, nil
}

// group continues the group flow.
func (t *turn) group() error {
	if t.in.Kind == Other {
		t.say("unexpected")
		return t.prompt()
	}
	answer, ok := groupAnswers[t.st.Step]
	if !ok {
		answer, ok = areaAnswers[t.st.Step]
	}
	if ok {
		return answer(t)
	}
	return t.prompt()
}

// groupAnswers read the answer to each of the group flow's own steps.
var groupAnswers = map[string]func(*turn) error{
	stepGLink:  (*turn).takeLink,
	stepGWhere: (*turn).chooseGroupWhere,
	stepGLang:  (*turn).chooseGroupLanguage,
	stepGSize:  (*turn).chooseSize,
	stepGName:  (*turn).finishGroup,
}

// areaAnswers read the join flow's area steps, which the group flow asks
// too (where the group is).
var areaAnswers = map[string]func(*turn) error{
	stepDistrict: (*turn).chooseDistrict,
	stepAC:       (*turn).chooseAC,
	stepBooth:    (*turn).chooseBooth,
}

// promptGroup asks the group flow's questions; false for a step it does
// not own.
func (t *turn) promptGroup() (bool, error) {
	lang := t.speaking()
	switch t.st.Step {
	case stepGLink:
		t.say("grp.link")
	case stepGWhere:
		home, err := t.workArea()
		if err != nil {
			return true, err
		}
		t.ask(t.yesNo("grp.where", "Area", areaName(home, lang)))
	case stepBooth:
		set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
		if err != nil {
			return true, err
		}
		t.ask(Reply{Text: t.tr("grp.booth", "AC", areaName(set.byCode[t.st.AC], lang)),
			Choices: []Option{{ID: "booth:skip", Title: t.tr("booth.skip")}}})
	case stepGLang:
		t.ask(t.groupLanguagePrompt())
	case stepGSize:
		rows := make([]Option, 0, len(groups.Sizes))
		for i, s := range groups.Sizes {
			rows = append(rows, Option{ID: "gs:" + strconv.Itoa(i+1), Title: s})
		}
		t.ask(Reply{Text: t.tr("grp.size"), Menu: t.tr("grp.size.menu"), Choices: rows})
	case stepGName:
		t.say("grp.name")
	default:
		return false, nil
	}
	return true, nil
}

// workArea is the area the volunteer works in.
func (t *turn) workArea() (store.Area, error) {
	v, err := store.VolunteerOf(t.ctx, t.tx, t.chat.ParticipationID)
	if err != nil {
		return store.Area{}, err
	}
	return store.AreaByID(t.ctx, t.tx, v.AreaID)
}

// takeLink keeps a pasted invite when it reads as one; a link it cannot
// read is said why, and asked again.
func (t *turn) takeLink() error {
	if t.in.Kind != Text {
		return t.prompt()
	}
	inv, reason := groups.ParseInvite(t.in.Text)
	if reason != "" {
		t.say("grp.link." + reason)
		return nil
	}
	t.st.Link = inv.Link()
	if t.st.GLang != "" && t.st.Size != "" { // asked again after a problem: the rest is kept
		return t.next(stepGName)
	}
	return t.next(stepGWhere)
}

// chooseGroupWhere reads "is it in your work area?": yes leaves the area
// to groups.Register (the work area), another place asks for it.
func (t *turn) chooseGroupWhere() error {
	switch t.answerYesNo("grp.where") {
	case 1:
		t.st.Work = ""
		return t.afterWhere()
	case -1:
		set, err := t.e.areasOf(t.ctx, t.drive.d.RootArea)
		if err != nil {
			return err
		}
		return t.askWhere(set)
	}
	return t.prompt()
}

// afterWhere goes on from the group's area: to its language, or (asked
// again after a problem, the rest kept) to its name.
func (t *turn) afterWhere() error {
	if t.st.GLang != "" && t.st.Size != "" {
		return t.next(stepGName)
	}
	return t.next(stepGLang)
}

// groupLanguagePrompt numbers the languages (for typing) and lists them.
func (t *turn) groupLanguagePrompt() Reply {
	lang := t.speaking()
	rows := make([]Option, 0, len(handles.Languages))
	list := make([]string, 0, len(handles.Languages))
	for i, l := range handles.Languages {
		list = append(list, strconv.Itoa(i+1)+" "+languageName(l, lang))
		rows = append(rows, Option{ID: "gl:" + l.Code, Title: languageName(l, lang), Description: l.Native})
	}
	return Reply{Text: t.tr("grp.lang", "List", strings.Join(list, "\n")), Menu: t.tr("vol.langs.menu"), Choices: pageRows(lang, rows, t.st.Page)}
}

// chooseGroupLanguage takes one language: tapped, its number or its name.
func (t *turn) chooseGroupLanguage() error {
	code := ""
	switch t.in.Kind {
	case Choice:
		if page, ok := pageOf(t.in.Choice); ok {
			t.st.Page = page
			return t.prompt()
		}
		code, _ = strings.CutPrefix(t.in.Choice, "gl:")
	case Text:
		if codes, unread := parseLanguages(t.in.Text); len(codes) == 1 && len(unread) == 0 {
			code = codes[0]
		}
	}
	if _, ok := handles.LanguageOf(code); !ok {
		t.say("grp.lang.unclear")
		return t.prompt()
	}
	t.st.GLang = code
	if t.st.Size != "" {
		return t.next(stepGName)
	}
	return t.next(stepGSize)
}

// chooseSize takes a size: tapped, its number in the list or typed as shown.
func (t *turn) chooseSize() error {
	size := ""
	switch t.in.Kind {
	case Choice:
		size = sizeOf(strings.TrimPrefix(t.in.Choice, "gs:"))
	case Text:
		size = sizeOf(t.in.Text)
	}
	if size == "" {
		t.say("grp.size.unclear")
		return t.prompt()
	}
	t.st.Size = size
	return t.next(stepGName)
}

// sizeOf reads a size: its place in groups.Sizes (1-based) or the size
// itself ("51-100", "1025+"); "" for neither.
func sizeOf(text string) string {
	text = strings.Join(strings.Fields(text), "")
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(groups.Sizes) {
		return groups.Sizes[n-1]
	}
	if slices.Contains(groups.Sizes, text) {
		return text
	}
	return ""
}

// finishGroup takes the name and registers the group (groups.Register); a
// problem is said and its step asked again, the rest kept.
func (t *turn) finishGroup() error {
	if t.in.Kind != Text {
		return t.prompt()
	}
	var grp store.Group
	err := store.Isolate(t.ctx, t.tx, func() error {
		var err error
		grp, err = t.e.groups.Register(t.ctx, t.tx, groups.Registration{PersonID: t.person.ID, DriveID: t.drive.d.ID,
			Link: t.st.Link, Area: t.st.Work, Language: t.st.GLang, Size: t.st.Size, Name: t.in.Text, Channel: "whatsapp"})
		return err
	})
	var probs groups.Problems
	if errors.As(err, &probs) {
		return t.groupProblems(probs)
	}
	if err != nil {
		return err
	}
	live, err := t.liveGroups()
	if err != nil {
		return err
	}
	t.st = State{Lang: t.lang}
	t.say("grp.registered", "Name", grp.Name, "Count", strconv.Itoa(live), "Asked", strconv.Itoa(t.drive.file.GroupsAsked()))
	return nil
}

// groupProblems says each problem in the person's language and asks again
// the first step that has one.
func (t *turn) groupProblems(probs groups.Problems) error {
	if probs["volunteer"] != "" {
		t.st = State{Lang: t.lang}
		t.say("grp.volunteer.first")
		return nil
	}
	step := len(groupSteps) - 1
	for _, field := range slices.Sorted(maps.Keys(probs)) {
		at, ok := groupFieldStep[field]
		if !ok {
			continue
		}
		t.say(problemText(field, probs[field]))
		t.st.forget(field)
		step = min(step, slices.Index(groupSteps, at))
	}
	return t.next(groupSteps[step])
}

// problemText is the catalog id that words a field's problem: a link's
// reason as the link step words it ("taken" without saying by whom), any
// other field's by the field alone.
func problemText(field, reason string) string {
	if field == "link" {
		return "grp.link." + reason
	}
	return "grp.problem." + field
}

// forget drops the answer a problem was found in, so it is asked again.
func (s *State) forget(field string) {
	switch field {
	case "link":
		s.Link = ""
	case "area":
		s.Work = ""
	case "language":
		s.GLang = ""
	case "size":
		s.Size = ""
	}
}
