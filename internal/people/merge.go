package people

import (
	"context"
	"errors"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// UseJoinCode ties a chat to the missed caller a join code (sent by SMS)
// names, in tx, and returns the person the chat now belongs to. From the
// caller's own number the chat is theirs already; from another number the
// chat's person is folded into the caller, but only while it is no more
// than a chat made: no name, no membership number, no registration, no
// conversation on a business number the caller already has one with, and
// nothing a chat does not make (a staff role, volunteering, a referral
// code…: store.MergeBlockers).
// Anyone with more keeps their own registration, and an unknown, used or
// expired code changes nothing: the chat's person is returned.
func (p *People) UseJoinCode(ctx context.Context, tx *store.Tx, chatPerson int64, code, day string) (int64, error) {
	partID, err := store.UseJoinCode(ctx, tx, p.links.CodeHash(code))
	switch {
	case apperr.CodeOf(err) == apperr.NotFound || apperr.CodeOf(err) == apperr.Conflict || errors.Is(err, store.ErrLinkExpired):
		return chatPerson, nil
	case err != nil:
		return 0, err
	}
	part, err := store.GetParticipation(ctx, tx, partID)
	if err != nil || part.PersonID == chatPerson {
		return chatPerson, err
	}
	if ok, err := p.bare(ctx, tx, chatPerson, part.PersonID); err != nil || !ok {
		return chatPerson, err
	}
	if err := store.FoldPerson(ctx, tx, chatPerson, part.PersonID, day); err != nil {
		return 0, err
	}
	// The chat's old entries keep its id; this one ties them to the caller.
	err = store.Audit(ctx, tx, store.AuditEntry{Actor: ActorSelf, Action: "merge", PersonID: part.PersonID,
		MergedID: chatPerson, Detail: "a chat joined by code"})
	return part.PersonID, err
}

// bare reports whether from is no more than a chat made, so that folding
// it into into loses nothing of theirs.
func (p *People) bare(ctx context.Context, tx *store.Tx, from, into int64) (bool, error) {
	person, err := store.GetPerson(ctx, tx, from)
	if err != nil || person.Name != "" || person.MembershipNo != "" {
		return false, err
	}
	blockers, err := store.MergeBlockers(ctx, tx, from, into)
	return blockers == 0, err
}
