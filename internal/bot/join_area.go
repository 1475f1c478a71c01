package bot

import (
	"strings"

	"github.com/jodo-org/jodo/internal/areamatch"
	"github.com/jodo-org/jodo/internal/store"
)

// areaStep is what choosing a district and choosing an AC differ in.
type areaStep struct {
	prefix, kind string // the choice ids' prefix ("d:") and the areas' kind
	matcher      *areamatch.Matcher
	list         []store.Area // what the full list offers
	which, menu  string       // catalog ids: "did you mean", the list's button
	unclear      []string     // catalog id and fields: nothing matched the text
	pick         func(store.Area) error
	// also, if set, tries the text another way first, given what the
	// matcher made of it (a district step reads an AC's name too); done
	// when it did.
	also func(text string, cands []areamatch.Candidate, sure bool) (done bool, err error)
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
		if s.also != nil {
			if done, err := s.also(t.in.Text, cands, sure); done || err != nil {
				return err
			}
		}
		if sure {
			return s.pick(set.byCode[cands[0].Area.Code])
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

// chooseDistrict reads a district, or an AC's name (then both are known):
// a district's own name is the district, an AC's the AC (areamatch.Narrower).
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
		also: func(text string, districts []areamatch.Candidate, districtSure bool) (bool, error) {
			cands, sure := set.acM[""].Decide(text, 5)
			if !areamatch.Narrower(districts, cands, districtSure, sure) {
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

// afterAC asks for the booth when the AC has booths, else takes the AC.
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
	return t.placed(ac)
}

// placed takes the area the flow asked for: where a member lives (join),
// or where a volunteer will work.
func (t *turn) placed(a store.Area) error {
	switch t.st.Flow {
	case flowVolunteer:
		t.st.Work = a.Code
		return t.next(stepLangs)
	case flowGroup:
		t.st.Work = a.Code
		return t.afterWhere()
	}
	return t.register(a)
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
		return t.placed(ac)
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
			return t.placed(b)
		}
	}
	t.ask(Reply{Text: t.tr("booth.invalid", "Text", cut(t.in.Text, 10), "AC", areaName(ac, t.speaking())),
		Choices: []Option{{ID: "booth:skip", Title: t.tr("booth.skip")}}})
	return nil
}

// districtName is the chosen district's name.
func (t *turn) districtName(set *areaSet) string {
	if d, ok := set.byCode[t.st.District]; ok {
		return areaName(d, t.speaking())
	}
	return t.drive.nameIn(t.speaking())
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
