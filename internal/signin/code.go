package signin

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// Why a code was not sent. All are rate_limited, with a plain message.
var (
	ErrPhoneLimited   error = apperr.New(apperr.RateLimited, "Too many codes were sent to this number. Please wait a while and try again.")
	ErrIPLimited      error = apperr.New(apperr.RateLimited, "Too many codes were asked for from your network. Please try again later.")
	ErrNetworkLimited error = apperr.New(apperr.RateLimited, "Too many codes were asked for from your network today. Please try again tomorrow.")
	ErrBudget         error = apperr.New(apperr.RateLimited, "Sign-in codes cannot be sent right now. Please try again later.")
	ErrCountryBudget  error = apperr.New(apperr.RateLimited, "Sign-in codes to this country's numbers cannot be sent right now. Please try again later.")
)

// ErrCountry is a number of a country the installation does not serve
// (Config.Countries): it gets no code, whatever the limits.
var ErrCountry error = apperr.New(apperr.Invalid, "Sign-in codes go only to mobile numbers of the countries this service works in.")

// Why a code was refused.
var (
	ErrCodeWrong   error = apperr.New(apperr.Unauthorized, "That code is not right. Check the SMS and try again.")
	ErrCodeExpired error = apperr.New(apperr.Unauthorized, "This code has expired or was used already. Ask for a new one.")
	ErrCodeTries   error = apperr.New(apperr.RateLimited, "Too many wrong tries. Ask for a new code.")
)

// codeDigits is a code's length; codeSpace the number of codes.
const (
	codeDigits = 6
	codeSpace  = 1_000_000
)

// SendCode sends a new code to phone (E.164, normalised by the caller) for
// the client behind r, in lang. The limits are checked and the code and
// its SMS stored in one transaction, so concurrent requests cannot slip
// past a limit together (per phone on PostgreSQL too: store.LockOTPPhone;
// the per-address, per-network, per-country and daily counts may run
// over by the requests in flight there). A number of a country not
// served is refused first: ErrCountry.
func (s *Signin) SendCode(ctx context.Context, r *http.Request, phone, lang string) error {
	if !s.Codes() {
		return ErrNoCodes
	}
	country, ok := s.cfg.Countries.Serves(phone)
	if !ok {
		s.m.codes.WithLabelValues(sendOutcome(ErrCountry)).Inc()
		return ErrCountry
	}
	client := s.ClientIP(r)
	from := origin{ip: ipPrefix(client), network: netPrefix(client)}
	code := NewCode()
	var today int
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := store.LockOTPPhone(ctx, tx, phone); err != nil {
			return err
		}
		var err error
		if today, err = s.checkLimits(ctx, tx, phone, country, from); err != nil {
			return err
		}
		err = store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: phone, CodeHash: s.codeHash(phone, code),
			IPPrefix: from.ip, NetPrefix: from.network, Country: country, ExpiresAt: tx.Now.Add(s.cfg.CodeTTL)})
		if err != nil {
			return err
		}
		today++
		return s.cfg.SMS(ctx, tx, phone, code, lang)
	})
	if today > 0 {
		s.m.today.Set(float64(today))
	}
	s.m.codes.WithLabelValues(sendOutcome(err)).Inc()
	return err
}

// origin is where a code request came from, as the limits count it.
type origin struct {
	ip      string // ipPrefix: the per-IP limit's
	network string // netPrefix: the per-network cap's
}

// checkLimits returns the codes sent today, or why no code may be sent.
func (s *Signin) checkLimits(ctx context.Context, tx *store.Tx, phone, country string, from origin) (int, error) {
	for _, l := range []struct {
		f      store.OTPFilter
		limits []Limit
		err    error
	}{
		{store.OTPFilter{Phone: phone}, s.cfg.PerPhone, ErrPhoneLimited},
		{store.OTPFilter{IPPrefix: from.ip}, s.cfg.PerIP, ErrIPLimited},
		{store.OTPFilter{NetPrefix: from.network}, s.cfg.PerNetwork, ErrNetworkLimited},
	} {
		if over, err := overAny(ctx, tx, l.f, l.limits); err != nil || over {
			return 0, cmp.Or(err, l.err)
		}
	}
	midnight := startOfDay(tx.Now, s.cfg.Zone)
	today, err := store.CountOTPCodes(ctx, tx, store.OTPFilter{}, midnight)
	switch {
	case err != nil:
		return 0, err
	case s.cfg.DailyBudget <= 0:
		return today, nil
	case today >= s.cfg.DailyBudget:
		return today, ErrBudget
	case country == s.cfg.Countries.Home():
		return today, nil
	}
	n, err := store.CountOTPCodes(ctx, tx, store.OTPFilter{Country: country}, midnight)
	if err != nil || n >= max(1, int(float64(s.cfg.DailyBudget)*s.cfg.CountryShare)) {
		return today, cmp.Or(err, ErrCountryBudget)
	}
	return today, nil
}

// overAny reports whether the codes f picks reach any of limits.
func overAny(ctx context.Context, tx *store.Tx, f store.OTPFilter, limits []Limit) (bool, error) {
	for _, l := range limits {
		n, err := store.CountOTPCodes(ctx, tx, f, tx.Now.Add(-l.Window))
		if err != nil {
			return false, err
		}
		if n >= l.Max {
			return true, nil
		}
	}
	return false, nil
}

func sendOutcome(err error) string {
	switch {
	case err == nil:
		return "sent"
	case errors.Is(err, ErrPhoneLimited):
		return "limited_phone"
	case errors.Is(err, ErrIPLimited):
		return "limited_ip"
	case errors.Is(err, ErrNetworkLimited):
		return "limited_network"
	case errors.Is(err, ErrBudget):
		return "budget"
	case errors.Is(err, ErrCountryBudget):
		return "budget_country"
	case errors.Is(err, ErrCountry):
		return "country"
	}
	return "error"
}

func startOfDay(t time.Time, zone *time.Location) time.Time {
	y, m, d := t.In(zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, zone)
}

// Verify checks a code typed for phone. On success it returns the phone's
// person, whose phone is now proven, or 0 when the phone belongs to no one
// (signing in makes no account: the caller decides what to show). A
// refused code is ErrCodeWrong, ErrCodeExpired (none sent, expired or
// used) or ErrCodeTries.
func (s *Signin) Verify(ctx context.Context, phone, code string) (personID int64, err error) {
	code, ok := ReadCode(code)
	if !ok {
		s.m.checks.WithLabelValues("malformed").Inc()
		return 0, ErrCodeWrong
	}
	var check store.OTPCheck
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		personID = 0
		check, err = store.CheckOTPCode(ctx, tx, phone, s.codeHash(phone, code), s.cfg.MaxTries)
		if err != nil || check != store.OTPValid {
			return err
		}
		personID, err = store.FindByContact(ctx, tx, store.ContactPhone, phone)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			personID = 0
			return nil
		case err != nil:
			return err
		}
		_, err = store.VerifyContact(ctx, tx, store.ContactPhone, phone)
		return err
	})
	if err != nil {
		s.m.checks.WithLabelValues("error").Inc()
		return 0, err
	}
	s.m.checks.WithLabelValues(string(check)).Inc()
	switch check {
	case store.OTPValid:
		return personID, nil
	case store.OTPWrong:
		return 0, ErrCodeWrong
	case store.OTPLocked:
		return 0, ErrCodeTries
	}
	return 0, ErrCodeExpired
}

// NewCode draws a 6-digit code uniformly from crypto/rand (sign-in and
// enrolment codes): 32-bit values at or
// above the largest multiple of codeSpace are drawn again, so no code is
// likelier than another.
func NewCode() string {
	const limit = (1 << 32) - (1<<32)%codeSpace
	var b [4]byte
	for {
		rand.Read(b[:])
		if v := binary.BigEndian.Uint32(b[:]); v < limit {
			return fmt.Sprintf("%0*d", codeDigits, v%codeSpace)
		}
	}
}

// ReadCode takes a typed 6-digit code: ASCII or Devanagari digits (a
// Hindi keyboard types those), spaces and dashes ignored.
func ReadCode(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range typed {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '०' && r <= '९':
			b.WriteRune('0' + r - '०')
		case r == ' ' || r == '-':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() == codeDigits
}

func (s *Signin) codeHash(phone, code string) string {
	return s.hash("jodo signin code", phone, code)
}
