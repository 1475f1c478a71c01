package people

import (
	"context"

	"github.com/jodo-org/jodo/internal/store"
)

// PhoneJoin is someone who proved a phone (a one-time code) on a drive's
// own join page.
type PhoneJoin struct {
	Phone    string // E.164, proven
	PersonID int64  // the phone's person; 0: nobody has it yet
	DriveID  int64
	Language string
	Channel  string // the participation's channel: "web"
	Day      string // the drive-local day the lead counts on
}

// PhoneJoined is what joining by phone came to.
type PhoneJoined struct {
	PersonID int64
	Member   bool   // registered in the drive already: nothing to fill in
	Token    string // the registration link's token, when neither Member nor Refused
	Refused  bool   // the phone was refused as under 18: nothing was made
}

// JoinByPhone makes the proven phone a lead of the drive (a new person when
// nobody has it) and gives it a registration link of its own, so the form
// and everything after it are the SMS link's. A member of the drive gets
// no link. A phone refused as under 18 makes nothing, and what signing in
// with it stored (the code, the SMS) is forgotten as the refusal forgot
// the rest.
func (p *People) JoinByPhone(ctx context.Context, tx *store.Tx, j PhoneJoin) (PhoneJoined, error) {
	out := PhoneJoined{PersonID: j.PersonID}
	if out.PersonID == 0 {
		var err error
		if out.Refused, err = p.ForgetIfRefused(ctx, tx, j.Phone); err != nil || out.Refused {
			return out, err
		}
		if out.PersonID, err = store.CreatePerson(ctx, tx, store.Person{Language: j.Language}); err != nil {
			return out, err
		}
		if err := store.AddContact(ctx, tx, out.PersonID, store.ContactPhone, j.Phone); err != nil {
			return out, err
		}
	}
	if _, err := store.VerifyContact(ctx, tx, store.ContactPhone, j.Phone); err != nil {
		return out, err
	}
	partID, _, err := store.EnsureParticipation(ctx, tx, store.ParticipationInput{PersonID: out.PersonID, DriveID: j.DriveID,
		Channel: j.Channel, Day: j.Day})
	if err != nil {
		return out, err
	}
	part, err := store.GetParticipation(ctx, tx, partID)
	if err != nil {
		return out, err
	}
	if out.Member = !part.RegisteredAt.IsZero(); out.Member {
		return out, nil
	}
	l := p.links.Make(tx.Now)
	out.Token = l.Token
	return out, store.CreateJoinLink(ctx, tx, partID, l.TokenHash, "", l.ExpiresAt)
}

// ForgetIfRefused reports whether a phone nobody has, just proven by a
// sign-in code, was refused as under 18; if it was, what signing in
// stored of it (the code, the SMS and its delivery report) is forgotten,
// so that only the keyed hash of the number stays.
func (p *People) ForgetIfRefused(ctx context.Context, tx *store.Tx, phone string) (bool, error) {
	refused, err := store.IsRefusedUnder18(ctx, tx, p.keyed(phone))
	if err != nil || !refused {
		return false, err
	}
	return true, store.ForgetPhone(ctx, tx, phone, p.keyed)
}
