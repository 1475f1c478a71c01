// Package directory is what staff see of people: finding them, a person's
// page and revealing one person's number. Everything is limited to the
// actor's scope for the permission it needs (access), numbers are masked
// unless revealed, every search, view and reveal is audited, and reveals
// are capped per staff member per day so one-by-one cannot become a bulk
// harvest. The console and the API call the same functions.
package directory

import (
	"context"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// Config sets up a Directory.
type Config struct {
	SecretKey      []byte // JODO_SECRET_KEY: keys the hashes searches are audited by
	RevealDailyCap int    // JODO_REVEAL_DAILY_CAP: reveals per staff member per day (India time); 0: none
	// PhoneSearchDailyCap is how many searches by a whole number one staff
	// member may make a day (India time); 0: none. A masked number keeps
	// six digits hidden, so guessing them by search is a million tries:
	// the cap keeps that from replacing the reveal.
	PhoneSearchDailyCap int
	Log                 *slog.Logger
	Metrics             prometheus.Registerer // nil: nowhere
}

// Directory runs the staff's use-cases on people.
type Directory struct {
	db         *store.DB
	people     *people.People
	groups     *groups.Groups // opens an invite for an admin (ShowInvite)
	searchKey  []byte
	cursors    cipher.AEAD // seals search cursors (cursor.go)
	cap        int
	phoneCap   int
	log        *slog.Logger
	capReached prometheus.Counter
	// phoneCapReached counts searches by number refused at the cap.
	phoneCapReached prometheus.Counter
}

// New returns a Directory over db.
func New(db *store.DB, cfg Config) (*Directory, error) {
	mac := hmac.New(sha256.New, cfg.SecretKey)
	mac.Write([]byte("jodo audit search"))
	d := &Directory{db: db, people: people.New(cfg.SecretKey), groups: groups.New(cfg.SecretKey), searchKey: mac.Sum(nil), cursors: newCursorAEAD(cfg.SecretKey), cap: cfg.RevealDailyCap, phoneCap: cfg.PhoneSearchDailyCap, log: cfg.Log,
		capReached: prometheus.NewCounter(prometheus.CounterOpts{Name: "jodo_reveal_cap_reached_total",
			Help: "Reveals of a phone number refused because the staff member reached the daily cap."}),
		phoneCapReached: prometheus.NewCounter(prometheus.CounterOpts{Name: "jodo_phone_search_cap_reached_total",
			Help: "Searches by a phone number refused because the staff member reached the daily cap."})}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics != nil {
		for _, c := range []prometheus.Counter{d.capReached, d.phoneCapReached} {
			if err := cfg.Metrics.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

// searchHash is what the audit keeps of a search's text: a keyed hash, so
// the same search can be told apart from another without the log holding
// a name or a number.
func (d *Directory) searchHash(text string) string {
	mac := hmac.New(sha256.New, d.searchKey)
	mac.Write([]byte(text))
	return hex.EncodeToString(mac.Sum(nil))[:16]
}

// Stage is the furthest funnel stage a participation has reached.
func Stage(p store.Participation) string {
	switch {
	case !p.ActiveAt.IsZero():
		return "active"
	case !p.VolunteerAt.IsZero():
		return "volunteer"
	case !p.VerifiedAt.IsZero():
		return "verified"
	case !p.RegisteredAt.IsZero():
		return "registered"
	}
	return "lead"
}

// Stages are the funnel's stages, first to last.
var Stages = []string{"lead", "registered", "verified", "volunteer", "active"}

// Participation is a person's participation in a drive, as staff see it.
type Participation struct {
	store.PersonParticipation
	Area  store.Area // zero: no area yet (a missed call's lead)
	Stage string
}

// Person is a person's page for staff: only what lies in the actor's
// scope, numbers masked.
type Person struct {
	ID             int64
	Name           string
	MembershipNo   string
	Language       string
	Phones         []string // masked
	WhatsApp       []string // masked
	Participations []Participation
	Consents       []store.Consent
	// Volunteering, Appointments (their posts' history) and Areas (of
	// both, by id) are those of the drives of Participations; Handles
	// have a WhatsApp number masked.
	Volunteering []store.Volunteer
	Appointments []store.Appointment
	Areas        map[int64]store.Area
	Handles      []store.Handle
	Groups       []store.Group      // of the drives of Participations, never their invites
	Audit        []store.AuditEntry // the entries about them, newest first (others' reasons and details blank below AuditRead)
}

// View is a person's page for an actor holding PeopleRead where the person
// takes part; anyone else gets not_found, whether the person exists or
// not. The view is audited.
func (d *Directory) View(ctx context.Context, actor access.Actor, personID int64) (Person, error) {
	parts, err := d.visible(ctx, actor, access.PeopleRead, personID)
	if err != nil {
		return Person{}, err
	}
	var out Person
	err = d.db.View(ctx, func(tx *store.Tx) error {
		data, err := d.people.MyData(ctx, tx, personID, 0)
		if err != nil {
			return err
		}
		out = Person{ID: personID, Name: data.Person.Name, MembershipNo: data.Person.MembershipNo, Language: data.Person.Language,
			Participations: parts, Consents: data.Consents, Areas: data.Areas, Handles: data.Handles}
		out.volunteering(data.Volunteering, data.Appointments)
		if err := out.groups(ctx, tx, data.Groups); err != nil {
			return err
		}
		numbers, err := numbersOf(ctx, tx, personID)
		if err != nil {
			return err
		}
		for _, p := range numbers.Phones {
			out.Phones = append(out.Phones, phone.Mask(p))
		}
		for _, id := range numbers.WhatsApp {
			out.WhatsApp = append(out.WhatsApp, phone.Mask("+"+id))
		}
		return nil
	})
	if err != nil {
		return Person{}, err
	}
	if out.Audit, err = d.db.AuditLog(ctx, personID); err != nil {
		return Person{}, err
	}
	// Staff elsewhere wrote some of these (a reveal's reason, a correction
	// naming another AC): who did what and when is shown, what they wrote
	// only to its writer and to those who read the whole log.
	if !actor.Can(access.AuditRead) {
		for i, e := range out.Audit {
			if e.Actor != actor.Label {
				out.Audit[i].Reason, out.Audit[i].Detail = "", ""
			}
		}
	}
	return out, d.audit(ctx, actor, store.AuditEntry{Action: "person_view", PersonID: personID})
}

// volunteering keeps the volunteering and posts of the drives the actor
// sees the person in, and masks a WhatsApp handle.
func (p *Person) volunteering(vs []store.Volunteer, as []store.Appointment) {
	seen := func(driveID int64) bool {
		return slices.ContainsFunc(p.Participations, func(pp Participation) bool { return pp.DriveID == driveID })
	}
	for _, v := range vs {
		if seen(v.DriveID) {
			p.Volunteering = append(p.Volunteering, v)
		}
	}
	for _, a := range as {
		if seen(a.DriveID) {
			p.Appointments = append(p.Appointments, a)
		}
	}
	// Handles belong to volunteering: shown only beside one the actor sees.
	if !slices.ContainsFunc(p.Volunteering, func(v store.Volunteer) bool { return v.EndedAt.IsZero() }) {
		p.Handles = nil
	}
	maskWhatsApp(p.Handles)
}

// visible returns the person's participations that lie in the actor's
// scope for need, or not_found when there are none: a person is visible
// where they take part. A participation with no area yet is visible only
// to a scope covering its drive's root area.
func (d *Directory) visible(ctx context.Context, actor access.Actor, need access.Permission, personID int64) ([]Participation, error) {
	notFound := apperr.New(apperr.NotFound, "There is nobody with this id in your areas.")
	scope := actor.Scope(need)
	if len(scope) == 0 {
		return nil, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", need)
	}
	var out []Participation
	err := d.db.View(ctx, func(tx *store.Tx) error {
		person, err := store.GetPerson(ctx, tx, personID)
		if apperr.CodeOf(err) == apperr.NotFound || (err == nil && !person.ErasedAt.IsZero()) {
			return notFound
		}
		if err != nil {
			return err
		}
		parts, err := store.PersonParticipations(ctx, tx, personID)
		if err != nil {
			return err
		}
		works, err := workAreas(ctx, tx, personID)
		if err != nil {
			return err
		}
		for _, p := range parts {
			v := Participation{PersonParticipation: p, Stage: Stage(p.Participation)}
			at := p.RootArea
			if p.AreaID != 0 {
				if v.Area, err = store.AreaByID(ctx, tx, p.AreaID); err != nil {
					return err
				}
				at = v.Area.Code
			}
			in, err := store.AreasInScope(ctx, tx, []string{at})
			if err != nil {
				return err
			}
			// Covered wholly: one AC's coordinator does not see a district
			// drive's leads. A volunteer is seen where they work too: the
			// Volunteers page lists them there.
			if store.Covers(scope, in) || (works[p.ID].ID != 0 && store.InScope(scope, works[p.ID])) {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return notFound
		}
		return nil
	})
	return out, err
}

// workAreas are the areas a person volunteers in now, by participation.
func workAreas(ctx context.Context, tx *store.Tx, personID int64) (map[int64]store.Area, error) {
	vs, err := store.VolunteeringOf(ctx, tx, personID)
	if err != nil {
		return nil, err
	}
	out := map[int64]store.Area{}
	for _, v := range vs {
		if v.EndedAt.IsZero() {
			if out[v.ParticipationID], err = store.AreaByID(ctx, tx, v.AreaID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// audit writes an entry by actor, with their scope, in a transaction of
// its own.
func (d *Directory) audit(ctx context.Context, actor access.Actor, e store.AuditEntry) error {
	e.Actor, e.Scope = actor.Label, actor.ScopeLabel()
	return d.db.Update(ctx, func(tx *store.Tx) error { return store.Audit(ctx, tx, e) })
}
