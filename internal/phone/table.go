package phone

import (
	"errors"
	"slices"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// class is what the prefix table knows about every number under a prefix.
type class uint8

const (
	classInvalid   class = iota // phonenumbers' UNKNOWN: not a valid number
	classMobile                 // MOBILE or FIXED_LINE_OR_MOBILE
	classFixedLine              // FIXED_LINE
	classTollFree               // TOLL_FREE
	classOther                  // valid, of another type (shared cost, UAN, premium…)
	classAsk                    // numbers under the prefix differ: ask phonenumbers
)

const (
	// The tables cover national numbers of 10 digits (mobiles, landlines)
	// and 11 (toll-free 1800… numbers, which called numbers often are).
	// Other lengths go to phonenumbers.
	minTableLen = 10
	maxTableLen = 11
	// prefixLen digits decide the type of every such Indian number in
	// phonenumbers v1.8.1's metadata. If a later version looks further, the
	// affected prefixes become classAsk: slower, never wrong.
	prefixLen = 6
	// A table is stored by the first topLen digits, with the 6th digit
	// looked at only under the few 5-digit prefixes where it matters.
	topLen    = prefixLen - 1
	splitBase = 1 << 8
	maxSplits = 1<<16 - splitBase
)

// prefixTable answers phonenumbers' validity and type questions for Indian
// national numbers of 10 and 11 digits without running its regular
// expressions.
type prefixTable struct {
	top    [maxTableLen - minTableLen + 1][]uint16 // by length, then first 5 digits: a class, or splitBase+i for split[i]
	split  [][10]class                             // by the 6th digit
	counts [classAsk + 1]int                       // 6-digit prefixes per class, for tests and reports
}

// table is built on first use rather than at package init, so that programs
// that never classify a number (CLI commands) do not pay for it. It is nil
// when the metadata could not be read exactly; everything then goes to
// phonenumbers.
var table = sync.OnceValue(func() *prefixTable {
	t, err := buildTable()
	if err != nil {
		return nil
	}
	return t
})

// classOf classifies a national number whose first digit is not 0; lengths
// the table does not cover are classAsk.
func classOf[S string | []byte](t *prefixTable, nsn S) class {
	if len(nsn) < minTableLen || len(nsn) > maxTableLen {
		return classAsk
	}
	top := 0
	for i := range topLen {
		top = top*10 + int(nsn[i]-'0')
	}
	v := t.top[len(nsn)-minTableLen][top]
	if v < splitBase {
		return class(v)
	}
	return t.split[v-splitBase][nsn[topLen]-'0']
}

var errNoIndia = errors.New("phone: no metadata for " + region)

func buildTable() (*prefixTable, error) {
	md, err := indiaMetadata()
	if err != nil {
		return nil, err
	}
	t := &prefixTable{}
	for length := minTableLen; length <= maxTableLen; length++ {
		classes, err := classify(md, length)
		if err != nil {
			return nil, err
		}
		t.top[length-minTableLen] = t.pack(classes)
	}
	return t, nil
}

func indiaMetadata() (*phonenumbers.PhoneMetadata, error) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(coll.GetMetadata(), func(m *phonenumbers.PhoneMetadata) bool { return m.GetId() == region })
	if i < 0 {
		return nil, errNoIndia
	}
	return coll.GetMetadata()[i], nil
}

// pack stores the per-6-digit classes of one length by 5-digit prefix,
// splitting out only the prefixes whose sixth digit matters.
func (t *prefixTable) pack(classes []class) []uint16 {
	top := make([]uint16, len(classes)/10)
	for p := range top {
		var block [10]class
		copy(block[:], classes[p*10:])
		for _, c := range block {
			t.counts[c]++
		}
		switch {
		case uniform(block):
			top[p] = uint16(block[0])
		case len(t.split) < maxSplits:
			top[p] = uint16(splitBase + len(t.split))
			t.split = append(t.split, block)
		default:
			top[p] = uint16(classAsk)
		}
	}
	return top
}

func uniform(block [10]class) bool {
	for _, c := range block {
		if c != block[0] {
			return false
		}
	}
	return true
}
