package people

import (
	"context"

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
func (p *People) ChangeConsent(ctx context.Context, tx *store.Tx, c ConsentChange) error {
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
