package phone

import "regexp/syntax"

// digitSet is a set of decimal digits: bit d stands for digit d.
type digitSet uint16

const allDigits digitSet = 1<<10 - 1

// digitSeq is a fixed-length pattern that allows one set of digits at each
// position. A libphonenumber number pattern has no unbounded loops, so the
// strings of one length that it matches are a finite union of digitSeqs; that
// union is what lets the prefix table be read off the metadata exactly
// instead of sampled (asking phonenumbers about each number of a length is
// too slow to do at start).
type digitSeq []digitSet

// maxSeqs bounds an expansion, so that a future metadata pattern of an
// unexpected shape makes expandPattern give up rather than eat memory.
const maxSeqs = 1 << 16

// expandPattern returns digit sequences whose union is exactly the set of
// n-digit strings that pattern matches as a whole (as phonenumbers matches
// it, anchored at both ends). ok is false when the pattern uses syntax that
// is not modelled here (anchors, word boundaries…) or expands too far.
func expandPattern(pattern string, n int) (seqs []digitSeq, ok bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, false
	}
	e := expander{n: n}
	all := e.expand(re)
	if e.failed {
		return nil, false
	}
	for _, s := range all {
		if len(s) == n {
			seqs = append(seqs, s)
		}
	}
	return seqs, true
}

// expander walks a parsed pattern, keeping only sequences no longer than n.
type expander struct {
	n      int
	failed bool
}

func (e *expander) expand(re *syntax.Regexp) []digitSeq {
	if e.failed {
		return nil
	}
	switch re.Op {
	case syntax.OpNoMatch:
		return nil
	case syntax.OpEmptyMatch:
		return []digitSeq{{}}
	case syntax.OpLiteral:
		return e.literal(re.Rune)
	case syntax.OpCharClass:
		return classSeq(re.Rune)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return []digitSeq{{allDigits}}
	case syntax.OpCapture:
		return e.expand(re.Sub[0])
	case syntax.OpConcat:
		seqs := []digitSeq{{}}
		for _, sub := range re.Sub {
			seqs = e.concat(seqs, e.expand(sub))
		}
		return seqs
	case syntax.OpAlternate:
		var seqs []digitSeq
		for _, sub := range re.Sub {
			seqs = append(seqs, e.expand(sub)...)
		}
		return e.limit(seqs)
	case syntax.OpQuest:
		return e.repeat(re.Sub[0], 0, 1)
	case syntax.OpStar:
		return e.repeat(re.Sub[0], 0, -1)
	case syntax.OpPlus:
		return e.repeat(re.Sub[0], 1, -1)
	case syntax.OpRepeat:
		return e.repeat(re.Sub[0], re.Min, re.Max)
	}
	e.failed = true
	return nil
}

// literal is one sequence of single digits; a non-digit can never match a
// national number, so it leaves nothing.
func (e *expander) literal(runes []rune) []digitSeq {
	if len(runes) > e.n {
		return nil
	}
	seq := make(digitSeq, len(runes))
	for i, r := range runes {
		if r < '0' || r > '9' {
			return nil
		}
		seq[i] = 1 << (r - '0')
	}
	return []digitSeq{seq}
}

func classSeq(ranges []rune) []digitSeq {
	var set digitSet
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := max(ranges[i], '0'); r <= min(ranges[i+1], '9'); r++ {
			set |= 1 << (r - '0')
		}
	}
	if set == 0 {
		return nil
	}
	return []digitSeq{{set}}
}

func (e *expander) concat(a, b []digitSeq) []digitSeq {
	var out []digitSeq
	for _, x := range a {
		for _, y := range b {
			if len(x)+len(y) <= e.n {
				out = append(out, append(append(make(digitSeq, 0, len(x)+len(y)), x...), y...))
			}
		}
	}
	return e.limit(out)
}

// repeat unions min..max copies of sub (max < 0: no upper bound). More than
// n+1 copies beyond min can only add empty copies, which change nothing, so
// the loop stops there even for unbounded repeats.
func (e *expander) repeat(sub *syntax.Regexp, minCopies, maxCopies int) []digitSeq {
	one := e.expand(sub)
	if maxCopies < 0 || maxCopies > minCopies+e.n+1 {
		maxCopies = minCopies + e.n + 1
	}
	cur := []digitSeq{{}}
	for range minCopies {
		if cur = e.concat(cur, one); len(cur) == 0 {
			return nil
		}
	}
	all := cur
	for k := minCopies; k < maxCopies; k++ {
		if cur = e.concat(cur, one); len(cur) == 0 {
			break
		}
		all = e.limit(append(all, cur...))
	}
	return all
}

func (e *expander) limit(seqs []digitSeq) []digitSeq {
	if len(seqs) > maxSeqs {
		e.failed = true
		return nil
	}
	return seqs
}
