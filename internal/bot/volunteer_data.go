package bot

import (
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
)

// volunteerData is MY DATA's part on volunteering: for each drive the
// person volunteers in, where, in which languages, their handles and the
// posts they hold; "" for someone who does not volunteer.
func (t *turn) volunteerData(d people.Data) (string, error) {
	lang, none := t.speaking(), t.tr("mydata.none")
	var shown []string
	for _, h := range d.Handles {
		shown = append(shown, platformName(h.Platform)+": "+shownHandle(h.Platform, h.Handle))
	}
	var parts []string
	for _, v := range d.Volunteering {
		if !v.EndedAt.IsZero() {
			continue
		}
		c, err := t.e.drive(t.ctx, v.DriveID)
		if err != nil {
			return "", err
		}
		var held []string
		for _, a := range d.Appointments {
			if a.DriveID != v.DriveID || !a.VacatedAt.IsZero() {
				continue
			}
			title := a.Post
			if p, ok := c.file.Post(a.Post); ok {
				title = p.TitleIn(lang)
			}
			held = append(held, title+" ("+areaName(d.Areas[a.AreaID], lang)+")")
		}
		parts = append(parts, t.tr("mydata.vol", "Drive", c.nameIn(lang), "Area", areaName(d.Areas[v.AreaID], lang),
			"Languages", orNone(languageNames(v.Languages, lang), none), "Handles", orNone(strings.Join(shown, ", "), none),
			"Posts", orNone(strings.Join(held, ", "), none)))
	}
	return strings.Join(parts, "\n\n"), nil
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

// askStopVolunteering asks a volunteer to confirm STOP VOLUNTEERING.
func (t *turn) askStopVolunteering() error {
	vs, err := store.VolunteeringOf(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(vs, func(v store.Volunteer) bool { return v.EndedAt.IsZero() }) {
		t.say("unvol.none")
		return nil
	}
	t.st = State{Flow: flowUnvolunteer, Lang: t.lang}
	t.ask(t.yesNo("unvol.confirm"))
	return nil
}

// confirmStopVolunteering acts on the answer: yes withdraws the volunteer
// consent as /me does (people.ChangeConsent: volunteering ends, posts are
// vacated, handles deleted, the membership stays); anything else keeps it.
func (t *turn) confirmStopVolunteering() error {
	t.st = State{Lang: t.lang}
	if t.answerYesNo("unvol.confirm") != 1 {
		t.say("unvol.kept")
		return nil
	}
	err := t.e.people.ChangeConsent(t.ctx, t.tx, people.ConsentChange{PersonID: t.person.ID, Purpose: store.PurposeVolunteer,
		Channel: "whatsapp", Detail: store.PurposeVolunteer})
	if err != nil {
		return err
	}
	t.say("unvol.done")
	return nil
}
