package phone

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		e164 string
		want Kind
	}{
		{"+919876543210", Mobile},
		{"+919876512345", Mobile},    // 98765xxxxx
		{"+916512345678", FixedLine}, // Ranchi: starts with 6, still a landline
		{"+916512999999", FixedLine},
		{"+918069891522", FixedLine}, // Bengaluru: starts with 8
		{"+911123456789", FixedLine},
		{"+9118001234567", TollFree},
		{"+911800123456", TollFree},
		{"+911401234567", Other}, // UAN
		{"+910000000000", Other}, // not valid
		{"+915000000000", Other}, // not valid
		{"+14155552671", Mobile},
		{"09876543210", Mobile}, // not E.164: phonenumbers' answer, slower
		{"", Other},
		{"anonymous", Other},
	} {
		if got := KindOf(tc.e164); got != tc.want {
			t.Errorf("KindOf(%q) = %v, want %v", tc.e164, got, tc.want)
		}
		if got := IsMobile(tc.e164); got != (tc.want == Mobile) {
			t.Errorf("IsMobile(%q) = %v", tc.e164, got)
		}
	}
}

// A first-digit rule would call every 6xxxxxxxxx a mobile; phonenumbers'
// metadata says Ranchi's 0651 range is landline and the table must agree.
func TestRanchiLandlinesAreNotMobiles(t *testing.T) {
	r := rand.New(rand.NewPCG(651, 0))
	for range 1000 {
		e164 := fmt.Sprintf("+91651%d%06d", 2+r.IntN(6), r.IntN(1_000_000))
		if k := KindOf(e164); k != FixedLine {
			t.Fatalf("KindOf(%s) = %v, want fixed_line", e164, k)
		}
	}
}

func TestTableBuilds(t *testing.T) {
	tb := table()
	if tb == nil {
		t.Fatal("prefix table did not build: every KindOf goes to phonenumbers")
	}
	// Prefixes the table cannot settle are correct but slow; a metadata
	// update that makes many of them deserves a look at prefixLen.
	if ask := tb.counts[classAsk]; ask > numPrefixes/100 {
		t.Errorf("%d prefixes defer to phonenumbers", ask)
	}
	t.Logf("6-digit prefixes (10 and 11 digits) by class: %v; %d 5-digit prefixes split", tb.counts, len(tb.split))
}

// The table must give phonenumbers' type and validity for 200,000 random
// Indian 10-digit numbers, 20,000 of 11 digits (mostly around the 1800 and
// 1860 series, where the valid ones are), and one number under every 5-digit
// prefix of either length. -short: a tenth of the random numbers only.
func TestTableMatchesPhonenumbers(t *testing.T) {
	tb := table()
	random := 200_000
	if testing.Short() {
		random /= 10
	}
	check := func(nsn string) {
		if got, want := classOf(tb, nsn), referenceClass(nsn); got != classAsk && got != want {
			t.Errorf("+91%s: table says %d, phonenumbers %d", nsn, got, want)
		}
	}
	// phonenumbers is slow a number, so the work is spread over the CPUs.
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(1, uint64(w)))
			for range random / workers {
				check(fmt.Sprintf("%d%09d", 1+r.IntN(9), r.IntN(1_000_000_000)))
			}
			for range random / 10 / workers {
				check(fmt.Sprintf("%s%07d", []string{"1800", "1860", "18" + strconv.Itoa(r.IntN(10)) + strconv.Itoa(r.IntN(10)), strconv.Itoa(1000 + r.IntN(9000))}[r.IntN(4)], r.IntN(10_000_000)))
			}
			if testing.Short() {
				return
			}
			for length := minTableLen; length <= maxTableLen; length++ {
				for top := 10_000 + w; top < 100_000; top += workers {
					rest := length - topLen
					if v := tb.top[length-minTableLen][top]; v < splitBase {
						check(fmt.Sprintf("%05d%0*d", top, rest, r.Int64N(pow10(rest))))
						continue
					}
					for d := range 10 {
						check(fmt.Sprintf("%05d%d%0*d", top, d, rest-1, r.Int64N(pow10(rest-1))))
					}
				}
			}
		})
	}
	wg.Wait()
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// referenceClass is phonenumbers' verdict on +91 and a national number
// (what it says after parsing "+91"+nsn, minus the parsing, which
// FuzzKindOf covers).
func referenceClass(nsn string) class {
	cc := int32(91)
	nn, err := strconv.ParseUint(nsn, 10, 64)
	if err != nil {
		panic(err)
	}
	switch phonenumbers.GetNumberType(&phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &nn}) {
	case phonenumbers.UNKNOWN:
		return classInvalid
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return classMobile
	case phonenumbers.FIXED_LINE:
		return classFixedLine
	case phonenumbers.TOLL_FREE:
		return classTollFree
	default:
		return classOther
	}
}
