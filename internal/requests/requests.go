// Package requests carries out what a person asked staff for offline (by
// phone, letter, in person, email): correcting their name and area,
// erasing their data, withdrawing a consent. A request is confirmed by a
// code sent to the person's own phone and read back to staff, or, for a
// person with no phone, by an identity check an admin records; it is then
// carried out by the functions the person's own /me uses (people), so
// erasure and withdrawal mean the same whoever asks. Every step is in the
// audit log; the requests hold nothing of the person but their id.
package requests

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
)

// SMS queues the confirmation code of a request of kind to phone in lang,
// saying what it confirms, in tx (OutboxSMS).
type SMS func(ctx context.Context, tx *store.Tx, phone, code, kind, lang string) error

// Requests runs staff's handling of people's requests.
type Requests struct {
	db     *store.DB
	dir    *directory.Directory
	people *people.People
	codes  codeKey
	sms    SMS // nil: no SMS provider, so only an identity check confirms
}

// New returns Requests over db; secretKey keys the codes' hashes.
func New(db *store.DB, dir *directory.Directory, secretKey []byte, sms SMS) *Requests {
	return &Requests{db: db, dir: dir, people: people.New(secretKey), codes: newCodeKey(secretKey), sms: sms}
}

// KindErase is a request to erase; a withdrawal is WithdrawPrefix and the
// consent's purpose.
const (
	KindErase      = "erase"
	WithdrawPrefix = "withdraw:"
)

// Kinds are the requests staff may record, in the form's order.
var Kinds = []string{KindErase, WithdrawPrefix + store.PurposeMembership, WithdrawPrefix + store.PurposeWhatsApp,
	WithdrawPrefix + store.PurposeSMS, WithdrawPrefix + store.PurposeVolunteer}

// Channels are how a request may have come.
var Channels = []string{"phone_call", "letter", "in_person", "email", "other"}

// IdentityChecks are what an admin may have checked of a person with no
// phone (docs/access.md).
var IdentityChecks = []string{"id_document", "membership_card", "video_call", "signed_letter"}

// Request is what staff record.
type Request struct {
	PersonID int64
	Kind     string
	Channel  string
	// IdentityCheck and IdentityNote confirm the request at once in place
	// of a code (people.identity only); "" sends a code.
	IdentityCheck, IdentityNote string
}

// Why a request was refused.
var (
	ErrKind      = apperr.New(apperr.Invalid, "Choose what the person asks for and how the request came.")
	ErrNoPhone   = apperr.New(apperr.Invalid, "This person has no phone to send a code to: an admin confirms their request with an identity check.")
	ErrNoCheck   = apperr.New(apperr.Invalid, "Choose what you checked of the person's identity, and note it (5 to 200 characters, no number of 6 digits or more).")
	ErrNoSMS     = apperr.New(apperr.Invalid, "No SMS can be sent from this installation, so no code can go to the person's phone (docs/sms.md).")
	ErrHasPhone  = apperr.New(apperr.Invalid, "This person has a phone: send them a code instead. An identity check is only for a person with no phone.")
	ErrForbidden = apperr.New(apperr.Forbidden, "Only an admin may confirm a request by an identity check (people.identity).")
)

// Record records a request made offline and sends the person a code (the
// request waits for it: Confirm), or, for a person with no phone, with an
// identity check given by an actor holding people.identity, confirms and
// carries it out at once (ErrHasPhone for a person with a phone). It
// returns the request's id.
func (q *Requests) Record(ctx context.Context, actor access.Actor, r Request) (int64, error) {
	if !slices.Contains(Kinds, r.Kind) || !slices.Contains(Channels, r.Channel) {
		return 0, ErrKind
	}
	byIdentity := r.IdentityCheck != "" || r.IdentityNote != ""
	if byIdentity {
		r.IdentityNote = strings.Join(strings.Fields(r.IdentityNote), " ")
		if !actor.Can(access.PeopleIdentity) {
			return 0, ErrForbidden
		}
		if !slices.Contains(IdentityChecks, r.IdentityCheck) || !directory.ValidReason(r.IdentityNote) {
			return 0, ErrNoCheck
		}
	}
	if err := q.dir.InScope(ctx, actor, access.PeopleRequests, r.PersonID); err != nil {
		return 0, err
	}
	var id int64
	err := q.db.Update(ctx, func(tx *store.Tx) error {
		row := store.PersonRequest{PersonID: r.PersonID, Kind: r.Kind, Channel: r.Channel, Actor: actor.Label,
			ActorRole: roleOf(actor), State: store.RequestCodeSent, IdentityCheck: r.IdentityCheck, IdentityNote: r.IdentityNote}
		if err := store.LockPersonForRequests(ctx, tx, r.PersonID); err != nil {
			return err
		}
		var err error
		if byIdentity {
			switch _, err := phoneOf(ctx, tx, r.PersonID); {
			case err == nil:
				return ErrHasPhone
			case !errors.Is(err, ErrNoPhone):
				return err
			}
			row.State, row.DoneAt = store.RequestDone, tx.Now
			if id, err = store.AddPersonRequest(ctx, tx, row); err != nil {
				return err
			}
			row.ID = id
			if err := q.audit(ctx, tx, actor, row, "request_recorded", ""); err != nil {
				return err
			}
			if err := q.audit(ctx, tx, actor, row, "request_confirmed", "by identity check "+r.IdentityCheck); err != nil {
				return err
			}
			return q.carryOut(ctx, tx, actor, row)
		}
		id, err = q.sendCode(ctx, tx, actor, row)
		return err
	})
	return id, err
}

// roleOf is the role the actor handles requests by, as the person is
// shown it: staff as a role, never a name.
func roleOf(actor access.Actor) string {
	for _, g := range actor.Grants {
		if g.Role.Has(access.PeopleRequests) {
			return string(g.Role)
		}
	}
	return ""
}

// audit notes a step of request r by actor.
func (q *Requests) audit(ctx context.Context, tx *store.Tx, actor access.Actor, r store.PersonRequest, action, more string) error {
	detail := "request " + itoa(r.ID) + ": " + r.Kind + " by " + r.Channel
	if more != "" {
		detail += ", " + more
	}
	return store.Audit(ctx, tx, store.AuditEntry{Actor: actor.Label, Scope: actor.ScopeLabel(), Action: action, PersonID: r.PersonID, Detail: detail})
}

// carryOut does what r asks, through the functions /me uses, and notes it
// done.
func (q *Requests) carryOut(ctx context.Context, tx *store.Tx, actor access.Actor, r store.PersonRequest) error {
	var err error
	if r.Kind == KindErase {
		err = q.people.Erase(ctx, tx, r.PersonID, "request "+itoa(r.ID)+" by "+r.Channel)
	} else {
		purpose := strings.TrimPrefix(r.Kind, WithdrawPrefix)
		err = q.people.ChangeConsent(ctx, tx, people.ConsentChange{PersonID: r.PersonID, Purpose: purpose, Channel: "staff",
			Detail: purpose + ", request " + itoa(r.ID) + " by " + r.Channel})
	}
	if err != nil {
		return err
	}
	return q.audit(ctx, tx, actor, r, "request_done", "")
}
