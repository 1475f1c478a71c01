package phone

import "testing"

func TestRegion(t *testing.T) {
	for e164, want := range map[string]string{
		"+919876543210":  "IN",
		"+9118000000000": "IN",
		"+916512345678":  "IN",
		"+14155552671":   "US",
		"+16135550123":   "CA",
		"+442079460958":  "GB",
		"+9779801234567": "NP",
		"+910987654321":  "", // not a valid number
		"+1":             "",
		"":               "",
		"9876543210":     "IN", // not E.164, but phonenumbers reads it as Indian
	} {
		if got := Region(e164); got != want {
			t.Errorf("Region(%q) = %q, want %q", e164, got, want)
		}
	}
}

func TestCountriesServes(t *testing.T) {
	for _, tc := range []struct {
		countries Countries
		e164      string
		want      bool
	}{
		{nil, "+919876543210", true}, // the default: India
		{nil, "+14155552671", false},
		{Countries{"IN"}, "+14155552671", false},
		{Countries{"IN", "NP"}, "+9779801234567", true},
		{Countries{"IN", "NP"}, "+442079460958", false},
		{Countries{"US"}, "+14155552671", true},
		{Countries{"US"}, "+16135550123", false}, // +1 is not one country
		{Countries{"IN"}, "+910987654321", false},
	} {
		if _, got := tc.countries.Serves(tc.e164); got != tc.want {
			t.Errorf("%v serves %s: %v, want %v", tc.countries, tc.e164, got, tc.want)
		}
	}
	if h := (Countries{"NP", "IN"}).Home(); h != "NP" {
		t.Errorf("home of NP, IN: %s", h)
	}
	if h := Countries(nil).Home(); h != "IN" {
		t.Errorf("home of the default: %s", h)
	}
}
