package people

import (
	"context"

	"github.com/jodo-org/jodo/internal/store"
)

// Erase erases a person's data at their request (/me, DELETE on WhatsApp)
// and notes it in the audit log with detail (never personal data): every
// table forgets them (store.ErasePersonalData) and a keyed hash of each
// phone is kept, so their opt-out holds and a replayed call or message
// cannot recreate them. Coming back later is their new, deliberate act.
func (p *People) Erase(ctx context.Context, tx *store.Tx, personID int64, detail string) error {
	if err := p.forget(ctx, tx, personID, store.SuppressErased); err != nil {
		return err
	}
	return p.Audit(ctx, tx, personID, "erase", detail)
}

// RefuseUnder18 ends an under-18 person's join, on any channel (DESIGN.md
// §7: nobody under 18 without verifiable parental consent): they are
// erased as Erase does, and their phones suppressed as refused, so that a
// later call, message or sign-in from them makes nothing. Counts already
// made stay. Only the keyed hash of the number is kept.
func (p *People) RefuseUnder18(ctx context.Context, tx *store.Tx, personID int64) error {
	return p.forget(ctx, tx, personID, store.SuppressUnder18)
}

// RefuseByLink refuses as under 18 the person a registration link (its
// token) was sent to, and uses the link up; a used link changes nothing.
func (p *People) RefuseByLink(ctx context.Context, tx *store.Tx, token string) error {
	l, used, err := store.UseJoinToken(ctx, tx, p.links.TokenHash(token))
	if err != nil || used {
		return err
	}
	return p.RefuseUnder18(ctx, tx, l.PersonID)
}

// forget erases the person's data everywhere and suppresses their phones
// for reason. Their posts are vacated and their volunteering ended first,
// as ordinary state changes (counted and audited).
func (p *People) forget(ctx context.Context, tx *store.Tx, personID int64, reason string) error {
	if err := p.endVolunteering(ctx, tx, personID, false, store.VacatedErased); err != nil {
		return err
	}
	phones, err := store.ErasePersonalData(ctx, tx, personID, p.keyed)
	if err != nil {
		return err
	}
	for _, phone := range phones {
		if err := store.AddSuppression(ctx, tx, p.keyed(phone), reason); err != nil {
			return err
		}
	}
	return nil
}
