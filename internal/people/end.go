package people

import (
	"context"

	"github.com/jodo-org/jodo/internal/store"
)

// EndMembership ends a person's membership at their request, on any
// channel: membership needs their consent, and withdrawing it is as easy
// as giving it. Their membership number stops verifying, no drive holds
// them as a member, and the messages Jodo starts stop (the news consents
// are withdrawn with it), and so does their volunteering: their posts are
// vacated and their handles deleted. Counts already made stay, as with erasure:
// counters record what happened. Their data is kept until they ask for
// erasure, which the channel offers next; joining again is a new join.
func (p *People) EndMembership(ctx context.Context, tx *store.Tx, personID int64, channel string) error {
	err := p.changeConsent(ctx, tx, ConsentChange{PersonID: personID, Purpose: store.PurposeMembership, Channel: channel, Detail: store.PurposeMembership})
	if err != nil {
		return err
	}
	if err := p.withdrawNews(ctx, tx, personID, channel, ", with the membership"); err != nil {
		return err
	}
	if err := p.endVolunteering(ctx, tx, personID, false, store.MembershipEnded); err != nil {
		return err
	}
	if _, err := store.WithdrawConsent(ctx, tx, personID, store.PurposeVolunteer); err != nil {
		return err
	}
	if err := store.EndMembership(ctx, tx, personID); err != nil {
		return err
	}
	return p.Audit(ctx, tx, personID, "end_membership", "on "+channel)
}
