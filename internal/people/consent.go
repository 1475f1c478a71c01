package people

import (
	"context"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// ConsentChange is a person giving or withdrawing consent for one purpose
// themselves, on some channel.
type ConsentChange struct {
	PersonID      int64
	Purpose       string // store.PurposeMembership, PurposeWhatsApp, PurposeSMS
	Grant         bool   // false: withdraw
	NoticeVersion string // the notice shown, for a grant
	Language      string // the notice's language, for a grant
	Channel       string // where: "web", "whatsapp"
	Evidence      string // what shows a grant ("me", "whatsapp:wamid…")
	Detail        string // the audit entry's detail: never personal data
}

// ChangeConsent records c and notes it in the audit log
// (consent_grant or consent_withdraw). Withdrawing is as easy as giving,
// and takes effect at once; withdrawing what was never given is no
// change, but is still noted.
// Withdrawing the membership consent, which membership needs, ends the
// membership (EndMembership). It is given only by joining (Register),
// which also gives the number and moves the funnel, so it cannot be
// granted here: that would be a consent with no membership. Likewise
// withdrawing the volunteer consent ends the volunteering
// (WithdrawVolunteering), and only Volunteer gives it.
func (p *People) ChangeConsent(ctx context.Context, tx *store.Tx, c ConsentChange) error {
	if c.Purpose == store.PurposeMembership {
		if c.Grant {
			return apperr.New(apperr.Invalid, "membership is given by joining a drive, not as a consent on its own")
		}
		return p.EndMembership(ctx, tx, c.PersonID, c.Channel)
	}
	if c.Purpose == store.PurposeVolunteer {
		if c.Grant {
			return apperr.New(apperr.Invalid, "volunteering is given by volunteering (Volunteer), not as a consent on its own")
		}
		return p.WithdrawVolunteering(ctx, tx, c.PersonID, c.Channel)
	}
	return p.changeConsent(ctx, tx, c)
}

func (p *People) changeConsent(ctx context.Context, tx *store.Tx, c ConsentChange) error {
	action := "consent_withdraw"
	var err error
	if c.Grant {
		action = "consent_grant"
		err = store.GrantConsent(ctx, tx, store.Consent{PersonID: c.PersonID, Purpose: c.Purpose, NoticeVersion: c.NoticeVersion,
			Language: c.Language, Channel: c.Channel, Evidence: c.Evidence})
	} else {
		_, err = store.WithdrawConsent(ctx, tx, c.PersonID, c.Purpose)
	}
	if err != nil {
		return err
	}
	return p.Audit(ctx, tx, c.PersonID, action, c.Detail)
}

// newsPurposes are the consents to messages Jodo starts: the chat's
// opt-in promises news on WhatsApp and by SMS, and STOP ends both.
var newsPurposes = []string{store.PurposeWhatsApp, store.PurposeSMS}

// StopMessages is STOP written in a chat (conversation): the news
// consents are withdrawn at once, and the person's chats fall silent but
// for their rights (the channel decides what those are) until START.
func (p *People) StopMessages(ctx context.Context, tx *store.Tx, personID, conversation int64) error {
	if err := p.withdrawNews(ctx, tx, personID, "whatsapp", ", by STOP"); err != nil {
		return err
	}
	return store.SetStopped(ctx, tx, conversation, true)
}

// withdrawNews withdraws the news consents, noting detail after each
// purpose in the audit log.
func (p *People) withdrawNews(ctx context.Context, tx *store.Tx, personID int64, channel, detail string) error {
	for _, purpose := range newsPurposes {
		err := p.changeConsent(ctx, tx, ConsentChange{PersonID: personID, Purpose: purpose, Channel: channel, Detail: purpose + detail})
		if err != nil {
			return err
		}
	}
	return nil
}

// StartMessages is START: it undoes the STOP made at stoppedAt and no
// more. The news consents STOP withdrew are back in force as they were
// given (one refused before STOP stays refused), and the person's chats
// answer again.
func (p *People) StartMessages(ctx context.Context, tx *store.Tx, personID int64, stoppedAt time.Time) error {
	if !stoppedAt.IsZero() {
		restored, err := store.RestoreConsents(ctx, tx, personID, stoppedAt, newsPurposes...)
		if err != nil {
			return err
		}
		for _, purpose := range restored {
			if err := p.Audit(ctx, tx, personID, "consent_grant", purpose+", by START"); err != nil {
				return err
			}
		}
	}
	return store.ClearStopped(ctx, tx, personID)
}
