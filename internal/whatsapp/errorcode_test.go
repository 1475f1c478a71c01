package whatsapp

import "testing"

func TestClassify(t *testing.T) {
	want := map[int]ErrorClass{
		130429: RateLimitedBusiness,
		80007:  RateLimitedBusiness,
		4:      RateLimitedBusiness,
		131056: RateLimitedPair,
		131057: Retryable,
		1:      Retryable,
		2:      Retryable,
		131000: Retryable,
		131016: Retryable,
		131047: OutsideWindow,
		131026: Undeliverable,
		131049: Permanent,
		131050: Permanent,
		131051: Permanent,
		131052: Permanent,
		100:    InvalidRequest,
		132000: InvalidRequest,
		132001: InvalidRequest,
		132015: InvalidRequest,
		132999: InvalidRequest,
		0:      AccountProblem,
		3:      AccountProblem,
		10:     AccountProblem,
		190:    AccountProblem,
		200:    AccountProblem,
		299:    AccountProblem,
		368:    AccountProblem,
		131031: AccountProblem,
		131048: AccountProblem,
		133010: AccountProblem,
		// Not in the table: kept unknown, not guessed.
		-1:     Unknown,
		5:      Unknown,
		300:    Unknown,
		131062: Unknown,
		131999: Unknown,
		133000: Unknown,
		133004: Unknown,
		470:    Unknown,
		999999: Unknown,
	}
	seen := map[ErrorClass]bool{}
	for code, class := range want {
		if got := Classify(code); got != class {
			t.Errorf("Classify(%d) = %s; want %s", code, got, class)
		}
		seen[class] = true
	}
	for _, class := range []ErrorClass{Unknown, RateLimitedBusiness, RateLimitedPair, Retryable, OutsideWindow, Undeliverable, Permanent, InvalidRequest, AccountProblem} {
		if !seen[class] {
			t.Errorf("no code tested for %s", class)
		}
	}
	for code := range errorClasses {
		if _, ok := want[code]; !ok {
			t.Errorf("code %d is in the table but not in this test", code)
		}
	}
}
