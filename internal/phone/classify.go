package phone

import (
	"errors"
	"slices"

	"github.com/nyaruka/phonenumbers"
)

// coverage is how many of the numbers of one length under a 6-digit prefix one
// number description (fixed line, mobile, toll free…) matches. coverSome is
// also the answer when several sequences together might cover the prefix:
// it only ever costs a call to phonenumbers, never a wrong answer.
type coverage uint8

const (
	coverNone coverage = iota
	coverSome
	coverAll
)

// pending marks prefixes that classify has not decided yet.
const pending = classAsk + 1

const numPrefixes = 1_000_000 // 10^prefixLen

var errUnmodelled = errors.New("phone: IN metadata uses a pattern the prefix table cannot model")

// classify decides every 6-digit prefix of Indian numbers of one length the way
// phonenumbers' getNumberTypeHelper decides a number: the general
// description first, then the special types in its order, then fixed line
// and mobile.
func classify(md *phonenumbers.PhoneMetadata, length int) ([]class, error) {
	classes := make([]class, numPrefixes) // all classInvalid
	err := eachCovered(md.GetGeneralDesc(), length, func(p int, c coverage) {
		switch {
		case c == coverAll:
			classes[p] = pending
		case classes[p] == classInvalid:
			classes[p] = classAsk
		}
	})
	if err != nil {
		return nil, err
	}
	special := []struct {
		desc  *phonenumbers.PhoneNumberDesc
		class class
	}{
		{md.GetPremiumRate(), classOther},
		{md.GetTollFree(), classTollFree},
		{md.GetSharedCost(), classOther},
		{md.GetVoip(), classOther},
		{md.GetPersonalNumber(), classOther},
		{md.GetPager(), classOther},
		{md.GetUan(), classOther},
		{md.GetVoicemail(), classOther},
	}
	for _, s := range special {
		err := eachCovered(s.desc, length, func(p int, c coverage) {
			if classes[p] == pending {
				classes[p] = [...]class{coverSome: classAsk, coverAll: s.class}[c]
			}
		})
		if err != nil {
			return nil, err
		}
	}
	fixed, err := coverageOf(md.GetFixedLine(), length)
	if err != nil {
		return nil, err
	}
	mobile, err := coverageOf(md.GetMobile(), length)
	if err != nil {
		return nil, err
	}
	same := md.GetSameMobileAndFixedLinePattern()
	for p, c := range classes {
		if c == pending {
			classes[p] = lineClass(fixed[p], mobile[p], same)
		}
	}
	return classes, nil
}

// lineClass is the tail of getNumberTypeHelper: fixed line (or fixed line or
// mobile, which counts as mobile), else mobile, else not a valid number.
func lineClass(fixed, mobile coverage, same bool) class {
	switch {
	case fixed == coverSome:
		return classAsk
	case fixed == coverAll && (same || mobile == coverAll):
		return classMobile
	case fixed == coverAll && mobile == coverNone:
		return classFixedLine
	case fixed == coverAll:
		return classAsk
	case same || mobile == coverNone:
		return classInvalid
	case mobile == coverAll:
		return classMobile
	default:
		return classAsk
	}
}

// coverageOf reads one description into a coverage per 6-digit prefix.
func coverageOf(desc *phonenumbers.PhoneNumberDesc, length int) ([]coverage, error) {
	cov := make([]coverage, numPrefixes)
	err := eachCovered(desc, length, func(p int, c coverage) { cov[p] = max(cov[p], c) })
	return cov, err
}

// eachCovered calls fn for every 6-digit prefix under which desc matches
// some number of the given length, first with coverAll for every prefix it matches
// whole, then with coverSome for the rest, so that a single pass can let
// "all" win. A prefix may come more than once.
func eachCovered(desc *phonenumbers.PhoneNumberDesc, length int, fn func(prefix int, c coverage)) error {
	if lengths := desc.GetPossibleLength(); len(lengths) > 0 && !slices.Contains(lengths, int32(length)) {
		return nil
	}
	seqs, ok := expandPattern(desc.GetNationalNumberPattern(), length)
	if !ok {
		return errUnmodelled
	}
	for _, c := range []coverage{coverAll, coverSome} {
		for _, seq := range seqs {
			if suffixCoverage(seq) == c {
				forEachPrefix(seq[:prefixLen], 0, func(p int) { fn(p, c) })
			}
		}
	}
	return nil
}

// suffixCoverage says whether a sequence takes every number under each of
// its prefixes (any digits after the prefix) or only some.
func suffixCoverage(seq digitSeq) coverage {
	for _, set := range seq[prefixLen:] {
		if set != allDigits {
			return coverSome
		}
	}
	return coverAll
}

// forEachPrefix calls fn with every number the digit sets spell.
func forEachPrefix(sets []digitSet, prefix int, fn func(int)) {
	if len(sets) == 0 {
		fn(prefix)
		return
	}
	for d := range 10 {
		if sets[0]&(1<<d) != 0 {
			forEachPrefix(sets[1:], prefix*10+d, fn)
		}
	}
}
