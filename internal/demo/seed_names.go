package demo

import (
	"math/rand/v2"

	"github.com/jodo-org/jodo/internal/names"
)

// The history's names: a fixed list of common first names and surnames,
// in Devanagari for Hindi speakers and in Latin letters for English ones.
// They are placeholders; what marks the people as the demo's is their
// numbers (SeededPhone).
var (
	firstHindi = []string{"आरती", "सुनील", "प्रिया", "राजेश", "अनीता", "मनोज", "पूजा", "अमित", "सीमा", "विकास",
		"रेखा", "संजय", "नेहा", "दीपक", "कविता", "रोहित", "सुनीता", "अजय", "ममता", "विनोद"}
	lastHindi = []string{"कुमार", "सिंह", "देवी", "महतो", "उरांव", "मुंडा", "साहू", "प्रसाद", "गुप्ता", "हांसदा",
		"टुडू", "मरांडी", "यादव", "मिंज", "तिर्की"}
	firstEnglish = []string{"Aarti", "Sunil", "Priya", "Rajesh", "Anita", "Manoj", "Pooja", "Amit", "Seema", "Vikas",
		"Rekha", "Sanjay", "Neha", "Deepak", "Kavita", "Rohit", "Sunita", "Ajay", "Mamta", "Vinod"}
	lastEnglish = []string{"Kumar", "Singh", "Devi", "Mahato", "Oraon", "Munda", "Sahu", "Prasad", "Gupta", "Hansda",
		"Tudu", "Marandi", "Yadav", "Minz", "Tirkey"}
)

// name is a name from the list of lang's.
func name(r *rand.Rand, lang string) string {
	first, last := firstHindi, lastHindi
	if lang == "en" {
		first, last = firstEnglish, lastEnglish
	}
	return first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]
}

// nameKeys is SearchKeys memoised: the lists make few names.
func nameKeys(cache map[string][]string, name string) []string {
	if k, ok := cache[name]; ok {
		return k
	}
	cache[name] = names.SearchKeys(name)
	return cache[name]
}
