package names

// A Devanagari word becomes a loose Latin spelling the way people type it:
// every consonant carries an inherent "a" unless a halant or a vowel sign
// follows, and that "a" is then dropped where Hindi drops it (at the end of
// a word, and between consonants: धनबाद is "dhanbaad", not "dhanabaada").
// Area matching (package areamatch) and people search (SearchKeys) fold
// the result further, each its own way.

const (
	halant = '्'
	nukta  = '़'
)

var consonants = map[rune]string{
	'क': "k", 'ख': "kh", 'ग': "g", 'घ': "gh", 'ङ': "n",
	'च': "ch", 'छ': "chh", 'ज': "j", 'झ': "jh", 'ञ': "n",
	'ट': "t", 'ठ': "th", 'ड': "d", 'ढ': "dh", 'ण': "n",
	'त': "t", 'थ': "th", 'द': "d", 'ध': "dh", 'न': "n", 'ऩ': "n",
	'प': "p", 'फ': "ph", 'ब': "b", 'भ': "bh", 'म': "m",
	'य': "y", 'र': "r", 'ऱ': "r", 'ल': "l", 'ळ': "l", 'व': "v",
	'श': "sh", 'ष': "sh", 'स': "s", 'ह': "h",
	// Precomposed nukta letters, and what a following nukta makes of a
	// plain one: ड़ and ढ़ are the flapped r people write as "r".
	'\u0958': "k", '\u0959': "kh", '\u095A': "g", '\u095B': "j", '\u095C': "r", '\u095D': "rh", '\u095E': "f", '\u095F': "y",
}

var withNukta = map[rune]string{'ड': "r", 'ढ': "rh", 'फ': "f"}

// vowels holds both the independent vowels and the vowel signs.
var vowels = map[rune]string{
	'अ': "a", 'आ': "aa", 'इ': "i", 'ई': "ii", 'उ': "u", 'ऊ': "uu", 'ऋ': "ri",
	'ए': "e", 'ऐ': "ai", 'ओ': "o", 'औ': "au", 'ऑ': "o", 'ऍ': "e", 'ऎ': "e", 'ऒ': "o",
	'ा': "aa", 'ि': "i", 'ी': "ii", 'ु': "u", 'ू': "uu", 'ृ': "ri",
	'े': "e", 'ै': "ai", 'ो': "o", 'ौ': "au", 'ॉ': "o", 'ॅ': "e", 'ॆ': "e", 'ॊ': "o",
}

type unitKind byte

const (
	consonant unitKind = iota
	vowel
	schwa // the inherent "a"
	nasal // anusvara or chandrabindu
	dropped
)

type unit struct {
	latin string
	kind  unitKind
}

// Transliterate turns one lowercase word (Devanagari, possibly mixed with
// Latin letters a–z) into a loose lowercase Latin spelling; any other
// character is dropped.
func Transliterate(word []rune) string {
	units := make([]unit, 0, 2*len(word))
	for i := 0; i < len(word); i++ {
		r := word[i]
		c, isConsonant := consonants[r]
		switch {
		case isConsonant:
			if i+1 < len(word) && word[i+1] == nukta {
				if n, ok := withNukta[r]; ok {
					c = n
				}
				i++
			}
			units = append(units, unit{c, consonant})
			switch {
			case i+1 < len(word) && word[i+1] == halant:
				i++
			case i+1 >= len(word) || vowels[word[i+1]] == "" || isIndependentVowel(word[i+1]):
				units = append(units, unit{"a", schwa})
			}
		case vowels[r] != "":
			units = append(units, unit{vowels[r], vowel})
		case r == 'ं' || r == 'ँ':
			units = append(units, unit{"n", nasal})
		case r >= 'a' && r <= 'z':
			units = append(units, latinUnit(r))
		}
	}
	dropSchwas(units)
	return render(units)
}

func isIndependentVowel(r rune) bool { return r >= 'अ' && r <= 'औ' }

func latinUnit(r rune) unit {
	if isVowel(rune(r)) {
		return unit{string(r), vowel}
	}
	return unit{string(r), consonant}
}

// dropSchwas deletes the inherent "a" at the end of a word and, right to
// left, in the middle wherever it stands between a consonant that follows a
// vowel and a consonant followed by a vowel (V C a C V).
func dropSchwas(units []unit) {
	last := len(units) - 1
	if last > 0 && units[last].kind == schwa {
		units[last].kind = dropped
	}
	for i := last - 2; i >= 2; i-- {
		if units[i].kind != schwa || units[i-1].kind != consonant || units[i+1].kind != consonant {
			continue
		}
		before, after := units[i-2].kind, units[i+2].kind
		if (before == vowel || before == schwa || before == nasal) && (after == vowel || after == schwa) {
			units[i].kind = dropped
		}
	}
}

// render joins the units; an anusvara before ह is the "ng" of सिंह (singh),
// before a p or b sound the "m" of अंबिका (ambika).
func render(units []unit) string {
	b := make([]byte, 0, 2*len(units))
	for i, u := range units {
		next := ""
		if i+1 < len(units) {
			next = units[i+1].latin
		}
		switch {
		case u.kind == dropped:
		case u.kind == nasal && next == "h":
			b = append(b, "ng"...)
		case u.kind == nasal && next != "" && (next[0] == 'p' || next[0] == 'b'):
			b = append(b, 'm')
		default:
			b = append(b, u.latin...)
		}
	}
	return string(b)
}
