// Package enrol owns door-to-door enrolment: a volunteer of a drive signs a
// member up at their door, and the member agrees by giving the volunteer a
// code Jodo sent to the member's own phone, with who asks, for which drive
// and the notice's link. Nothing of the member is kept before they agree
// but a keyed hash of their number; then they are registered by
// people.Enrol, with the volunteer as their enroller (registered_by,
// never a referrer). Codes are limited per volunteer and per number, and
// wrong codes per enrolment.
package enrol

import (
	"context"
	"crypto/hmac"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/smstext"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/subkey"
)

// NoticeVersion names the enrolment notice the SMS links to
// (docs/registration.md lists the versions).
const NoticeVersion = "sms-enrol-2026-12"

// The limits: a code lives CodeTTL and allows MaxTries wrong tries; a
// volunteer may send PerHour codes an hour and PerDay a day, and one
// number gets PerNumberDay a day, whoever asks.
const (
	CodeTTL      = 15 * time.Minute
	MaxTries     = 5
	PerHour      = 10
	PerDay       = 40
	PerNumberDay = 3
)

// Why an enrolment was refused.
var (
	ErrNotVolunteer = apperr.New(apperr.Forbidden, "Only a volunteer of this drive may enrol someone in it.")
	ErrPhone        = apperr.New(apperr.Invalid, "Type the member's 10-digit mobile number.")
	ErrOwnNumber    = apperr.New(apperr.Invalid, "This is your own number: enrol someone else.")
	ErrName         = apperr.New(apperr.Invalid, "A name is at most 100 characters.")
	ErrArea         = apperr.New(apperr.Invalid, "Choose an assembly constituency of this drive, or none.")
	ErrHour         = apperr.New(apperr.RateLimited, "You have sent as many codes as one volunteer may in an hour. Try again later.")
	ErrDay          = apperr.New(apperr.RateLimited, "You have sent as many codes as one volunteer may in a day. Try again tomorrow.")
	ErrNumberDay    = apperr.New(apperr.RateLimited, "This number has had as many codes as it may get in a day. Try again tomorrow.")
	ErrNoSMS        = apperr.New(apperr.Invalid, "No SMS can be sent from this installation, so no one can be enrolled (docs/sms.md).")
	ErrCodeWrong    = apperr.New(apperr.Invalid, "That code is not right. Ask the member to read the SMS again.")
	ErrCodeTries    = apperr.New(apperr.RateLimited, "Too many wrong codes: start again to send a new one.")
	ErrCodeExpired  = apperr.New(apperr.Invalid, "This code has expired or was used. Start again to send a new one.")
)

// SMS queues the code to phone in lang, saying which volunteer (their
// first name) asks to register them in which drive (OutboxSMS).
type SMS func(ctx context.Context, tx *store.Tx, phone, lang, code, volunteer, driveName string) error

// Enrol runs enrolments for one installation.
type Enrol struct {
	db      *store.DB
	people  *people.People
	codeKey []byte
	numKey  []byte
	sms     SMS // nil: no SMS provider, so no enrolment
}

// New returns Enrol over db; secretKey keys the hashes of codes and numbers.
func New(db *store.DB, secretKey []byte, sms SMS) *Enrol {
	return &Enrol{db: db, people: people.New(secretKey), codeKey: subkey.Derive(secretKey, "enrolment code"),
		numKey: subkey.Derive(secretKey, "enrolment number"), sms: sms}
}

// Form is what the volunteer types: the member's number and, optionally,
// their name and AC in the drive.
type Form struct {
	Phone, Name, AC string
}

// Member is a form checked: the number in E.164, the name tidied, the AC.
type Member struct {
	Phone, Name string
	Area        store.Area // zero: none given
}

// Start checks the form and sends the member the code, as volunteerID of
// driveID asking in lang; it returns the enrolment's id.
func (e *Enrol) Start(ctx context.Context, volunteerID, driveID int64, f Form, lang string) (int64, error) {
	if e.sms == nil {
		return 0, ErrNoSMS
	}
	var id int64
	err := e.db.Update(ctx, func(tx *store.Tx) error {
		d, first, m, err := e.read(ctx, tx, volunteerID, driveID, f)
		if err != nil {
			return err
		}
		if err := e.people.Refusable(ctx, tx, m.Phone, d.ID); err != nil {
			return err
		}
		hash := subkey.Hash(e.numKey, m.Phone)
		if err := limits(ctx, tx, volunteerID, hash); err != nil {
			return err
		}
		if id, err = store.AddEnrolment(ctx, tx, store.Enrolment{DriveID: d.ID, VolunteerID: volunteerID, PhoneHash: hash,
			ExpiresAt: tx.Now.Add(CodeTTL)}); err != nil {
			return err
		}
		code := signin.NewCode()
		if err := store.SaveEnrolment(ctx, tx, store.Enrolment{ID: id, CodeHash: e.codeHash(id, code), State: store.EnrolmentCodeSent}); err != nil {
			return err
		}
		if err := e.sms(ctx, tx, m.Phone, lang, code, first, sms.Clip(locale.Name(lang, d.Name, d.NameLocal))); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: people.ActorSelf, Action: "enrol_code_sent", PersonID: volunteerID,
			Detail: "enrolment " + strconv.FormatInt(id, 10) + ", drive " + d.Slug})
	})
	return id, err
}

// Confirm checks the code the member gave for enrolment id (the form
// typed again, as the page carried it) and, when it is right, registers
// the member (people.Enrol). A wrong code counts against MaxTries (the
// enrolment locks at the last); the refusal is returned as refused, with
// what it counted saved. It returns the member's id.
func (e *Enrol) Confirm(ctx context.Context, volunteerID, driveID, id int64, f Form, typed, lang string) (member int64, refused, err error) {
	code, _ := signin.ReadCode(typed)
	err = e.db.Update(ctx, func(tx *store.Tx) error {
		d, _, m, err := e.read(ctx, tx, volunteerID, driveID, f)
		if err != nil {
			return err
		}
		en, err := store.GetEnrolment(ctx, tx, volunteerID, id)
		if apperr.CodeOf(err) == apperr.NotFound || err == nil && en.DriveID != d.ID {
			refused = ErrCodeExpired
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case en.State != store.EnrolmentCodeSent || !tx.Now.Before(en.ExpiresAt):
			refused = ErrCodeExpired
			return nil
		case code == "" || !hmac.Equal([]byte(e.codeHash(id, code)), []byte(en.CodeHash)) ||
			!hmac.Equal([]byte(subkey.Hash(e.numKey, m.Phone)), []byte(en.PhoneHash)):
			en.Tries++
			refused = ErrCodeWrong
			if en.Tries >= MaxTries {
				en.State, refused = store.EnrolmentLocked, ErrCodeTries
			}
			return store.SaveEnrolment(ctx, tx, en)
		}
		en.State, en.CodeHash = store.EnrolmentDone, ""
		if err := store.SaveEnrolment(ctx, tx, en); err != nil {
			return err
		}
		member, err = e.people.Enrol(ctx, tx, people.Enrolment{Phone: m.Phone, DriveID: d.ID, Enroller: volunteerID, Name: m.Name,
			Language: lang, AreaID: m.Area.ID, NoticeVersion: NoticeVersion, Evidence: "enrol_code:" + strconv.FormatInt(id, 10),
			Day: drive.Calendar(d).Day(tx.Now)})
		return err
	})
	return member, refused, err
}

// read is what Start and Confirm begin with: the drive and the
// volunteer's first name (volunteerOf), and the form checked (check).
func (e *Enrol) read(ctx context.Context, tx *store.Tx, volunteerID, driveID int64, f Form) (store.Drive, string, Member, error) {
	d, first, err := volunteerOf(ctx, tx, volunteerID, driveID)
	if err != nil {
		return d, "", Member{}, err
	}
	m, err := e.check(ctx, tx, d, volunteerID, f)
	return d, first, m, err
}

// volunteerOf is the drive and the volunteer's first name (for the SMS)
// when volunteerID volunteers in it; otherwise ErrNotVolunteer.
func volunteerOf(ctx context.Context, tx *store.Tx, volunteerID, driveID int64) (store.Drive, string, error) {
	d, err := store.DriveIn(ctx, tx, driveID)
	if err != nil {
		return d, "", err
	}
	part, err := store.FindParticipation(ctx, tx, volunteerID, driveID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return d, "", ErrNotVolunteer
	}
	if err != nil {
		return d, "", err
	}
	v, err := store.VolunteerOf(ctx, tx, part.ID)
	if apperr.CodeOf(err) == apperr.NotFound || err == nil && !v.EndedAt.IsZero() {
		return d, "", ErrNotVolunteer
	}
	if err != nil {
		return d, "", err
	}
	p, err := store.GetPerson(ctx, tx, volunteerID)
	if err != nil {
		return d, "", err
	}
	first := "-"
	if fs := strings.Fields(p.Name); len(fs) > 0 {
		first = sms.Clip(fs[0])
	}
	return d, first, nil
}

// check reads the form: a mobile number not the volunteer's own, a name of
// at most 100 characters, an AC of the drive or none.
func (e *Enrol) check(ctx context.Context, tx *store.Tx, d store.Drive, volunteerID int64, f Form) (Member, error) {
	var m Member
	num, err := phone.Normalize(f.Phone)
	if err != nil || !phone.IsMobile(num) {
		return m, ErrPhone
	}
	m.Phone = num
	if owner, err := store.FindByContact(ctx, tx, store.ContactPhone, num); err == nil && owner == volunteerID {
		return m, ErrOwnNumber
	} else if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return m, err
	}
	m.Name = strings.Join(strings.Fields(f.Name), " ")
	if utf8.RuneCountInString(m.Name) > 100 || strings.ContainsFunc(m.Name, unicode.IsControl) {
		return m, ErrName
	}
	if ac := strings.ToUpper(strings.TrimSpace(f.AC)); ac != "" {
		area, why, err := drive.WorkArea(ctx, tx, d, ac)
		if err != nil {
			return m, err
		}
		if why != "" {
			return m, ErrArea
		}
		m.Area = area
	}
	return m, nil
}

// limits refuses a code beyond the volunteer's hour and day, or the
// number's day.
func limits(ctx context.Context, tx *store.Tx, volunteerID int64, phoneHash string) error {
	for _, l := range []struct {
		volunteer int64
		hash      string
		within    time.Duration
		max       int
		err       error
	}{{volunteerID, "", time.Hour, PerHour, ErrHour}, {volunteerID, "", 24 * time.Hour, PerDay, ErrDay},
		{0, phoneHash, 24 * time.Hour, PerNumberDay, ErrNumberDay}} {
		n, err := store.CountEnrolmentsSince(ctx, tx, l.volunteer, l.hash, tx.Now.Add(-l.within))
		if err != nil {
			return err
		}
		if n >= l.max {
			return l.err
		}
	}
	return nil
}

// codeHash is what is kept of a code: keyed, bound to its enrolment.
func (e *Enrol) codeHash(id int64, code string) string {
	return subkey.Hash(e.codeKey, strconv.FormatInt(id, 10)+":"+code)
}

// OutboxSMS queues the code in the registered enrolment template of lang
// (smstext.Enrol, its notice link at baseURL), as a requested SMS through
// provider, as sign-in's codes go (signin.CodeSMS); wake, if set, tells
// the sender.
func OutboxSMS(provider, baseURL string, templateIDs map[string]string, wake func()) SMS {
	texts := map[string]string{}
	for lang, text := range smstext.Enrol {
		texts[lang] = strings.ReplaceAll(text, smstext.BaseURL, baseURL)
	}
	send := signin.CodeSMSWith(provider, "enrol_code", texts, templateIDs, wake)
	return func(ctx context.Context, tx *store.Tx, phone, lang, code, volunteer, driveName string) error {
		return send(ctx, tx, phone, lang, code, volunteer, driveName)
	}
}
