package demo

import "testing"

func TestNumbers(t *testing.T) {
	if got := SeededPhone(0); got != "+917000100000" {
		t.Errorf("SeededPhone(0) = %s", got)
	}
	if got := SeededPhone(MaxSeeded - 1); got != "+917000999999" {
		t.Errorf("SeededPhone(last) = %s", got)
	}
	if got := LivePhone(0); got != "+917000010000" || !IsLive(got) {
		t.Errorf("LivePhone(0) = %s", got)
	}
	for _, n := range []string{"+917000000001", "+917000100000", "+919876543210", "+91700001000", "+9170000a0000"} {
		if IsLive(n) {
			t.Errorf("IsLive(%s)", n)
		}
	}
	if IsLive(SeededPhone(5)) {
		t.Error("a seeded number is live")
	}
}
