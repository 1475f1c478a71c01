package areamatch_test

import (
	"testing"

	"github.com/jodo-org/jodo/internal/areamatch"
	"github.com/jodo-org/jodo/internal/geo"
)

// Every district and AC, by any of its own names, is picked confidently
// among its kind.
func TestOwnNamesMatchThemselves(t *testing.T) {
	areas, err := geo.Jharkhand()
	if err != nil {
		t.Fatal(err)
	}
	ms := jharkhand(t)
	for _, a := range areas {
		m := ms[a.Kind]
		if m == nil {
			continue
		}
		for _, name := range append([]string{a.NameEN, a.NameLocal}, a.Aliases...) {
			if name == "" {
				continue
			}
			choices, ok := m.Decide(name, 5)
			if !ok || choices[0].Area.Code != a.Code || choices[0].Score != 1 {
				t.Errorf("%s %q: got %s, sure %v", a.Code, name, describe(choices), ok)
			}
		}
	}
}

// The bot matches districts, then ACs; matched together, a name that is
// both a district and an AC is ambiguous, and an AC-only name is not.
func TestCombinedKinds(t *testing.T) {
	all := jharkhand(t)["all"]
	for _, text := range []string{"ranchi", "राँची", "Hazaribag", "dumka"} {
		choices, ok := all.Decide(text, 5)
		if ok || len(choices) < 2 || choices[0].Score != choices[1].Score {
			t.Errorf("%q: want a tie between the district and the AC, got %s (sure %v)", text, describe(choices), ok)
		}
	}
	for text, want := range map[string]string{"kanke": "JH-AC-065", "सिसई": "JH-AC-067", "east singhbhum": "JH-D-EAST-SINGHBHUM", "jamshedpur paschim": "JH-AC-049"} {
		if choices, ok := all.Decide(text, 5); !ok || choices[0].Area.Code != want {
			t.Errorf("%q: got %s (sure %v), want %s", text, describe(choices), ok, want)
		}
	}
}

func TestNumbers(t *testing.T) {
	ms := jharkhand(t)
	for _, text := range []string{"62", "AC 62", "ac-062", "६२", "vidhan sabha 62"} {
		if choices, ok := ms["ac"].Decide(text, 5); !ok || choices[0].Area.Code != "JH-AC-062" {
			t.Errorf("%q: got %s", text, describe(choices))
		}
	}
	for _, text := range []string{"82", "0", "62 63"} {
		if choices := ms["ac"].Match(text, 5); len(choices) != 0 {
			t.Errorf("%q: got %s, want nothing", text, describe(choices))
		}
	}
	if choices := ms["district"].Match("62", 5); len(choices) != 0 {
		t.Errorf("districts have no numbers, got %s", describe(choices))
	}
}

// Nothing in the matcher is about Jharkhand: any areas work.
func TestOtherGeography(t *testing.T) {
	m := areamatch.New([]geo.Area{
		{Code: "XS-AC-001", Kind: "ac", Number: "1", NameEN: "Riverside", NameLocal: "नदीतट"},
		{Code: "XS-AC-002", Kind: "ac", Number: "2", NameEN: "Lakeview", NameLocal: "झील दर्शन", Aliases: []string{"Lake View"}},
		{Code: "XS-AC-002", Kind: "ac", NameEN: "Duplicate"},
	})
	for text, want := range map[string]string{"riversid": "XS-AC-001", "नदीतट": "XS-AC-001", "lake veiw": "XS-AC-002", "झीलदर्शन": "XS-AC-002", "2": "XS-AC-002"} {
		if choices, ok := m.Decide(text, 3); !ok || choices[0].Area.Code != want {
			t.Errorf("%q: got %s, want %s", text, describe(choices), want)
		}
	}
	if got := m.Match("lake", 5); len(got) != 1 {
		t.Errorf("a repeated code must be taken once: %s", describe(got))
	}
}

func TestLimit(t *testing.T) {
	m := jharkhand(t)["district"]
	if got := m.Match("singhbhum", 1); len(got) != 1 {
		t.Fatalf("limit 1: %s", describe(got))
	}
	if got := m.Match("singhbhum", 0); len(got) != 0 {
		t.Fatalf("limit 0: %s", describe(got))
	}
	if choices, ok := m.Decide("singhbhum", 1); ok || len(choices) != 1 {
		t.Fatalf("Decide with limit 1 still judges against the runner-up: %s %v", describe(choices), ok)
	}
}

// At the bot's district step an AC's name takes the AC, though the town
// constituencies also reach their district through its headquarters'
// name ("Jamshedpur", "Daltonganj"); a district's own name stays the
// district.
func TestNarrower(t *testing.T) {
	ms := jharkhand(t)
	for text, want := range map[string]string{"Jamshedpur East": "JH-AC-048", "Jamshedpur West": "JH-AC-049",
		"Daltonganj": "JH-AC-076", "Kanke": "JH-AC-065", "jamshedpur purbi": "JH-AC-048"} {
		districts, dSure := ms["district"].Decide(text, 5)
		acs, acSure := ms["ac"].Decide(text, 5)
		if !areamatch.Narrower(districts, acs, dSure, acSure) || acs[0].Area.Code != want {
			t.Errorf("%q: districts %s (sure %v), ACs %s (sure %v): want %s", text, describe(districts), dSure, describe(acs), acSure, want)
		}
	}
	for _, text := range []string{"Ranchi", "ranchee", "राँची", "Dumka", "Jamshedpur", "singhbhum", "Hazaribag"} {
		districts, dSure := ms["district"].Decide(text, 5)
		acs, acSure := ms["ac"].Decide(text, 5)
		if areamatch.Narrower(districts, acs, dSure, acSure) {
			t.Errorf("%q: took the AC %s over the district %s", text, describe(acs), describe(districts))
		}
	}
}
