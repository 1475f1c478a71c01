package web

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// volunteerCard is, on /me, what a volunteer of a drive gave and the posts
// they hold and held.
type volunteerCard struct {
	Area, Languages, Since string
	Handles                []handleRow
	Posts                  []postRow // held now
	History                []postEvent
}

type handleRow struct{ Platform, Handle string }

type postRow struct{ Title, Area, Since string }

// postEvent is one line of the posts' history: an appointment or a
// vacancy (Event is its message id).
type postEvent struct {
	Event, Title, Area, Date string
	at                       time.Time
}

// volunteerCards are the person's cards by participation.
func volunteerCards(ctx context.Context, tx *store.Tx, d people.Data, lang string) (map[int64]*volunteerCard, error) {
	cards := map[int64]*volunteerCard{}
	for _, pt := range d.Participations {
		c, err := volunteerCardOf(ctx, tx, d, pt, lang)
		if err != nil {
			return nil, err
		}
		if c != nil {
			cards[pt.ID] = c
		}
	}
	return cards, nil
}

// volunteerCardOf is the card of the person's volunteering in the drive,
// nil when they do not volunteer there now.
func volunteerCardOf(ctx context.Context, tx *store.Tx, d people.Data, pt store.PersonParticipation, lang string) (*volunteerCard, error) {
	i := slices.IndexFunc(d.Volunteering, func(v store.Volunteer) bool { return v.ParticipationID == pt.ID && v.EndedAt.IsZero() })
	if i < 0 {
		return nil, nil
	}
	v := d.Volunteering[i]
	dr, err := store.DriveIn(ctx, tx, pt.DriveID)
	if err != nil {
		return nil, err
	}
	f, err := drive.Open(dr.File)
	if err != nil {
		return nil, err
	}
	c := &volunteerCard{Area: areaLabel(d.Areas[v.AreaID], lang), Since: day(v.StartedAt)}
	var langs []string
	for _, code := range v.Languages {
		if l, ok := handles.LanguageOf(code); ok {
			langs = append(langs, languageLabel(l, lang))
		}
	}
	c.Languages = strings.Join(langs, ", ")
	for _, hd := range d.Handles {
		name := hd.Platform
		if p, ok := handles.Lookup(hd.Platform); ok {
			name = p.Name
		}
		shown := hd.Handle
		if hd.Platform == "whatsapp" {
			shown = phone.Mask(shown) // a number, masked as /me masks every number
		}
		c.Handles = append(c.Handles, handleRow{Platform: name, Handle: shown})
	}
	for _, a := range d.Appointments {
		if a.DriveID != pt.DriveID {
			continue
		}
		title, area := a.Post, areaLabel(d.Areas[a.AreaID], lang)
		if p, ok := f.Post(a.Post); ok {
			title = p.TitleIn(lang)
		}
		c.History = append(c.History, postEvent{Event: "vol.history.appointed", Title: title, Area: area, Date: day(a.AppointedAt), at: a.AppointedAt})
		if a.VacatedAt.IsZero() {
			c.Posts = append(c.Posts, postRow{Title: title, Area: area, Since: day(a.AppointedAt)})
			continue
		}
		c.History = append(c.History, postEvent{Event: "vol.history." + a.VacatedWhy, Title: title, Area: area, Date: day(a.VacatedAt), at: a.VacatedAt})
	}
	slices.SortStableFunc(c.History, func(a, b postEvent) int { return a.at.Compare(b.at) })
	return c, nil
}

// day is a date as the pages write it, in India's time.
func day(t time.Time) string { return t.In(ist.Zone).Format("02-01-2006") }
