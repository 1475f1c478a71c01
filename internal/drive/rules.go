package drive

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// RuleForm tells which of the four rule shapes a Rule has.
type RuleForm int

const (
	FixedRule RuleForm = iota + 1 // "<kind> <CODE>: <N> <metric>"
	EachRule                      // "each <kind>: <N> <metric>"
	ShareRule                     // "each <kind>: share <metric> equally" or "… by <weight>"
	PerRule                       // "<metric>: <K> per <metric> target"
)

// Rule is one parsed target rule. It is comparable, so two texts that mean the
// same rule give equal Rules.
type Rule struct {
	Form   RuleForm
	Kind   string // area kind, lower case (fixed, each, share)
	Area   string // area code, as written (fixed)
	Metric string // the metric the rule sets targets for
	Value  int64  // N (fixed, each) or K (per)
	Of     string // per: the metric whose targets are multiplied
	Weight string // share: weight name, lower case; "" shares equally
}

// Limits keep every sum and product of targets far inside int64: 10^12 is
// a hundred times the world's population, and no drive needs a thousand groups per volunteer.
const (
	maxValue  = 1_000_000_000_000
	maxFactor = 1_000
)

var (
	codePattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	namePattern  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`) // kinds and weights
	digitPattern = regexp.MustCompile(`^[0-9]{1,13}$`)
)

const grammar = `"<kind> <CODE>: <N> <metric>", "each <kind>: <N> <metric>", ` +
	`"each <kind>: share <metric> equally", "each <kind>: share <metric> by <weight>" or ` +
	`"<metric>: <K> per <metric> target"`

// ParseRule reads one target rule. Keywords, kinds, metrics and weights are
// case-insensitive; area codes are kept as written.
func ParseRule(s string) (Rule, error) {
	r, err := parseRule(s)
	if err != nil {
		return Rule{}, fmt.Errorf("rule %q: %w", s, err)
	}
	return r, nil
}

func parseRule(s string) (Rule, error) {
	lhs, rhs, ok := strings.Cut(s, ":")
	if !ok {
		return Rule{}, fmt.Errorf("no \":\"; write %s", grammar)
	}
	left, right := strings.Fields(lhs), strings.Fields(rhs)
	switch {
	case len(left) == 1 && metricName(left[0]) != "":
		return parsePer(left[0], right)
	case len(left) == 2 && strings.EqualFold(left[0], "each"):
		return parseEach(left[1], right)
	case len(left) == 2:
		return parseFixed(left[0], left[1], right)
	}
	return Rule{}, fmt.Errorf("cannot tell what %q is for; write %s", strings.TrimSpace(lhs), grammar)
}

func parseFixed(kind, code string, right []string) (Rule, error) {
	r := Rule{Form: FixedRule, Area: code}
	var err error
	if r.Kind, err = parseName("area kind", kind); err != nil {
		return Rule{}, err
	}
	if !codePattern.MatchString(code) {
		return Rule{}, fmt.Errorf("%q is not an area code", code)
	}
	r.Value, r.Metric, err = parseAmount(right)
	return r, err
}

func parseEach(kind string, right []string) (Rule, error) {
	k, err := parseName("area kind", kind)
	if err != nil {
		return Rule{}, err
	}
	if len(right) > 0 && strings.EqualFold(right[0], "share") {
		return parseShare(k, right[1:])
	}
	r := Rule{Form: EachRule, Kind: k}
	r.Value, r.Metric, err = parseAmount(right)
	return r, err
}

// parseAmount reads "<N> <metric>".
func parseAmount(words []string) (int64, string, error) {
	if len(words) != 2 {
		return 0, "", fmt.Errorf("after \":\" write \"<N> <metric>\", like \"1000 volunteers\"")
	}
	n, err := parseNumber(words[0], maxValue)
	if err != nil {
		return 0, "", err
	}
	m, err := parseMetric(words[1])
	return n, m, err
}

// parseShare reads what follows "share": "<metric> equally" or "<metric> by <weight>".
func parseShare(kind string, words []string) (Rule, error) {
	r := Rule{Form: ShareRule, Kind: kind}
	var err error
	switch {
	case len(words) == 2 && strings.EqualFold(words[1], "equally"):
	case len(words) == 3 && strings.EqualFold(words[1], "by"):
		if r.Weight, err = parseName("weight", words[2]); err != nil {
			return Rule{}, err
		}
	default:
		return Rule{}, fmt.Errorf("write \"share <metric> equally\" or \"share <metric> by <weight>\"")
	}
	r.Metric, err = parseMetric(words[0])
	return r, err
}

// parsePer reads "<metric>: <K> per <metric> target".
func parsePer(metric string, words []string) (Rule, error) {
	if len(words) != 4 || !strings.EqualFold(words[1], "per") || !strings.EqualFold(words[3], "target") {
		return Rule{}, fmt.Errorf("write \"<metric>: <K> per <metric> target\", like \"groups: 10 per volunteer target\"")
	}
	r := Rule{Form: PerRule}
	var err error
	if r.Metric, err = parseMetric(metric); err != nil {
		return Rule{}, err
	}
	if r.Value, err = parseNumber(words[0], maxFactor); err != nil {
		return Rule{}, err
	}
	if r.Of, err = parseMetric(words[2]); err != nil {
		return Rule{}, err
	}
	if r.Of == r.Metric {
		return Rule{}, fmt.Errorf("%s cannot be a multiple of itself", r.Metric)
	}
	return r, nil
}

func parseNumber(word string, limit int64) (int64, error) {
	if !digitPattern.MatchString(word) {
		return 0, fmt.Errorf("%q is not a whole number (write digits only, like 500000)", word)
	}
	n, err := strconv.ParseInt(word, 10, 64)
	if err != nil || n > limit {
		return 0, fmt.Errorf("%s is more than the limit of %d", word, limit)
	}
	return n, nil
}

func parseMetric(word string) (string, error) {
	m := metricName(word)
	if m == "" {
		return "", fmt.Errorf("%q is not a metric (one of %s)", word, strings.Join(Metrics, ", "))
	}
	return m, nil
}

func parseName(what, word string) (string, error) {
	name := strings.ToLower(word)
	if !namePattern.MatchString(name) {
		return "", fmt.Errorf("%q is not a valid %s (letters, digits and _, starting with a letter)", word, what)
	}
	return name, nil
}

// String gives the rule's canonical text, which parses back to the same rule.
func (r Rule) String() string {
	switch r.Form {
	case FixedRule:
		return fmt.Sprintf("%s %s: %d %s", r.Kind, r.Area, r.Value, metricNoun(r.Metric, r.Value))
	case EachRule:
		return fmt.Sprintf("each %s: %d %s", r.Kind, r.Value, metricNoun(r.Metric, r.Value))
	case ShareRule:
		if r.Weight == "" {
			return fmt.Sprintf("each %s: share %s equally", r.Kind, r.Metric)
		}
		return fmt.Sprintf("each %s: share %s by %s", r.Kind, r.Metric, r.Weight)
	case PerRule:
		return fmt.Sprintf("%s: %d per %s target", r.Metric, r.Value, singular[r.Of])
	}
	return fmt.Sprintf("invalid rule form %d", r.Form)
}
