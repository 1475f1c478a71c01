package people

import (
	"context"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// ChannelEnrol is the channel of a participation a volunteer enrolled at
// the member's door.
const ChannelEnrol = "enrol"

// ErrAlreadyMember is a number already registered in the drive: said so,
// and nothing else about it.
var ErrAlreadyMember = apperr.New(apperr.Conflict, "This number is already a member of this drive.")

// Enrolment is a member a volunteer signs up door to door, once the member
// gave back the code sent to their own phone (package enrol).
type Enrolment struct {
	Phone          string // E.164: the number the code went to
	DriveID        int64
	Enroller       int64 // the volunteer: registered_by, never referred_by
	Name, Language string
	AreaID         int64  // 0: none given (an existing person keeps theirs)
	NoticeVersion  string // the notice the SMS linked to
	Evidence       string // "enrol_code:<enrolment id>"
	Day            string // the drive-local day the stages count on
}

// Enrol registers the member as Register does, with the membership consent
// given by the code and the phone it went to proven (so verified too), the
// volunteer kept as their enroller (not their referrer: enrolling credits
// no referral), and the volunteer made active. A member of the drive
// already is ErrAlreadyMember; a number refused as under 18 is refused.
func (p *People) Enrol(ctx context.Context, tx *store.Tx, e Enrolment) (int64, error) {
	person, err := p.enrolled(ctx, tx, e)
	if err != nil {
		return 0, err
	}
	partID, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: person.ID, DriveID: e.DriveID,
		Channel: ChannelEnrol, AreaID: e.AreaID, RegisteredBy: e.Enroller, Day: e.Day})
	if err != nil {
		return 0, err
	}
	part, err := store.GetParticipation(ctx, tx, partID)
	if err != nil {
		return 0, err
	}
	if !part.RegisteredAt.IsZero() {
		return 0, ErrAlreadyMember
	}
	if _, err := store.SetEnroller(ctx, tx, partID, e.Enroller); err != nil { // a lead already: enrolled now
		return 0, err
	}
	r := Registration{PersonID: person.ID, ParticipationID: partID, DriveID: e.DriveID, Name: e.Name, Language: e.Language,
		AreaID: e.AreaID, Consents: []string{store.PurposeMembership}, NoticeVersion: e.NoticeVersion, Channel: ChannelEnrol,
		Evidence: e.Evidence, Day: e.Day, Proof: ByCode, Phone: e.Phone}
	if r.Name == "" {
		r.Name = person.Name
	}
	if r.AreaID == 0 {
		r.AreaID = person.AreaID
	}
	if _, err := p.Register(ctx, tx, r); err != nil {
		return 0, err
	}
	volunteer, err := store.FindParticipation(ctx, tx, e.Enroller, e.DriveID)
	if err != nil {
		return 0, err
	}
	if _, err := store.ReachStage(ctx, tx, volunteer.ID, store.StageActive, 0, volunteer.Channel, e.Day); err != nil {
		return 0, err
	}
	// The enroller's id stays out of the log, which outlives their erasure.
	return person.ID, p.Audit(ctx, tx, person.ID, "enrolled", "gave the code sent to their phone to a volunteer of the drive ("+e.Evidence+")")
}

// enrolled is the person with the phone, a new one when nobody has it.
func (p *People) enrolled(ctx context.Context, tx *store.Tx, e Enrolment) (store.Person, error) {
	id, err := store.FindByContact(ctx, tx, store.ContactPhone, e.Phone)
	if err == nil {
		return store.GetPerson(ctx, tx, id)
	}
	if apperr.CodeOf(err) != apperr.NotFound {
		return store.Person{}, err
	}
	refused, err := store.IsRefusedUnder18(ctx, tx, p.keyed(e.Phone))
	if err != nil {
		return store.Person{}, err
	}
	if refused {
		return store.Person{}, ErrRefusedNumber
	}
	if id, err = store.CreatePerson(ctx, tx, store.Person{Language: e.Language}); err != nil {
		return store.Person{}, err
	}
	if err := store.AddContact(ctx, tx, id, store.ContactPhone, e.Phone); err != nil {
		return store.Person{}, err
	}
	return store.Person{ID: id, Language: e.Language}, nil
}

// ErrRefusedNumber is a number Jodo may not sign up or write to (erased,
// refused, opted out), said without saying which.
var ErrRefusedNumber = apperr.New(apperr.Invalid, "Jodo cannot enrol this number.")

// Refusable reports, before any code is sent, whether a number may not be
// enrolled in the drive: ErrAlreadyMember, ErrRefusedNumber (suppressed
// for any reason: its person erased, refused as under 18, opted out of
// everything), or nil.
func (p *People) Refusable(ctx context.Context, tx *store.Tx, phone string, driveID int64) error {
	why, err := store.SuppressionOf(ctx, tx, p.keyed(phone))
	if err != nil {
		return err
	}
	if why != "" {
		return ErrRefusedNumber
	}
	id, err := store.FindByContact(ctx, tx, store.ContactPhone, phone)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	part, err := store.FindParticipation(ctx, tx, id, driveID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if !part.RegisteredAt.IsZero() {
		return ErrAlreadyMember
	}
	return nil
}
