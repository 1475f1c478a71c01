package signin

import (
	"context"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// grant gives person role over JH.
func (f *fixture) grant(t testing.TB, person int64, role string) {
	t.Helper()
	err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := store.GrantRole(context.Background(), tx, person, role, []string{"JH"}, "cli:test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) revoke(t testing.TB, person int64) {
	t.Helper()
	err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := store.RevokeRoles(context.Background(), tx, person, "", "cli:test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A staff session unused for 2 hours ends; a member's lives on.
func TestStaffSessionIdleTimeout(t *testing.T) {
	f := newFixture(t, Config{})
	staff, member := f.person(t, phoneA), f.person(t, phoneB)
	f.grant(t, staff, "coordinator")
	sc, mc := f.signIn(t, staff), f.signIn(t, member)
	f.clock.Advance(StaffIdle - time.Minute)
	if f.who(t, sc) != staff || f.who(t, mc) != member {
		t.Fatal("sessions ended before the staff idle timeout")
	}
	f.clock.Advance(StaffIdle)
	if f.who(t, sc) != 0 {
		t.Error("a staff session unused for 2 hours is alive")
	}
	if f.who(t, mc) != member {
		t.Error("a member's session unused for 2 hours ended")
	}
}

// A staff session ends 12 hours after sign-in even when used every hour;
// a member's used the same way lives on.
func TestStaffSessionAbsoluteTimeout(t *testing.T) {
	f := newFixture(t, Config{})
	staff, member := f.person(t, phoneA), f.person(t, phoneB)
	f.grant(t, staff, "viewer")
	sc, mc := f.signIn(t, staff), f.signIn(t, member)
	for h := range 11 {
		f.clock.Advance(time.Hour)
		if f.who(t, sc) != staff {
			t.Fatalf("a staff session used hourly ended after %d hours", h+1)
		}
	}
	f.clock.Advance(time.Hour)
	if f.who(t, sc) != 0 {
		t.Error("a staff session used hourly outlived 12 hours")
	}
	if f.who(t, mc) != member {
		t.Error("a member's session ended at 12 hours")
	}
}

// A member given a role mid-session is held to the staff limits on the
// next request: a session 13 hours old ends at once, not 30 days on. A
// role removed lets the member limits hold again.
func TestRoleGivenMidSessionShortensIt(t *testing.T) {
	f := newFixture(t, Config{})
	person := f.person(t, phoneA)
	c := f.signIn(t, person)
	for range 13 {
		f.clock.Advance(time.Hour)
		if f.who(t, c) != person {
			t.Fatal("a member's session ended within 13 hours")
		}
	}
	f.grant(t, person, "admin")
	if f.who(t, c) != 0 {
		t.Fatal("a session 13 hours old survived its person being given a role")
	}

	other := f.person(t, phoneB)
	f.grant(t, other, "admin")
	oc := f.signIn(t, other)
	f.clock.Advance(StaffIdle + time.Minute)
	f.revoke(t, other)
	if f.who(t, oc) != other {
		t.Error("a member's limits do not hold once the role is removed")
	}
}

// A page that refreshes itself every 45 seconds (sending Background) does
// not keep a staff session alive past its idle timeout: only use does.
func TestBackgroundRequestsAreNotUse(t *testing.T) {
	f := newFixture(t, Config{})
	staff := f.person(t, phoneA)
	f.grant(t, staff, "coordinator")
	c := f.signIn(t, staff)
	poll := func() int64 {
		r := with(c)
		r.Header.Set(Background, "1")
		id, _, err := f.s.Person(r)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	for range int(StaffIdle/(45*time.Second)) - 1 {
		f.clock.Advance(45 * time.Second)
		if poll() != staff {
			t.Fatal("the session ended while polled within its idle timeout")
		}
	}
	f.clock.Advance(90 * time.Second)
	if poll() != 0 || f.who(t, c) != 0 {
		t.Error("a session only polled for 2 hours is alive")
	}
}
