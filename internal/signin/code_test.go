package signin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

const (
	phoneA = "+919876543210"
	phoneB = "+919812345678"
	client = "198.51.100.7"
)

func wantErr(t testing.TB, err, want error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got %v, want %v", what, err, want)
	}
}

func TestCodeExpiresAfterTenMinutes(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	a := f.mustSend(t, phoneA, client)
	b := f.mustSend(t, phoneB, client)
	f.clock.Advance(10*time.Minute - time.Millisecond)
	if _, err := f.s.Verify(ctx, phoneA, a); err != nil {
		t.Fatalf("a code just under 10 minutes old: %v", err)
	}
	f.clock.Advance(time.Millisecond)
	_, err := f.s.Verify(ctx, phoneB, b)
	wantErr(t, err, ErrCodeExpired, "a code 10 minutes old")
}

func TestFiveWrongTriesLockTheCode(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	code := f.mustSend(t, phoneA, client)
	for range 4 {
		_, err := f.s.Verify(ctx, phoneA, wrong(code))
		wantErr(t, err, ErrCodeWrong, "a wrong code")
	}
	_, err := f.s.Verify(ctx, phoneA, wrong(code))
	wantErr(t, err, ErrCodeTries, "the fifth wrong code")
	_, err = f.s.Verify(ctx, phoneA, code)
	wantErr(t, err, ErrCodeTries, "the right code after five wrong ones")
	if apperr.CodeOf(err) != apperr.RateLimited {
		t.Errorf("a locked code is %s, want rate_limited", apperr.CodeOf(err))
	}

	code = f.mustSend(t, phoneA, client)
	if _, err := f.s.Verify(ctx, phoneA, code); err != nil {
		t.Fatalf("a new code after a locked one: %v", err)
	}
	if got := testutil.ToFloat64(f.s.m.checks.WithLabelValues("wrong")); got != 4 {
		t.Errorf("jodo_signin_checks_total{result=wrong} = %v, want 4", got)
	}
}

func TestCodeIsUsedOnce(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	person := f.person(t, phoneA)
	code := f.mustSend(t, phoneA, client)
	got, err := f.s.Verify(ctx, phoneA, code)
	if err != nil || got != person {
		t.Fatalf("verify: %d %v, want person %d", got, err, person)
	}
	_, err = f.s.Verify(ctx, phoneA, code)
	wantErr(t, err, ErrCodeExpired, "a used code")
	_, err = f.s.Verify(ctx, phoneB, code)
	wantErr(t, err, ErrCodeExpired, "a code for another phone")
}

func TestVerifyFindsThePerson(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	person := f.person(t, phoneA)
	if _, err := f.s.Verify(ctx, phoneA, f.mustSend(t, phoneA, client)); err != nil {
		t.Fatal(err)
	}
	err := f.db.View(ctx, func(tx *store.Tx) error {
		cs, err := store.Contacts(ctx, tx, person)
		if err == nil && (len(cs) != 1 || cs[0].VerifiedAt.IsZero()) {
			t.Errorf("the phone is not proven after signing in: %+v", cs)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.Verify(ctx, phoneB, f.mustSend(t, phoneB, client))
	if err != nil || got != 0 {
		t.Fatalf("a phone nobody has: person %d, %v; want 0, nil", got, err)
	}
}

func TestVerifyReadsTypedCodes(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	code := f.mustSend(t, phoneA, client)
	for _, typed := range []string{"12345", "1234567", "12a456", "१२३४५"} {
		_, err := f.s.Verify(ctx, phoneA, typed)
		wantErr(t, err, ErrCodeWrong, "code "+typed)
	}
	hindi := strings.Map(func(r rune) rune { return '०' + r - '0' }, code)
	if _, err := f.s.Verify(ctx, phoneA, " "+hindi[:9]+" "+hindi[9:]+" "); err != nil {
		t.Fatalf("the code in Devanagari digits, spaced, after 4 malformed tries: %v", err)
	}
}

func TestPerPhoneLimits(t *testing.T) {
	f := newFixture(t, Config{})
	addr := func(i int) string { return "198.51.100." + string(rune('0'+i%10)) }
	sent := 0
	for round := range 4 {
		for i := range 3 {
			if sent == 10 {
				break
			}
			f.mustSend(t, phoneA, addr(i))
			sent++
		}
		if round < 3 {
			wantErr(t, f.send(t, phoneA, "203.0.113.1"), ErrPhoneLimited, "a fourth code in 15 minutes")
		}
		f.clock.Advance(15*time.Minute + time.Second)
	}
	wantErr(t, f.send(t, phoneA, "203.0.113.1"), ErrPhoneLimited, "an eleventh code in a day")
	f.mustSend(t, phoneB, "203.0.113.1")
	f.clock.Advance(24 * time.Hour)
	f.mustSend(t, phoneA, "203.0.113.1")
	if got := testutil.ToFloat64(f.s.m.codes.WithLabelValues("limited_phone")); got != 4 {
		t.Errorf("jodo_signin_codes_total{outcome=limited_phone} = %v, want 4", got)
	}
}

// phones returns n distinct phone numbers.
func phones(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "+9198000" + string(rune('0'+i/10%10)) + string(rune('0'+i%10)) + "000"
	}
	return out
}

func TestPerIPLimitIPv6ByPrefix(t *testing.T) {
	f := newFixture(t, Config{PerIP: []Limit{{3, time.Hour}}})
	p := phones(6)
	f.mustSend(t, p[0], "2001:db8:1:2::1")
	f.mustSend(t, p[1], "2001:db8:1:2::2")
	f.mustSend(t, p[2], "2001:db8:1:2:ffff:ffff:ffff:ffff")
	wantErr(t, f.send(t, p[3], "2001:db8:1:2:abcd::9"), ErrIPLimited, "a fourth code from one /64")
	f.mustSend(t, p[3], "2001:db8:1:3::1")
	f.clock.Advance(time.Hour + time.Second)
	f.mustSend(t, p[4], "2001:db8:1:2::1")
}

func TestPerIPLimitIPv4ByAddress(t *testing.T) {
	f := newFixture(t, Config{PerIP: []Limit{{3, time.Hour}}})
	p := phones(6)
	for i := range 3 {
		f.mustSend(t, p[i], "198.51.100.1")
	}
	wantErr(t, f.send(t, p[3], "198.51.100.1"), ErrIPLimited, "a fourth code from one IPv4 address")
	f.mustSend(t, p[3], "198.51.100.2")
	wantErr(t, f.send(t, p[4], "::ffff:198.51.100.1"), ErrIPLimited, "the same address IPv4-mapped")
}

func TestLimitedRequestStoresNothing(t *testing.T) {
	f := newFixture(t, Config{PerPhone: []Limit{{1, time.Hour}}})
	code := f.mustSend(t, phoneA, client)
	wantErr(t, f.send(t, phoneA, client), ErrPhoneLimited, "a second code")
	if n := f.messages(t); n != 1 {
		t.Fatalf("%d SMS queued, want 1", n)
	}
	if _, err := f.s.Verify(context.Background(), phoneA, code); err != nil {
		t.Fatalf("the first code after a refused second: %v", err)
	}
}

// forwarded is a request from peer carrying X-Forwarded-For: xff.
func forwarded(peer, xff string) *http.Request {
	r := request(peer)
	r.Header.Set("X-Forwarded-For", xff)
	return r
}

func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	const proxy = "10.0.0.5"
	f := newFixture(t, Config{PerIP: []Limit{{1, time.Hour}}, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	p := phones(5)
	send := func(phone string, r *http.Request) error { return f.s.SendCode(context.Background(), r, phone, "hi") }
	// Through the proxy, two clients are two networks.
	if err := send(p[0], forwarded(proxy, "203.0.113.1")); err != nil {
		t.Fatal(err)
	}
	if err := send(p[1], forwarded(proxy, "203.0.113.2")); err != nil {
		t.Fatal(err)
	}
	wantErr(t, send(p[2], forwarded(proxy, "198.51.100.9, 203.0.113.1")), ErrIPLimited, "a forged hop left of the real client")
	// From anyone else the header is the client's own words.
	if err := send(p[3], forwarded("192.0.2.50", "203.0.113.3")); err != nil {
		t.Fatal(err)
	}
	wantErr(t, send(p[4], forwarded("192.0.2.50", "203.0.113.4")), ErrIPLimited, "an untrusted peer claiming another address")
}

func TestDailyBudget(t *testing.T) {
	f := newFixture(t, Config{DailyBudget: 2}) // and so one code a day from one network
	p := phones(4)
	f.mustSend(t, p[0], client)
	f.mustSend(t, p[1], "203.0.113.8")
	err := f.send(t, p[2], "192.0.2.9")
	wantErr(t, err, ErrBudget, "a code over the day's budget")
	if apperr.CodeOf(err) != apperr.RateLimited || strings.Contains(apperr.MessageOf(err), "budget") {
		t.Errorf("over budget: %s %q; want rate_limited in plain words", apperr.CodeOf(err), apperr.MessageOf(err))
	}
	if today, budget := testutil.ToFloat64(f.s.m.today), testutil.ToFloat64(f.s.m.budget); today != 2 || budget != 2 {
		t.Errorf("jodo_signin_codes_today %v, jodo_signin_codes_budget %v; want 2 and 2", today, budget)
	}
	if n, err := testutil.GatherAndCount(f.reg, "jodo_signin_codes_total", "jodo_signin_codes_today", "jodo_signin_codes_budget"); err != nil || n != 4 {
		t.Errorf("gathered %d sign-in series (%v), want 4", n, err)
	}
	f.clock.Set(time.Date(2026, 2, 13, 0, 0, 0, 0, ist.Zone))
	f.mustSend(t, p[2], "192.0.2.9")
	if today := testutil.ToFloat64(f.s.m.today); today != 1 {
		t.Errorf("jodo_signin_codes_today %v after midnight, want 1", today)
	}
}

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := NewCode()
		if _, ok := ReadCode(c); !ok {
			t.Fatalf("code %q is not 6 digits", c)
		}
		seen[c] = true
	}
	if len(seen) < 1990 {
		t.Fatalf("%d distinct codes in 2000 draws", len(seen))
	}
}

// Pumping from many addresses of one network: each address is under the
// per-IP limit, but the network's day is capped.
func TestPerNetworkDailyCap(t *testing.T) {
	f := newFixture(t, Config{PerNetwork: []Limit{{3, 24 * time.Hour}}})
	p := phones(8)
	f.mustSend(t, p[0], "198.51.100.1")
	f.mustSend(t, p[1], "198.51.100.2")
	f.mustSend(t, p[2], "198.51.100.254")
	err := f.send(t, p[3], "198.51.100.3")
	wantErr(t, err, ErrNetworkLimited, "a fourth code from one IPv4 /24")
	if apperr.CodeOf(err) != apperr.RateLimited {
		t.Errorf("a network over its cap is %s, want rate_limited", apperr.CodeOf(err))
	}
	f.mustSend(t, p[3], "198.51.101.3")
	f.mustSend(t, p[4], "2001:db8:1:1::1")
	f.mustSend(t, p[5], "2001:db8:1:2::1")
	f.mustSend(t, p[6], "2001:db8:1:ffff::1")
	wantErr(t, f.send(t, p[7], "2001:db8:1:abcd::1"), ErrNetworkLimited, "a fourth code from one IPv6 /48")
	f.mustSend(t, p[7], "2001:db8:2::1")
	f.clock.Advance(24*time.Hour + time.Second)
	f.mustSend(t, p[0], "198.51.100.9")
	if got := testutil.ToFloat64(f.s.m.codes.WithLabelValues("limited_network")); got != 2 {
		t.Errorf("jodo_signin_codes_total{outcome=limited_network} = %v, want 2", got)
	}
}

func TestPerNetworkCapDefaultsToATenthOfTheBudget(t *testing.T) {
	for budget, want := range map[int]int{20000: 2000, 40: 4, 5: 1, 0: 2000} {
		got := withDefaults(Config{DailyBudget: budget}).PerNetwork
		if len(got) != 1 || got[0].Max != want || got[0].Window != 24*time.Hour {
			t.Errorf("budget %d: per-network %+v, want %d a day", budget, got, want)
		}
	}
}

// Codes go only to the countries served; a number of another country is
// refused before any limit counts it, and stores nothing.
func TestCodesOnlyToCountriesServed(t *testing.T) {
	f := newFixture(t, Config{})
	for _, p := range []string{"+14155552671", "+447700900123", "+9779801234567"} {
		err := f.send(t, p, client)
		wantErr(t, err, ErrCountry, "a code to "+p)
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: %s, want invalid", p, apperr.CodeOf(err))
		}
	}
	if n := f.messages(t); n != 0 {
		t.Fatalf("%d SMS queued to numbers abroad", n)
	}
	f.mustSend(t, phoneA, client)
	g := newFixture(t, Config{Countries: phone.Countries{"IN", "NP"}})
	g.mustSend(t, "+9779801234567", client)
	wantErr(t, g.send(t, "+14155552671", client), ErrCountry, "a US number where India and Nepal are served")
	if got := testutil.ToFloat64(g.s.m.codes.WithLabelValues("country")); got != 1 {
		t.Errorf("jodo_signin_codes_total{outcome=country} = %v, want 1", got)
	}
}

// A country after the home one may use its share of the day's budget and
// no more; the home country keeps the rest.
func TestPerCountryBudget(t *testing.T) {
	f := newFixture(t, Config{DailyBudget: 20, CountryShare: 0.1, Countries: phone.Countries{"IN", "NP"}})
	addr := func(i int) string { return fmt.Sprintf("198.51.%d.1", i) }
	f.mustSend(t, "+9779801234567", addr(0))
	f.mustSend(t, "+9779801234568", addr(1))
	err := f.send(t, "+9779801234569", addr(2))
	wantErr(t, err, ErrCountryBudget, "a third code to Nepal on a budget of 20")
	if apperr.CodeOf(err) != apperr.RateLimited {
		t.Errorf("a country over its budget is %s, want rate_limited", apperr.CodeOf(err))
	}
	p := phones(18)
	for i := range 18 {
		f.mustSend(t, p[i], addr(10+i))
	}
	wantErr(t, f.send(t, phoneA, addr(40)), ErrBudget, "the 21st code of the day")
	f.clock.Set(time.Date(2026, 2, 13, 0, 0, 0, 0, ist.Zone))
	f.mustSend(t, "+9779801234569", addr(50))
	if got := testutil.ToFloat64(f.s.m.codes.WithLabelValues("budget_country")); got != 1 {
		t.Errorf("jodo_signin_codes_total{outcome=budget_country} = %v, want 1", got)
	}
}
