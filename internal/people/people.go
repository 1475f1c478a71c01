package people

import (
	"context"

	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/referrals"
	"github.com/jodo-org/jodo/internal/store"
)

// People runs the use-cases for one installation: its secret key keys the
// hashes kept of erased phones and reads registration tokens and join
// codes.
type People struct {
	keyed func(string) string
	links *links.Links
	refs  *referrals.Referrals
}

// New returns People keyed with the installation's secret key
// (JODO_SECRET_KEY).
func New(secretKey []byte) *People {
	return &People{keyed: store.KeyedHash(secretKey), links: links.New(secretKey), refs: referrals.New(secretKey)}
}

// ActorSelf is the audit log's actor for what a person does to their own
// data, on any channel.
const ActorSelf = "self"

// Audit notes in tx that the person did action to their own data; detail
// is never personal data (the log outlives erasure).
func (p *People) Audit(ctx context.Context, tx *store.Tx, personID int64, action, detail string) error {
	return store.Audit(ctx, tx, store.AuditEntry{Actor: ActorSelf, Action: action, PersonID: personID, Detail: detail})
}

// verify moves a participation to verified (its phone proven; at areaID
// when given, as ReachStage) and, when that moved it, credits its
// referrers in the same transaction. part is the participation as read
// earlier in tx. (Register reaches it with the registered stage in one
// round trip, store.ReachStagesProving, and credits them as this does.)
func (p *People) verify(ctx context.Context, tx *store.Tx, part store.Participation, areaID int64, day string) error {
	moved, err := store.ReachStage(ctx, tx, part.ID, store.StageVerified, areaID, part.Channel, day)
	if err != nil || !moved {
		return err
	}
	// Crediting reads what reaching a stage leaves as it was (the
	// participation's id, drive and referrer), so part as read in tx will do.
	return p.refs.Verified(ctx, tx, part, day)
}
