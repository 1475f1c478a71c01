package directory

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/store"
)

// Reasons are short: why, not who ("called back about a wrong booth").
const (
	minReason = 5
	maxReason = 200
)

// ErrNoReason asks for a reason before a number is revealed.
var ErrNoReason = apperr.New(apperr.Invalid, "Say why you need the number (5 to 200 characters, no personal data).")

// ErrReasonNumber is a reason that holds what looks like a phone number:
// the audit keeps reasons for a year, after erasure too.
var ErrReasonNumber = apperr.New(apperr.Invalid, "Write the reason without a phone number or any other number of 6 digits or more.")

// holdsNumber reports whether text has a run of 6 or more digits, spaces
// and dashes between them allowed ("98765 43210").
func holdsNumber(text string) bool {
	run := 0
	for _, r := range text {
		switch {
		case unicode.IsDigit(r):
			if run++; run >= 6 {
				return true
			}
		case r == ' ' || r == '-' || r == '.':
		default:
			run = 0
		}
	}
	return false
}

// CheckReason is a reason for seeing personal data, its spaces tidied,
// or why it will not do: 5 to 200 characters, no phone number in it.
func CheckReason(reason string) (string, error) {
	reason = strings.Join(strings.Fields(reason), " ")
	if n := utf8.RuneCountInString(reason); n < minReason || n > maxReason {
		return "", ErrNoReason
	}
	if holdsNumber(reason) {
		return "", ErrReasonNumber
	}
	return reason, nil
}

// ErrRevealCap is a staff member who has revealed their day's share.
var ErrRevealCap = apperr.New(apperr.RateLimited, "You have revealed as many numbers as one person may in a day. Ask an admin if you need more.")

// Revealed is one person's numbers in full.
type Revealed struct {
	Phones   []string // E.164
	WhatsApp []string // WhatsApp ids
}

// Reveal shows one person's full numbers to an actor holding PeopleReveal
// where the person takes part, for a reason. The reveal is audited with the
// reason in the transaction that counts it against the actor's daily cap.
func (d *Directory) Reveal(ctx context.Context, actor access.Actor, personID int64, reason string) (Revealed, error) {
	reason, err := CheckReason(reason)
	if err != nil {
		return Revealed{}, err
	}
	if _, err := d.visible(ctx, actor, access.PeopleReveal, personID); err != nil {
		return Revealed{}, err
	}
	var out Revealed
	var capped bool
	err = d.db.Update(ctx, func(tx *store.Tx) error {
		if d.cap > 0 {
			n, err := store.CountAuditSince(ctx, tx, actor.Label, "reveal", startOfDay(tx.Now))
			if err != nil {
				return err
			}
			if n >= d.cap {
				capped = true
				return ErrRevealCap
			}
		}
		var err error
		if out, err = numbersOf(ctx, tx, personID); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: actor.Label, Scope: actor.ScopeLabel(), Action: "reveal",
			PersonID: personID, Reason: reason, Rows: int64(len(out.Phones) + len(out.WhatsApp))})
	})
	if capped {
		d.capReached.Inc()
		d.log.WarnContext(ctx, "reveal cap reached", "actor", actor.Label, "cap", d.cap)
	}
	return out, err
}

// startOfDay is the start of t's day in India, where the cap's day runs.
func startOfDay(t time.Time) time.Time {
	y, m, dd := t.In(ist.Zone).Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, ist.Zone)
}

// numbersOf is a person's phones (E.164) and WhatsApp ids, in full.
func numbersOf(ctx context.Context, tx *store.Tx, personID int64) (Revealed, error) {
	contacts, err := store.Contacts(ctx, tx, personID)
	if err != nil {
		return Revealed{}, err
	}
	var out Revealed
	for _, c := range contacts {
		switch c.Kind {
		case store.ContactPhone:
			out.Phones = append(out.Phones, c.Value)
		case store.ContactWAID:
			out.WhatsApp = append(out.WhatsApp, c.Value)
		}
	}
	return out, nil
}
