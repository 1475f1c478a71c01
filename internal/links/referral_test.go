package links_test

import (
	"testing"

	"github.com/jodo-org/jodo/internal/links"
)

// A referral code and a join code never read as each other: their lengths
// differ.
func TestReferralAndJoinCodesApart(t *testing.T) {
	r := links.NewReferralCode()
	if len(r) != links.ReferralCodeLen {
		t.Fatalf("referral code %q", r)
	}
	if got, ok := links.ParseReferralCode("JOIN " + r); !ok || got != r {
		t.Fatalf("JOIN %s: %q %v", r, got, ok)
	}
	if _, ok := links.ParseJoinCode("JOIN " + r); ok {
		t.Fatalf("a referral code read as a join code")
	}
	if _, ok := links.ParseReferralCode("JOIN ABCD234567"); ok {
		t.Fatalf("a join code read as a referral code")
	}
	if got, ok := links.ParseReferralCode("join" + r); !ok || got != r {
		t.Fatalf("join%s: %q %v", r, got, ok)
	}
}

func FuzzParseReferralCode(f *testing.F) {
	f.Add("JOIN K7M2Q9XRT")
	f.Add("जुड़ें k7m2q9xrt")
	f.Fuzz(func(t *testing.T, text string) {
		code, ok := links.ParseReferralCode(text)
		if ok != (code != "") || (ok && len(code) != links.ReferralCodeLen) {
			t.Fatalf("%q → %q %v", text, code, ok)
		}
		if _, join := links.ParseJoinCode(code); ok && join {
			t.Fatalf("%q is both codes", code)
		}
	})
}
