package membership

import (
	"context"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// CardLinkTTL is how long a card link stays valid.
const CardLinkTTL = 30 * 24 * time.Hour

// Registration is what makes a participation a registered member, the same
// whichever channel gathered it (the web form, the WhatsApp bot).
type Registration struct {
	PersonID        int64
	ParticipationID int64
	Name, Language  string
	AreaID          int64    // the AC or booth registered at
	Consents        []string // purposes granted (membership always)
	NoticeVersion   string
	Channel         string // where consent was given: "web", "whatsapp"
	Evidence        string // what shows it ("join_link:12", "whatsapp:wamid…")
	Day             string // the drive-local day the stages count on
	// Proven are the contact points the channel proved (a link sent to the
	// phone proves the phone; WhatsApp proves the WhatsApp number). The
	// member is verified when one of them is a phone of theirs.
	Proven []store.Contact
}

// Register records r in tx: details, consents, a membership number (kept if
// the person has one), the registered stage and, when a phone was proven,
// the verified stage, each counted once under the participation's channel.
// It returns the membership number.
func Register(ctx context.Context, tx *store.Tx, r Registration) (string, error) {
	if err := store.UpdatePersonDetails(ctx, tx, r.PersonID, r.Name, r.Language, r.AreaID); err != nil {
		return "", err
	}
	for _, purpose := range r.Consents {
		err := store.GrantConsent(ctx, tx, store.Consent{PersonID: r.PersonID, Purpose: purpose, NoticeVersion: r.NoticeVersion,
			Language: r.Language, Channel: r.Channel, Evidence: r.Evidence})
		if err != nil {
			return "", err
		}
	}
	number, err := GiveNumber(ctx, tx, r.PersonID)
	if err != nil {
		return "", err
	}
	p, err := store.GetParticipation(ctx, tx, r.ParticipationID)
	if err != nil {
		return "", err
	}
	held, err := store.VerifyContactsOf(ctx, tx, r.PersonID, r.Proven)
	if err != nil {
		return "", err
	}
	stages := []store.Stage{store.StageRegistered}
	for _, c := range held {
		if c.Kind == store.ContactPhone {
			stages = append(stages, store.StageVerified)
			break
		}
	}
	for _, stage := range stages {
		if _, err := store.ReachStage(ctx, tx, p.ID, stage, r.AreaID, p.Channel, r.Day); err != nil {
			return "", err
		}
	}
	return number, nil
}

// GiveNumber gives the person a new membership number unless they have
// one, and returns it.
func GiveNumber(ctx context.Context, tx *store.Tx, personID int64) (string, error) {
	var err error
	for range 5 {
		var n string
		n, err = store.GiveMembershipNo(ctx, tx, personID, New())
		if apperr.CodeOf(err) != apperr.Conflict {
			return n, err
		}
	}
	return "", err
}
