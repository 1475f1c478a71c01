package phone

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

var fuzzSeeds = []string{
	"09876543210", "+919876543210", "919876543210", "9876543210", ` "09876543210" `,
	"+91 98765 43210", "+91-98765-43210", "1800 000 0000", "18000000000", "0651-2345678",
	"+14155552671", "", "abc", "123", "+91 12345", "0000000000", "0123456789",
	"9191919191", "919191919191", "+910987654321", "+9109876543210", "+ 91 98765 43210",
	"-9876543210", "9876543210-", "+-919876543210", "9-1-98765-43210", "0 - 98765 43210",
	"98765 43210 ext 5", "18001234567", "9118001234567", "+91 1800 123 4567", "91180012345",
	"0919876543210", "018001234567", "918001234567", "1234567890", "5000000000", "+911401234567",
	"+91 98111 ABCDE", "1-800-FLOWERS", "tel:+919876543210", "98765 43210 ext 5", "+1 415 555 2671", "+977 980 1234567",
}

// FuzzNormalize holds the fast path to phonenumbers: whenever it accepts an
// input, phonenumbers (Parse, IsValidNumber, Format E164) accepts it too
// and gives the same E.164. Normalize must never panic, must accept no
// input that has a letter in it (phonenumbers would read letters off a
// keypad), what it returns must come back unchanged, and Region must give
// phonenumbers' country for it.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := Normalize(raw)
		s := strings.Trim(raw, trimSet)
		if fast, ok := fastNormalize(s); ok {
			want, werr := parseNormalize(s)
			if werr != nil || want != fast {
				t.Fatalf("%q: fast path %q, phonenumbers %q, %v", s, fast, want, werr)
			}
		}
		if err != nil {
			if !errors.Is(err, ErrInvalid) || got != "" {
				t.Fatalf("%q: %q, %v (%T)", raw, got, err, err)
			}
			return
		}
		if strings.IndexFunc(raw, unicode.IsLetter) >= 0 {
			t.Fatalf("%q has letters, yet became %q", raw, got)
		}
		if !strings.HasPrefix(got, "+") || !isDigits(got[1:]) {
			t.Fatalf("%q: %q is not E.164", raw, got)
		}
		if again, err := Normalize(got); again != got || err != nil {
			t.Fatalf("%q: Normalize(%q) = %q, %v", raw, got, again, err)
		}
		n, _ := phonenumbers.Parse(got, region)
		if r, want := Region(got), phonenumbers.GetRegionCodeForNumber(n); r != want || r == "" {
			t.Fatalf("Region(%q) = %q, phonenumbers says %q", got, r, want)
		}
	})
}

// FuzzKindOf holds KindOf, table and all, to phonenumbers' own answer for
// any string.
func FuzzKindOf(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := KindOf(s), referenceKind(s); got != want {
			t.Fatalf("KindOf(%q) = %v, phonenumbers says %v", s, got, want)
		}
	})
}

// FuzzPrefixTable explores Indian numbers directly, which byte-level
// mutation of strings reaches only slowly.
func FuzzPrefixTable(f *testing.F) {
	for _, nsn := range []uint64{9876543210, 6512345678, 8069891522, 1800123456, 1401234567, 2717951234, 2717941234, 18001234567, 18601234567} {
		f.Add(nsn)
	}
	f.Fuzz(func(t *testing.T, n uint64) {
		length := minTableLen + int(n%2) // 10 or 11 digits, leading zeros and all
		e164 := fmt.Sprintf("+91%0*d", length, n%uint64(pow10(length)))
		if got, want := KindOf(e164), referenceKind(e164); got != want {
			t.Fatalf("KindOf(%s) = %v, phonenumbers says %v", e164, got, want)
		}
		if nsn, ok := indianNational(e164); ok {
			if got, want := classOf(table(), nsn), referenceClass(nsn); got != classAsk && got != want {
				t.Fatalf("%s: table says %d, phonenumbers %d", e164, got, want)
			}
		}
	})
}
