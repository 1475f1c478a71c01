package requests

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/store"
)

// A code lives CodeTTL and allows MaxTries wrong tries; then the request
// must be recorded again.
const (
	CodeTTL  = 30 * time.Minute
	MaxTries = 5
	// MaxCodesPerHour bounds the codes sent to one person in an hour, so
	// that recording requests cannot flood their phone.
	MaxCodesPerHour = 3
	// MaxCodesPerDay bounds them in a day (24 hours), so that guessing
	// codes one request after another gets nowhere.
	MaxCodesPerDay = 6
)

// Why a code was refused.
var (
	ErrCodeWrong   = apperr.New(apperr.Invalid, "That code is not right. Ask the person to read the SMS again.")
	ErrCodeTries   = apperr.New(apperr.RateLimited, "Too many wrong codes: this request is locked. Record it again to send a new code.")
	ErrCodeExpired = apperr.New(apperr.Invalid, "This request's code has expired or the request is closed. Record it again to send a new code.")
	ErrTooMany     = apperr.New(apperr.RateLimited, "Three codes went to this person in the last hour. Try again later.")
	ErrTooManyDay  = apperr.New(apperr.RateLimited, "Six codes went to this person in the last 24 hours. Try again tomorrow.")
)

// codeKey keys the hashes codes are kept as.
type codeKey []byte

func newCodeKey(secretKey []byte) codeKey {
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte("jodo request code"))
	return mac.Sum(nil)
}

// hash is what is kept of a request's code: keyed, and bound to the
// request, so a code read back for one request confirms no other.
func (k codeKey) hash(requestID int64, code string) string {
	mac := hmac.New(sha256.New, k)
	fmt.Fprintf(mac, "%d:%s", requestID, code)
	return hex.EncodeToString(mac.Sum(nil))
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// sendCode records r waiting for a code and queues the code to the
// person's phone, in their language, within MaxCodesPerHour and
// MaxCodesPerDay (the caller has locked the person: LockPersonForRequests).
func (q *Requests) sendCode(ctx context.Context, tx *store.Tx, actor access.Actor, r store.PersonRequest) (int64, error) {
	if q.sms == nil {
		return 0, ErrNoSMS
	}
	to, err := phoneOf(ctx, tx, r.PersonID)
	if err != nil {
		return 0, err
	}
	day, err := store.CountCodesSentSince(ctx, tx, r.PersonID, tx.Now.Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	hour, err := store.CountCodesSentSince(ctx, tx, r.PersonID, tx.Now.Add(-time.Hour))
	if err != nil {
		return 0, err
	}
	switch {
	case hour >= MaxCodesPerHour:
		return 0, ErrTooMany
	case day >= MaxCodesPerDay:
		return 0, ErrTooManyDay
	}
	person, err := store.GetPerson(ctx, tx, r.PersonID)
	if err != nil {
		return 0, err
	}
	r.CodeExpiresAt = tx.Now.Add(CodeTTL)
	if r.ID, err = store.AddPersonRequest(ctx, tx, r); err != nil {
		return 0, err
	}
	code := signin.NewCode()
	r.CodeHash = q.codes.hash(r.ID, code)
	if err := store.UpdatePersonRequest(ctx, tx, r); err != nil {
		return 0, err
	}
	if err := q.audit(ctx, tx, actor, r, "request_recorded", ""); err != nil {
		return 0, err
	}
	if err := q.sms(ctx, tx, to, code, r.Kind, person.Language); err != nil {
		return 0, err
	}
	return r.ID, q.audit(ctx, tx, actor, r, "request_code_sent", "by SMS")
}

// phoneOf is the person's own phone the code goes to (their first), or
// ErrNoPhone.
func phoneOf(ctx context.Context, tx *store.Tx, personID int64) (string, error) {
	contacts, err := store.Contacts(ctx, tx, personID)
	if err != nil {
		return "", err
	}
	for _, c := range contacts {
		if c.Kind == store.ContactPhone {
			return c.Value, nil
		}
	}
	return "", ErrNoPhone
}

// Confirm checks the code the person read back for their request and, when
// it is right, carries the request out. A wrong code counts against
// MaxTries (the request locks at the last), an old one is refused; each
// refusal is in the audit log. It returns the request's kind.
func (q *Requests) Confirm(ctx context.Context, actor access.Actor, personID, requestID int64, typed string) (string, error) {
	if err := q.dir.InScope(ctx, actor, access.PeopleRequests, personID); err != nil {
		return "", err
	}
	code, _ := signin.ReadCode(typed)
	var refused error
	var kind string
	err := q.db.Update(ctx, func(tx *store.Tx) error {
		r, err := store.GetPersonRequest(ctx, tx, personID, requestID)
		if err != nil {
			return err
		}
		kind = r.Kind
		switch {
		case r.State != store.RequestCodeSent:
			refused = ErrCodeExpired
			return q.audit(ctx, tx, actor, r, "request_failed", "closed ("+r.State+")")
		case !tx.Now.Before(r.CodeExpiresAt):
			r.State, refused = store.RequestExpired, ErrCodeExpired
			return q.fail(ctx, tx, actor, r, "code expired")
		case code == "" || !hmac.Equal([]byte(q.codes.hash(r.ID, code)), []byte(r.CodeHash)):
			r.Tries++
			refused = ErrCodeWrong
			if r.Tries >= MaxTries {
				r.State, refused = store.RequestLocked, ErrCodeTries
			}
			return q.fail(ctx, tx, actor, r, "wrong code, try "+strconv.Itoa(r.Tries)+" of "+strconv.Itoa(MaxTries))
		}
		r.State, r.DoneAt = store.RequestDone, tx.Now
		if err := store.UpdatePersonRequest(ctx, tx, r); err != nil {
			return err
		}
		if err := q.audit(ctx, tx, actor, r, "request_confirmed", "by the code sent by SMS"); err != nil {
			return err
		}
		return q.carryOut(ctx, tx, actor, r)
	})
	if err != nil {
		return "", err
	}
	return kind, refused
}

// fail saves r as refused and notes why.
func (q *Requests) fail(ctx context.Context, tx *store.Tx, actor access.Actor, r store.PersonRequest, why string) error {
	if err := store.UpdatePersonRequest(ctx, tx, r); err != nil {
		return err
	}
	return q.audit(ctx, tx, actor, r, "request_failed", why)
}
