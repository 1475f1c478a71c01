package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

const signinPhone = "+919876543210"

// code stores a sign-in code (its "hash" is the code itself here) valid
// for ten minutes from prefix.
func (f *driveFixture) code(t testing.TB, phone, hash, prefix string) {
	t.Helper()
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: phone, CodeHash: hash, IPPrefix: prefix, ExpiresAt: tx.Now.Add(10 * time.Minute)})
	})
}

// check checks a code in its own committed transaction.
func (f *driveFixture) check(t testing.TB, phone, hash string) store.OTPCheck {
	t.Helper()
	var got store.OTPCheck
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		var err error
		got, err = store.CheckOTPCode(ctx, tx, phone, hash, 5)
		return err
	})
	return got
}

func wantCheck(t testing.TB, got, want store.OTPCheck, what string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %s, want %s", what, got, want)
	}
}

func TestOTPCodeChecks(t *testing.T) {
	f := newDriveFixture(t)
	wantCheck(t, f.check(t, signinPhone, "111111"), store.OTPNone, "no code sent")

	f.code(t, signinPhone, "111111", "198.51.100.7/32")
	for i := range 4 {
		wantCheck(t, f.check(t, signinPhone, "000000"), store.OTPWrong, fmt.Sprintf("wrong try %d", i+1))
	}
	wantCheck(t, f.check(t, signinPhone, "000000"), store.OTPLocked, "fifth wrong try")
	wantCheck(t, f.check(t, signinPhone, "111111"), store.OTPLocked, "right code after five wrong tries")

	f.code(t, signinPhone, "222222", "198.51.100.7/32")
	wantCheck(t, f.check(t, signinPhone, "000000"), store.OTPWrong, "a new code's wrong try")
	wantCheck(t, f.check(t, signinPhone, "222222"), store.OTPValid, "a new code")
	wantCheck(t, f.check(t, signinPhone, "222222"), store.OTPNone, "a used code")
}

func TestOTPCodeNewestOnlyAndExpiry(t *testing.T) {
	f := newDriveFixture(t)
	f.code(t, signinPhone, "111111", "a")
	f.clock.Advance(time.Minute)
	f.code(t, signinPhone, "222222", "a")
	wantCheck(t, f.check(t, signinPhone, "111111"), store.OTPWrong, "an older code")
	wantCheck(t, f.check(t, signinPhone, "222222"), store.OTPValid, "the newest code")
	wantCheck(t, f.check(t, signinPhone, "111111"), store.OTPNone, "an older code after the newest was used")

	f.code(t, signinPhone, "333333", "a")
	f.clock.Advance(10*time.Minute - time.Millisecond)
	f.code(t, "+919800000001", "444444", "a")
	f.clock.Advance(time.Millisecond)
	wantCheck(t, f.check(t, signinPhone, "333333"), store.OTPNone, "a code at ten minutes")
	wantCheck(t, f.check(t, "+919800000001", "444444"), store.OTPValid, "another phone's code")
}

func TestCountOTPCodes(t *testing.T) {
	f := newDriveFixture(t)
	start := f.clock.Now()
	f.code(t, signinPhone, "1", "198.51.100.7/32")
	f.clock.Advance(time.Hour)
	f.code(t, signinPhone, "2", "2001:db8:1:2::/64")
	f.code(t, "+919800000001", "3", "198.51.100.7/32")
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: "+9779801234567", CodeHash: "4", IPPrefix: "203.0.113.9/32",
			NetPrefix: "203.0.113.0/24", Country: "NP", ExpiresAt: tx.Now.Add(10 * time.Minute)})
	})
	count := func(fl store.OTPFilter, since time.Time) int {
		var n int
		f.update(t, func(ctx context.Context, tx *store.Tx) error {
			var err error
			n, err = store.CountOTPCodes(ctx, tx, fl, since)
			return err
		})
		return n
	}
	for _, c := range []struct {
		f     store.OTPFilter
		since time.Time
		want  int
	}{
		{store.OTPFilter{Phone: signinPhone}, start, 2},
		{store.OTPFilter{Phone: signinPhone}, start.Add(time.Minute), 1},
		{store.OTPFilter{IPPrefix: "198.51.100.7/32"}, start, 2},
		{store.OTPFilter{IPPrefix: "198.51.100.7/32"}, start.Add(time.Hour), 1},
		{store.OTPFilter{IPPrefix: "2001:db8:1:3::/64"}, start, 0},
		{store.OTPFilter{NetPrefix: "203.0.113.0/24"}, start, 1},
		{store.OTPFilter{NetPrefix: "198.51.100.0/24"}, start, 0},
		{store.OTPFilter{Country: "NP"}, start, 1},
		{store.OTPFilter{Country: "NP"}, start.Add(time.Hour + time.Millisecond), 0},
		{store.OTPFilter{Country: "IN"}, start, 0}, // the fixture's codes have no country
		{store.OTPFilter{}, start, 4},
		{store.OTPFilter{}, start.Add(2 * time.Hour), 0},
	} {
		if got := count(c.f, c.since); got != c.want {
			t.Errorf("count %+v since %v: got %d, want %d", c.f, c.since.Sub(start), got, c.want)
		}
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		err := store.InsertOTPCode(ctx, tx, store.OTPCode{Phone: "98765", CodeHash: "x", IPPrefix: "a", ExpiresAt: tx.Now.Add(time.Minute)})
		wantCode(t, err, apperr.Invalid)
		return nil
	})
}

func (f *driveFixture) session(t testing.TB, person int64, hash string, absolute time.Duration) {
	t.Helper()
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		_, err := store.CreateSession(ctx, tx, person, hash, tx.Now.Add(absolute))
		return err
	})
}

func (f *driveFixture) live(t testing.TB, hash string) (store.Session, bool) {
	t.Helper()
	s, err := f.db.LiveSession(context.Background(), hash, func(int64) (store.SessionLimits, error) {
		return store.SessionLimits{Idle: 7 * 24 * time.Hour}, nil
	}, true)
	if errors.Is(err, store.ErrNoSession) {
		return s, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return s, true
}

func TestSessionTimeouts(t *testing.T) {
	f := newDriveFixture(t)
	person := f.person(t, "Sunita", signinPhone)
	f.session(t, person, "idle", 30*24*time.Hour)
	start := f.clock.Now().UTC()

	f.clock.Advance(30 * time.Second)
	if s, ok := f.live(t, "idle"); !ok || s.PersonID != person || !s.LastSeenAt.Equal(start) {
		t.Fatalf("at 30 s: %+v %v; want person %d last seen at the start", s, ok, person)
	}
	f.clock.Advance(time.Minute)
	if s, ok := f.live(t, "idle"); !ok || !s.LastSeenAt.Equal(f.clock.Now().UTC()) {
		t.Fatalf("at 90 s: %+v %v; want last seen now", s, ok)
	}
	f.clock.Advance(7*24*time.Hour - time.Millisecond)
	if _, ok := f.live(t, "idle"); !ok {
		t.Fatal("session ended before a week idle")
	}
	f.clock.Advance(7 * 24 * time.Hour)
	if _, ok := f.live(t, "idle"); ok {
		t.Fatal("session alive after a week idle")
	}

	f.session(t, person, "busy", 30*24*time.Hour)
	for range 29 {
		f.clock.Advance(24 * time.Hour)
		if _, ok := f.live(t, "busy"); !ok {
			t.Fatal("a daily session ended before 30 days")
		}
	}
	f.clock.Advance(24 * time.Hour)
	if _, ok := f.live(t, "busy"); ok {
		t.Fatal("a daily session outlived its 30 days")
	}
	if _, ok := f.live(t, "unknown"); ok {
		t.Fatal("an unknown token has a session")
	}
}

func TestRevokeSessions(t *testing.T) {
	f := newDriveFixture(t)
	person := f.person(t, "Sunita", signinPhone)
	other := f.person(t, "Ravi", "+919800000001")
	for _, h := range []string{"phone", "laptop", "tablet"} {
		f.session(t, person, h, time.Hour)
	}
	f.session(t, other, "other", time.Hour)
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		if ok, err := store.RevokeSession(ctx, tx, "phone"); err != nil || !ok {
			t.Errorf("revoke: %v %v", ok, err)
		}
		if ok, err := store.RevokeSession(ctx, tx, "phone"); err != nil || ok {
			t.Errorf("revoke again: %v %v", ok, err)
		}
		return nil
	})
	if _, ok := f.live(t, "phone"); ok {
		t.Fatal("a revoked session is alive")
	}
	if _, ok := f.live(t, "laptop"); !ok {
		t.Fatal("revoking one session ended another")
	}
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		n, err := store.RevokeSessions(ctx, tx, person)
		if n != 2 {
			t.Errorf("revoked %d sessions, want 2", n)
		}
		return err
	})
	for h, want := range map[string]bool{"laptop": false, "tablet": false, "other": true} {
		if _, ok := f.live(t, h); ok != want {
			t.Errorf("session %s alive: %v, want %v", h, ok, want)
		}
	}
}

func TestPurgeSignin(t *testing.T) {
	f := newDriveFixture(t)
	person := f.person(t, "Sunita", signinPhone)
	f.code(t, signinPhone, "old", "a")
	f.session(t, person, "old", time.Hour)
	f.clock.Advance(48 * time.Hour)
	f.code(t, signinPhone, "new", "a")
	f.session(t, person, "new", time.Hour)
	n, err := f.db.PurgeSignin(context.Background(), f.clock.Now().Add(-time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("purged %d (%v), want 2", n, err)
	}
	wantCheck(t, f.check(t, signinPhone, "new"), store.OTPValid, "a code after the purge")
	if _, ok := f.live(t, "new"); !ok {
		t.Fatal("the purge ended a live session")
	}
}
