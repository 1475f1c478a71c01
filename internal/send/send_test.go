package send

import "testing"

func TestOutcomeZeroIsUnknown(t *testing.T) {
	var r Result
	if r.Outcome != Unknown || r.Outcome.String() != "unknown" {
		t.Errorf("zero Outcome = %v", r.Outcome)
	}
}
