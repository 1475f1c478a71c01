package people

import (
	"context"
	"slices"
	"strconv"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/store"
)

// Proof is what the channel a registration came through proves of the
// person's contact points.
type Proof int

const (
	// ByLink: a registration link was sent to the person's phones, so
	// opening it proves them all.
	ByLink Proof = iota + 1
	// ByChat: a WhatsApp chat proves its number, as a WhatsApp id and as
	// the phone with that number.
	ByChat
	// ByCode: a code sent to one phone (Registration.Phone) was given
	// back, which proves that phone alone.
	ByCode
)

// Registration is what makes a participation a registered member, the same
// whichever channel gathered it (the web form, the WhatsApp bot).
type Registration struct {
	PersonID        int64
	ParticipationID int64 // 0: the person's participation in DriveID
	DriveID         int64
	Name, Language  string
	AreaID          int64    // the AC or booth registered at
	Consents        []string // purposes granted, membership among them (joining needs it)
	NoticeVersion   string
	Channel         string // where consent was given: "web", "whatsapp"
	Evidence        string // what shows it ("whatsapp:wamid…"; a link's is its id)
	Day             string // the drive-local day the stages count on
	Proof           Proof
	Phone           string // ByCode: the phone the code went to
}

// Register records r in tx: details, consents, a membership number (kept if
// the person has one), the registered stage and, when the channel proved
// a phone of theirs, the verified stage, each counted once under the
// participation's channel. It returns the membership number.
func (p *People) Register(ctx context.Context, tx *store.Tx, r Registration) (string, error) {
	if r.ParticipationID == 0 {
		part, err := store.FindParticipation(ctx, tx, r.PersonID, r.DriveID)
		if err != nil {
			return "", err
		}
		r.ParticipationID = part.ID
	}
	// One round trip on PostgreSQL: the details, consents and number are
	// written and the participation and contacts read together.
	done, err := store.WriteRegistration(ctx, tx, store.Registering{PersonID: r.PersonID, ParticipationID: r.ParticipationID,
		Name: r.Name, Language: r.Language, AreaID: r.AreaID, NameKeys: names.SearchKeys(r.Name), Number: membership.New(),
		Purposes: r.Consents, NoticeVersion: r.NoticeVersion, Channel: r.Channel, Evidence: r.Evidence})
	if err != nil {
		return "", err
	}
	number := done.Number
	if number == "" { // the number drawn is someone else's: draw again
		if number, err = giveNumber(ctx, tx, r.PersonID); err != nil {
			return "", err
		}
	}
	part := done.Participation
	// The contacts were read in tx, so what the proof proves of them is
	// known without asking: verifying them and both stages go together.
	held := heldOf(proven(r.Proof, r.Phone, done.Contacts), done.Contacts)
	stages := []store.Stage{store.StageRegistered}
	verified := slices.ContainsFunc(held, func(c store.Contact) bool { return c.Kind == store.ContactPhone })
	if verified {
		stages = append(stages, store.StageVerified)
	}
	moved, err := store.ReachStagesProving(ctx, tx, store.Reaching{PersonID: r.PersonID, Proven: held,
		ParticipationID: part.ID, AreaID: r.AreaID, Channel: part.Channel, Day: r.Day, Stages: stages})
	if err != nil {
		return "", err
	}
	if verified && moved[1] { // as verify: credit the referrers
		if err := p.refs.Verified(ctx, tx, part, r.Day); err != nil {
			return "", err
		}
	}
	return number, nil
}

// RegisterByLink registers the person a registration link (its token) was
// sent to, as Register does, and uses the link up: a second submission of
// the same form finds it used and changes nothing. r's person,
// participation, evidence and proof are the link's.
func (p *People) RegisterByLink(ctx context.Context, tx *store.Tx, token string, r Registration) error {
	l, used, err := store.UseJoinToken(ctx, tx, p.links.TokenHash(token))
	if err != nil || used {
		return err
	}
	r.PersonID, r.ParticipationID, r.Proof = l.PersonID, l.ParticipationID, ByLink
	r.Evidence = "join_link:" + strconv.FormatInt(l.ID, 10)
	_, err = p.Register(ctx, tx, r)
	return err
}

// provePhone verifies the contact points of the person's (contacts, as
// read in tx) that proof proves, and reports whether one of them is a
// phone.
func provePhone(ctx context.Context, tx *store.Tx, personID int64, proof Proof, phone string, contacts []store.Contact) (bool, error) {
	held, err := store.VerifyContactsOf(ctx, tx, personID, proven(proof, phone, contacts))
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(held, func(c store.Contact) bool { return c.Kind == store.ContactPhone }), nil
}

// proven are the contact points proof proves, given the person's contacts:
// a WhatsApp chat proves the phone with its number too, whether or not the
// person has it.
func proven(proof Proof, phone string, contacts []store.Contact) []store.Contact {
	var out []store.Contact
	for _, c := range contacts {
		switch {
		case proof == ByLink && c.Kind == store.ContactPhone, proof == ByCode && c.Kind == store.ContactPhone && c.Value == phone:
			out = append(out, c)
		case proof == ByChat && c.Kind == store.ContactWAID:
			out = append(out, c, store.Contact{Kind: store.ContactPhone, Value: "+" + c.Value})
		}
	}
	return out
}

// heldOf are those of proven that are among the person's contacts.
func heldOf(proven, contacts []store.Contact) []store.Contact {
	var out []store.Contact
	for _, c := range proven {
		if slices.ContainsFunc(contacts, func(h store.Contact) bool { return h.Kind == c.Kind && h.Value == c.Value }) {
			out = append(out, c)
		}
	}
	return out
}

// giveNumber gives the person a new membership number unless they have
// one, and returns it.
func giveNumber(ctx context.Context, tx *store.Tx, personID int64) (string, error) {
	var err error
	for range 5 {
		var n string
		n, err = store.GiveMembershipNo(ctx, tx, personID, membership.New())
		if apperr.CodeOf(err) != apperr.Conflict {
			return n, err
		}
	}
	return "", err
}
