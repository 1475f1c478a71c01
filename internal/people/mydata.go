package people

import (
	"context"

	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
)

// Data is what Jodo holds about a person, as they may see it: the same
// facts for /me and for MY DATA on WhatsApp, each channel showing them its
// own way (masking the phones).
type Data struct {
	Person         store.Person
	Phones         []string   // E.164
	Area           store.Area // the AC or booth of their details; zero: none
	Consents       []store.Consent
	Participations []store.PersonParticipation // first joined first
	Messages       []store.PersonMessage       // newest first
	Volunteering   []store.Volunteer           // every drive they volunteered in, ended too
	Areas          map[int64]store.Area        // the areas of Volunteering and Appointments, by id
	Handles        []store.Handle
	Appointments   []store.Appointment // their posts, vacated ones too: the history
	Groups         []store.Group       // the groups they registered, ended ones too (never the invites: Groups.Link opens them)
	ReferralCode   string              // "" when they have none yet
	Credits        []store.RecruiterCredit
	// Marks are what their web registrations came from, kept 30 days for
	// the velocity flags: the network prefix and whether a device cookie's
	// hash is kept (the hash itself means nothing to them).
	Marks []store.RegistrationMark
	// Origin says whether an import brought them in (its source and day)
	// and the number the source system gave them.
	Origin store.ImportOrigin
	// Requests are those the person made to staff offline, as staff
	// recorded them (newest first), corrections too; one whose code has
	// run out is expired (store.PersonRequest.StateAt).
	Requests []store.PersonRequest
}

// MyData reads in tx what is held about the person, with up to messages of
// the messages sent to them (0: none).
func (p *People) MyData(ctx context.Context, tx *store.Tx, personID int64, messages int) (Data, error) {
	var d Data
	var err error
	if d.Person, err = store.GetPerson(ctx, tx, personID); err != nil {
		return d, err
	}
	contacts, err := store.Contacts(ctx, tx, personID)
	if err != nil {
		return d, err
	}
	for _, c := range contacts {
		if c.Kind == store.ContactPhone {
			d.Phones = append(d.Phones, c.Value)
		}
	}
	if d.Person.AreaID != 0 {
		if d.Area, err = store.AreaByID(ctx, tx, d.Person.AreaID); err != nil {
			return d, err
		}
	}
	if d.Consents, err = store.Consents(ctx, tx, personID); err != nil {
		return d, err
	}
	if d.Participations, err = store.PersonParticipations(ctx, tx, personID); err != nil {
		return d, err
	}
	if d.Origin, err = store.ImportOriginOf(ctx, tx, personID); err != nil {
		return d, err
	}
	if d.Requests, err = store.PersonRequests(ctx, tx, personID); err != nil {
		return d, err
	}
	for i, r := range d.Requests {
		d.Requests[i].State = r.StateAt(tx.Now)
	}
	if err := p.volunteerData(ctx, tx, personID, &d); err != nil {
		return d, err
	}
	if messages > 0 {
		d.Messages, err = store.PersonMessages(ctx, tx, personID, messages)
	}
	return d, err
}

// volunteerData reads what the person gave and was given as a volunteer
// and a recruiter.
func (p *People) volunteerData(ctx context.Context, tx *store.Tx, personID int64, d *Data) error {
	var err error
	if d.Volunteering, err = store.VolunteeringOf(ctx, tx, personID); err != nil {
		return err
	}
	if d.Handles, err = store.Handles(ctx, tx, personID); err != nil {
		return err
	}
	if d.Appointments, err = store.AppointmentsOf(ctx, tx, personID); err != nil {
		return err
	}
	if d.Groups, err = store.GroupsOf(ctx, tx, personID); err != nil {
		return err
	}
	for i := range d.Groups {
		d.Groups[i].CodeHash, d.Groups[i].CodeSealed = "", ""
	}
	if d.ReferralCode, err = p.refs.Code(ctx, tx, personID); err != nil {
		return err
	}
	if d.Credits, err = store.CreditsOf(ctx, tx, personID); err != nil {
		return err
	}
	if d.Marks, err = store.MarksOf(ctx, tx, personID); err != nil {
		return err
	}
	d.Areas = map[int64]store.Area{}
	ids := make([]int64, 0, len(d.Volunteering)+len(d.Appointments))
	for _, v := range d.Volunteering {
		ids = append(ids, v.AreaID)
	}
	for _, a := range d.Appointments {
		ids = append(ids, a.AreaID)
	}
	for _, g := range d.Groups {
		ids = append(ids, g.AreaID)
	}
	for _, id := range ids {
		if _, ok := d.Areas[id]; !ok {
			if d.Areas[id], err = store.AreaByID(ctx, tx, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// CorrectDetails replaces the person's name, language and area (an AC) at
// their request, and notes it in the audit log with the area's code.
func (p *People) CorrectDetails(ctx context.Context, tx *store.Tx, personID int64, name, language string, area store.Area) error {
	return p.CorrectDetailsAs(ctx, tx, personID, name, language, area, store.AuditEntry{Actor: ActorSelf, Action: "correct_details", Detail: "area " + area.Code})
}

// CorrectDetailsAs is CorrectDetails noted in the audit log as entry (its
// person is set here): staff correcting a person's details at their
// request. Whichever correction comes last holds, so the person's own
// later correction on /me overwrites staff's.
func (p *People) CorrectDetailsAs(ctx context.Context, tx *store.Tx, personID int64, name, language string, area store.Area, entry store.AuditEntry) error {
	if err := store.UpdatePersonDetails(ctx, tx, personID, name, language, area.ID, names.SearchKeys(name)); err != nil {
		return err
	}
	entry.PersonID = personID
	return store.Audit(ctx, tx, entry)
}
