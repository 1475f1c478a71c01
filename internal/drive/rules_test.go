package drive

import (
	"strings"
	"testing"
)

func TestParseRule(t *testing.T) {
	cases := []struct {
		in        string
		want      Rule
		canonical string
	}{
		{"state JH: 500000 members",
			Rule{Form: FixedRule, Kind: "state", Area: "JH", Metric: "members", Value: 500000},
			"state JH: 500000 members"},
		{"  AC  JH-AC-063 :  1 Volunteers ",
			Rule{Form: FixedRule, Kind: "ac", Area: "JH-AC-063", Metric: "volunteers", Value: 1},
			"ac JH-AC-063: 1 volunteer"},
		{"booth JH-AC-063-B-0123A: 2 office_bearer",
			Rule{Form: FixedRule, Kind: "booth", Area: "JH-AC-063-B-0123A", Metric: "office_bearers", Value: 2},
			"booth JH-AC-063-B-0123A: 2 office_bearers"},
		{"each pc: 1000 volunteers",
			Rule{Form: EachRule, Kind: "pc", Metric: "volunteers", Value: 1000},
			"each pc: 1000 volunteers"},
		{"EACH Pc: 0 leads",
			Rule{Form: EachRule, Kind: "pc", Metric: "leads", Value: 0},
			"each pc: 0 leads"},
		{"each ac: share members equally",
			Rule{Form: ShareRule, Kind: "ac", Metric: "members"},
			"each ac: share members equally"},
		{"Each AC: Share Member By Population_2011",
			Rule{Form: ShareRule, Kind: "ac", Metric: "members", Weight: "population_2011"},
			"each ac: share members by population_2011"},
		{"groups: 10 per volunteer target",
			Rule{Form: PerRule, Metric: "groups", Value: 10, Of: "volunteers"},
			"groups: 10 per volunteer target"},
		{"ACTIVE: 2 PER groups TARGET",
			Rule{Form: PerRule, Metric: "active", Value: 2, Of: "groups"},
			"active: 2 per group target"},
		{"state JH: 1000000000000 verified",
			Rule{Form: FixedRule, Kind: "state", Area: "JH", Metric: "verified", Value: 1_000_000_000_000},
			"state JH: 1000000000000 verified"},
	}
	for _, c := range cases {
		got, err := ParseRule(c.in)
		if err != nil {
			t.Errorf("ParseRule(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("ParseRule(%q) = %+v, want %+v", c.in, got, c.want)
		}
		if got.String() != c.canonical {
			t.Errorf("ParseRule(%q).String() = %q, want %q", c.in, got.String(), c.canonical)
		}
	}
}

func TestParseRuleRefuses(t *testing.T) {
	cases := map[string]string{
		"state JH 500000 members":                `no ":"`,
		"":                                       `no ":"`,
		": 5 members":                            "cannot tell what",
		"JH: 500000 members":                     `cannot tell what "JH" is for`,
		"state of JH: 5 members":                 "cannot tell what",
		"state JH: 500000":                       `write "<N> <metric>"`,
		"state JH: five members":                 `"five" is not a whole number`,
		"state JH: -5 members":                   `"-5" is not a whole number`,
		"state JH: 5,00,000 members":             `"5,00,000" is not a whole number`,
		"state JH: 1000000000001 members":        "more than the limit",
		"state JH: 99999999999999999999 members": "not a whole number",
		"state JH: 5 supporters":                 `"supporters" is not a metric`,
		"state J/H: 5 members":                   `"J/H" is not an area code`,
		"2state JH: 5 members":                   `"2state" is not a valid area kind`,
		"each: 5 members":                        "cannot tell what",
		"each p-c: 5 members":                    `"p-c" is not a valid area kind`,
		"each ac: share members":                 `write "share <metric> equally"`,
		"each ac: share members fairly":          `write "share <metric> equally"`,
		"each ac: share members by":              `write "share <metric> equally"`,
		"each ac: share members by pop-2011":     `"pop-2011" is not a valid weight`,
		"each ac: share money equally":           `"money" is not a metric`,
		"state JH: share members equally":        `write "<N> <metric>"`,
		"groups: 10 per volunteer":               `write "<metric>: <K> per <metric> target"`,
		"groups: 10 x volunteer target":          `write "<metric>: <K> per <metric> target"`,
		"groups: 1001 per volunteer target":      "more than the limit of 1000",
		"groups: ten per volunteer target":       "not a whole number",
		"groups: 10 per friend target":           `"friend" is not a metric`,
		"groups: 2 per group target":             "groups cannot be a multiple of itself",
	}
	for in, want := range cases {
		_, err := ParseRule(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRule(%q) = %v, want an error containing %q", in, err, want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "rule ") {
			t.Errorf("ParseRule(%q) error %q does not name the rule", in, err)
		}
	}
}

func TestRuleStringOfInvalidForm(t *testing.T) {
	if s := (Rule{}).String(); !strings.Contains(s, "invalid") {
		t.Errorf("Rule{}.String() = %q", s)
	}
}
