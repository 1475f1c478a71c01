package app_test

import "testing"

// An AC's name typed at the district step takes the AC and its district,
// as docs/bot.md says, for the town constituencies too: their district
// also answers to the town ("Jamshedpur", "Daltonganj"), which must not
// win over the AC the person named.
func TestBotDistrictStepTakesAnACName(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	for i, c := range []struct{ typed, ac string }{
		{"Jamshedpur East", "JH-AC-048"}, {"Jamshedpur West", "JH-AC-049"}, {"Daltonganj", "JH-AC-076"}, {"Kanke", "JH-AC-065"},
	} {
		p := w.person("9198123001" + string(rune('0'+i)) + "0")
		p.say("Hi")
		p.tap("lang:en", "English", false)
		p.tap("consent:yes", "I agree", false)
		p.tap("optin:no", "No, thanks", false)
		p.tap("age:yes", "Yes, 18+", false)
		one(t, "name", p.say("Asha Oraon"), "district")
		one(t, c.typed, p.say(c.typed), "Asha Oraon", "member")
		checkCounts(t, w.db, c.ac, map[string]int64{"members": 1, "verified": 1})
	}
}
