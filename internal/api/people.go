package api

import (
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/server"
)

// People are personal data: a token needs people.read, and sees only the
// people who take part in its scope, their numbers masked.
func (a *API) peopleRoutes(mux *server.Mux) {
	a.guard(mux, "GET /api/v1/people", access.PeopleRead, a.listPeople)
	a.guard(mux, "GET /api/v1/people/{id}", access.PeopleRead, a.getPerson)
}

type personJSON struct {
	ID             int64               `json:"id"`
	Name           string              `json:"name"`
	MembershipNo   string              `json:"membership_no"`
	Language       string              `json:"language"`
	Phones         []string            `json:"phones"`
	WhatsApp       []string            `json:"whatsapp"`
	Participations []participationJSON `json:"participations"`
	Consents       []consentJSON       `json:"consents"`
	Audit          []auditJSON         `json:"audit"`
}

type participationJSON struct {
	Drive     string    `json:"drive"`
	Area      string    `json:"area"`      // "": no area yet
	AreaName  string    `json:"area_name"` // "": no area yet
	Stage     string    `json:"stage"`
	Channel   string    `json:"channel"`
	FirstSeen time.Time `json:"first_seen"`
}

type consentJSON struct {
	Purpose       string     `json:"purpose"`
	State         string     `json:"state"` // granted | withdrawn
	NoticeVersion string     `json:"notice_version"`
	Channel       string     `json:"channel"`
	GrantedAt     time.Time  `json:"granted_at"`
	WithdrawnAt   *time.Time `json:"withdrawn_at"`
}

type auditJSON struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Reason string    `json:"reason,omitempty"`
}

func toPersonJSON(p directory.Person) personJSON {
	out := personJSON{ID: p.ID, Name: p.Name, MembershipNo: p.MembershipNo, Language: p.Language,
		Phones: nonNil(p.Phones), WhatsApp: nonNil(p.WhatsApp), Participations: []participationJSON{},
		Consents: []consentJSON{}, Audit: []auditJSON{}}
	for _, pp := range p.Participations {
		out.Participations = append(out.Participations, participationJSON{Drive: pp.DriveSlug, Area: pp.Area.Code,
			AreaName: pp.Area.NameEN, Stage: pp.Stage, Channel: pp.Channel, FirstSeen: pp.FirstSeenAt.UTC()})
	}
	for _, c := range p.Consents {
		cj := consentJSON{Purpose: c.Purpose, State: "granted", NoticeVersion: c.NoticeVersion, Channel: c.Channel, GrantedAt: c.GrantedAt.UTC()}
		if !c.WithdrawnAt.IsZero() {
			at := c.WithdrawnAt.UTC()
			cj.State, cj.WithdrawnAt = "withdrawn", &at
		}
		out.Consents = append(out.Consents, cj)
	}
	for _, e := range p.Audit {
		out.Audit = append(out.Audit, auditJSON{At: e.At.UTC(), Actor: e.Actor, Action: e.Action, Reason: e.Reason})
	}
	return out
}

// nonNil makes an empty list [] in JSON rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
