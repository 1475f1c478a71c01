package names

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSearchKeys(t *testing.T) {
	for name, want := range map[string][]string{
		"Sunita Devi":              {"sunit debi", "debi"},
		"सुनीता देवी":              {"sunit debi", "debi"},
		"  SUNEETA   devee ":       {"sunit debi", "debi"},
		"Ram Ram":                  {"ram ram", "ram"},
		"Ravi-Kumar Singh":         {"rabi kumar sing", "kumar sing", "sing"},
		"a b c d e f g h":          {"a b c d e p g h", "b c d e p g h", "c d e p g h", "d e p g h", "e p g h", "p g h"},
		"!!!":                      nil,
		"":                         nil,
		"ᱥᱟᱱᱛᱟᱲᱤ":                  {"ᱥᱟᱱᱛᱟᱲᱤ"}, // Ol Chiki stays itself
		"রবি":                      {"রবি"},     // Bengali keeps its vowel signs
		"Sunītā":                   {"sunit"},
		"राम१२":                    {"ram12"},
		strings.Repeat("ab", 40):   {strings.Repeat("ab", 32)},
		"Krishna Kumar " + "कृष्ण": {"krisn kumar krisn", "kumar krisn", "krisn"},
	} {
		if got := SearchKeys(name); !slices.Equal(got, want) {
			t.Errorf("SearchKeys(%q) = %q, want %q", name, got, want)
		}
	}
}

// Spellings of one name, in either script, find each other.
func TestSearchMeetsSpellings(t *testing.T) {
	for _, group := range [][]string{
		{"सुनीता", "Sunita", "Suneeta", "Sunitaa"},
		{"मिश्र", "मिश्रा", "Mishra", "Misra"},
		{"विनोद", "Vinod", "Binod"},
		{"अंबिका", "Ambika"},
		{"सिंह", "Singh"},
		{"लक्ष्मी", "Lakshmi", "Laxmi"},
		{"ज़ुबैर", "Zubair", "Jubair"},
		{"फ़रहान", "Farhan"},
		{"रूपा", "Roopa", "Rupa"},
		{"संजीव", "Sanjeev", "Sanjiv", "Sanjib"},
		{"शंभू", "Shambhu"},
		{"यादव", "Yadav"},
		{"कुमारी", "Kumari"},
		{"छाया", "Chhaya", "Chaya"},
	} {
		want := SearchKeys(group[0])
		for _, spelling := range group[1:] {
			if got := SearchKeys(spelling); !slices.Equal(got, want) {
				t.Errorf("%s gives %q, %s gives %q", group[0], want, spelling, got)
			}
		}
	}
}

// Every prefix of a name, as typed letter by letter, finds the name. (Not
// quite every Devanagari one: "महत" is read "mahat" until the ो of महतो
// makes it "mahto", and "अं" is "an" until the ब of अंबिका makes it "am".)
func TestSearchPrefixOfTyping(t *testing.T) {
	for _, name := range []string{"Sunita Devi", "सुनीता देवी", "Ravi Kumar Mahto", "रवि कुमार", "Lakshmi Oraon", "Mohammad Farhan Ansari", "सोरेन", "Shambhu Nath"} {
		key := SearchKeys(name)[0]
		runes := []rune(name)
		for i := 1; i <= len(runes); i++ {
			typed := string(runes[:i])
			if p := SearchPrefix(typed); !strings.HasPrefix(key, p) {
				t.Errorf("typing %q of %q: %q is not a prefix of %q", typed, name, p, key)
			}
		}
	}
	for _, typed := range []string{"", "  ", "!!", "\u093C"} {
		if p := SearchPrefix(typed); p != "" {
			t.Errorf("SearchPrefix(%q) = %q, want nothing", typed, p)
		}
	}
}

func FuzzSearchKeys(f *testing.F) {
	for _, s := range []string{"Sunita Devi", "सुनीता देवी", "क़\u093C\u093C्", "ं", "a\u0301\u0301b", strings.Repeat("राम ", 30), "\xff\xfe", "ᱥᱟᱱ", "x y z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		keys := SearchKeys(name)
		if len(keys) > MaxKeyWords {
			t.Fatalf("%d keys", len(keys))
		}
		for i, k := range keys {
			if k == "" || len(k) > maxKeyBytes || !utf8.ValidString(k) || strings.HasPrefix(k, " ") || strings.HasSuffix(k, " ") {
				t.Fatalf("key %q", k)
			}
			if slices.Contains(keys[:i], k) {
				t.Fatalf("%q twice in %q", k, keys)
			}
		}
		if p := SearchPrefix(name); len(keys) > 0 && p != keys[0] || len(keys) == 0 && p != "" {
			t.Fatalf("SearchPrefix(%q) = %q, keys %q", name, p, keys)
		}
	})
}
