package phone

import "testing"

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"+919876543210", "+91 98xxxxxx10"},
		{"+916512345678", "+91 65xxxxxx78"},
		{"+9118000000000", "+91 18xxxxxxx00"},
		{"+14155552671", "+1 41xxxxxx71"},
		{"+442079460958", "+44 20xxxxxx58"},
		{"+91123", "+91 xxx"},               // too short to show any of it
		{"09876543210", "09xxxxxxx10"},      // not E.164: digits only
		{"+91 98765 43210", "91xxxxxxxx10"}, // likewise
		{"+999123456789", "+99xxxxxxxx89"},  // no such country code
		{"anonymous", ""},
		{"", ""},
	} {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
