package phone

import (
	"errors"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		kind      Kind
	}{
		// The shapes providers send (PROVIDERS.md §6).
		{"09876543210", "+919876543210", Mobile},            // Exotel CallFrom
		{"+919876543210", "+919876543210", Mobile},          // Twilio, new Exotel
		{"919876543210", "+919876543210", Mobile},           // WhatsApp wa_id, MSG91
		{"9876543210", "+919876543210", Mobile},             // MyOperator, CallerDesk
		{` "09876543210" `, "+919876543210", Mobile},        // quoted, padded
		{`'09876543210'`, "+919876543210", Mobile},          // single quotes
		{"+91 98765 43210", "+919876543210", Mobile},        // typed
		{"+91-98765-43210", "+919876543210", Mobile},        // typed
		{"0091 98765 43210", "+919876543210", Mobile},       // international prefix
		{"+91 0 98765 43210", "+919876543210", Mobile},      // trunk 0 after +91
		{"09901320691", "+919901320691", Mobile},            // observed Exotel caller
		{"1800 000 0000", "+9118000000000", TollFree},       // toll free, 11 digits
		{"9118001234567", "+9118001234567", TollFree},       // and with 91
		{"18000000000", "+9118000000000", TollFree},         //
		{"018001234567", "+9118001234567", TollFree},        // with trunk 0
		{"+9118001234567", "+9118001234567", TollFree},      //
		{"1800123456", "+911800123456", TollFree},           // older 10-digit toll free
		{"0651-2345678", "+916512345678", FixedLine},        // Ranchi landline
		{"06512345678", "+916512345678", FixedLine},         //
		{"(0651) 2345678", "+916512345678", FixedLine},      //
		{"08069891522", "+918069891522", FixedLine},         // Exotel CallTo, Bengaluru
		{"01123456789", "+911123456789", FixedLine},         // Delhi
		{"1234567890", "+911234567890", FixedLine},          // a landline without its 0, not junk
		{"5123456789", "+915123456789", FixedLine},          // likewise
		{"9191919191", "+919191919191", Mobile},             // 10 digits starting 91: not a country code
		{"919191919191", "+919191919191", Mobile},           // 12 digits starting 91: a country code
		{"91180012345", "+91180012345", TollFree},           // 11 digits: 91 taken as country code when the rest is valid
		{"1401234567", "+911401234567", Other},              // UAN (telemarketer series)
		{"1860 123 4567", "+9118601234567", Other},          // shared cost
		{"+14155552671", "+14155552671", Mobile},            // US numbers are FIXED_LINE_OR_MOBILE
		{"  +44 20 7946 0958 ", "+442079460958", FixedLine}, // London
	} {
		got, err := Normalize(tc.raw)
		if err != nil || got != tc.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
			continue
		}
		if k := KindOf(got); k != tc.kind {
			t.Errorf("KindOf(%q) = %v, want %v", got, k, tc.kind)
		}
	}
}

func TestNormalizeRefuses(t *testing.T) {
	for _, tc := range []struct{ raw, reason string }{
		{"", "empty"},
		{`  ""  `, "empty"},
		{"abc", "has letters"},
		{"anonymous", "has letters"},
		{"123", "too short"},
		{"+91 12345", "too short"},
		{"0000000000", "not a valid number"},
		{"0123456789", "not a valid number"},  // the 0 is taken as trunk prefix, leaving 9 digits
		{"91919191919", "not a valid number"}, // 11 digits: phonenumbers keeps them all
		{"+910987654321", "not a valid number"},
		{"+266696687", "too short"}, // Twilio's "anonymous" (Lesotho)
		{"98765 43210 ext 5", "has letters"},
		{"9876543210x12", "has letters"},
		{"9876543210;12", "has an extension"},
		// Letters are not digits: phonenumbers reads them off a keypad.
		{"+91 98111 ABCDE", "has letters"},
		{"1-800-FLOWERS", "has letters"},
		{"98765४3210a", "has letters"},
		{"tel:+919876543210", "has letters"}, // no provider sends RFC 3966
		{"९८७६५४३२१० क", "has letters"},
		{"+0919876543210", "unknown country code"},
		{"9876543210#", "not a number"},
	} {
		got, err := Normalize(tc.raw)
		var ie *InvalidError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &ie) || got != "" {
			t.Errorf("Normalize(%q) = %q, %v; want ErrInvalid", tc.raw, got, err)
			continue
		}
		if ie.Reason != tc.reason {
			t.Errorf("Normalize(%q) reason %q, want %q", tc.raw, ie.Reason, tc.reason)
		}
	}
}

// The fast path must actually take the everyday shapes, or it is only
// overhead.
func TestFastPathTakesCommonShapes(t *testing.T) {
	for _, raw := range []string{
		"09876543210", "+919876543210", "919876543210", "9876543210", "+91 98765 43210",
		"0651-2345678", "1800123456", "01123456789",
		"18001234567", "1800 123 4567", "018001234567", "+9118001234567", "9118001234567",
	} {
		if _, ok := fastNormalize(raw); !ok {
			t.Errorf("fastNormalize(%q) declined", raw)
		}
	}
}

// Twilio already sends E.164: the fast path hands the string back as is.
func TestNormalizeE164DoesNotAllocate(t *testing.T) {
	for _, e164 := range []string{"+919876543210", "+9118001234567"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = Normalize(e164) }); n != 0 {
			t.Errorf("Normalize(%q): %v allocations, want 0", e164, n)
		}
	}
}
