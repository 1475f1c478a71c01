package phone

import "testing"

var sinkString string

func BenchmarkNormalize(b *testing.B) {
	for _, bc := range []struct {
		name string
		fn   func(string) (string, error)
		raw  string
	}{
		{"fast/trunk0", Normalize, "09876543210"},
		{"fast/e164", Normalize, "+919876543210"},
		{"fast/spaced", Normalize, "+91 98765 43210"},
		{"fast/tollfree", Normalize, "1800 123 4567"},
		{"phonenumbers/trunk0", parseNormalize, "09876543210"},
		{"phonenumbers/e164", parseNormalize, "+919876543210"},
		{"phonenumbers/tollfree", parseNormalize, "1800 123 4567"},
		{"declined/parens", Normalize, "(0651) 2345678"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				sinkString, _ = bc.fn(bc.raw)
			}
		})
	}
}

var sinkKind Kind

func BenchmarkIsMobile(b *testing.B) {
	numbers := []string{"+919876543210", "+916512345678", "+918069891522", "+911123456789", "+917000000000", "+9118001234567"}
	table() // built before timing, as it is after the first call
	for _, bc := range []struct {
		name string
		fn   func(string) Kind
	}{
		{"table", KindOf},
		{"phonenumbers", referenceKind},
	} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				sinkKind = bc.fn(numbers[i%len(numbers)])
				i++
			}
		})
	}
}

// BenchmarkBuildTable is the cost of the first KindOf or Normalize call in a
// process.
func BenchmarkBuildTable(b *testing.B) {
	for b.Loop() {
		if _, err := buildTable(); err != nil {
			b.Fatal(err)
		}
	}
}
