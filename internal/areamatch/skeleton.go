package areamatch

import (
	"strings"
	"unicode"

	"github.com/jodo-org/jodo/internal/names"
)

// A skeleton is what names and inputs are compared as: lowercase Latin
// letters with the differences people do not hear folded away (aa/a, ee/i,
// sh/s, v/w/b, z/j, aspiration, doubled letters …), noise words such as
// "jila" or "vidhan sabha" dropped, and direction words (east, पूर्वी,
// purbi …) turned into one uppercase symbol each, put last, so that
// "east jamshedpur" and "जमशेदपुर पूर्व" compare equal.

// directionWords are folded at start; a word whose skeleton is one of them
// becomes the symbol. Single letters (E. Singhbhum, W Singhbhum) count too.
var directionWords = map[byte][]string{
	'E': {"east", "purb", "purba", "purbi", "purv", "purva", "purvi", "poorvi", "e", "पूर्व", "पूर्वी"},
	'W': {"west", "paschim", "pashchim", "paschimi", "pashchimi", "pachhim", "w", "पश्चिम", "पश्चिमी"},
	'N': {"north", "uttar", "uttari", "n", "उत्तर", "उत्तरी"},
	'S': {"south", "dakshin", "dakshini", "dakhin", "s", "दक्षिण", "दक्षिणी"},
	'R': {"rural", "grameen", "gramin", "ग्रामीण"},
}

// noiseWords are what people add around a place name: "distt. Dhanbad",
// "Kanke vidhan sabha", "main Ranchi se hoon".
var noiseWords = []string{
	"district", "dist", "distt", "jila", "jilla", "zila", "zilla", "jile", "janpad", "जिला", "जिले", "ज़िला", "ज़िले",
	"vidhan", "sabha", "vidhansabha", "vidhaansabha", "विधानसभा", "विधान", "सभा", "kshetra", "chhetra", "क्षेत्र",
	"assembly", "constituency", "seat", "ac", "no", "number", "नंबर", "संख्या",
	"i", "am", "from", "my", "is", "in", "the", "of", "main", "mai", "mein", "me", "mera", "meri",
	"se", "hu", "hun", "hoon", "hai", "ka", "ki", "ke", "मैं", "में", "मेरा", "से", "हूँ", "हूं", "है", "का", "की", "के",
}

var (
	directions = map[string]byte{}
	noise      = map[string]bool{}
)

func init() {
	for sym, words := range directionWords {
		for _, w := range words {
			directions[foldWord(w)] = sym
		}
	}
	for _, w := range noiseWords {
		noise[foldWord(w)] = true
	}
}

// query is a text read for matching.
type query struct {
	skeleton string
	letters  int    // lowercase letters in skeleton (direction symbols not counted)
	number   string // set when the text is only a number ("62", "AC 62"), without leading zeros
}

func parse(text string) query {
	var parts []string
	var dirs []byte
	var numbers []string
	for _, w := range words(text) {
		if w[0] >= '0' && w[0] <= '9' {
			numbers = append(numbers, w)
			continue
		}
		f := foldWord(w)
		if sym, ok := directions[f]; ok {
			dirs = append(dirs, sym)
			continue
		}
		if noise[f] || len(f) < 2 {
			continue
		}
		parts = append(parts, f)
	}
	q := query{skeleton: string(collapse([]byte(strings.Join(parts, "")))) + string(dirs)}
	q.letters = len(q.skeleton) - len(dirs)
	if len(numbers) == 1 && len(parts) == 0 && len(dirs) == 0 {
		q.number = strings.TrimLeft(numbers[0], "0")
	}
	return q
}

// words splits text into lowercase words: letters with their combining
// signs, or runs of digits (Devanagari digits become ASCII ones).
func words(text string) []string {
	var out []string
	var cur []rune
	digits := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
		}
		cur = cur[:0]
	}
	for _, r := range strings.ToLower(text) {
		switch {
		case r >= '०' && r <= '९':
			r = '0' + (r - '०')
			fallthrough
		case r >= '0' && r <= '9':
			if !digits {
				flush()
			}
			digits = true
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsMark(r):
			if digits {
				flush()
			}
			digits = false
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// foldWord gives one word's skeleton: Devanagari is transliterated, other
// scripts and Latin letters with accents are dropped.
func foldWord(w string) string {
	rs := []rune(w)
	latin := make([]rune, 0, len(rs))
	deva := false
	for _, r := range rs {
		switch {
		case r >= 0x0900 && r <= 0x097F:
			deva = true
			latin = append(latin, r)
		case r >= 'a' && r <= 'z':
			latin = append(latin, r)
		}
	}
	if deva {
		return foldLatin(names.Transliterate(latin))
	}
	return foldLatin(string(latin))
}

var latinPairs = strings.NewReplacer(
	"ph", "f", "ck", "k", "q", "k", "x", "ks", "z", "j", "w", "v", "ee", "i", "oo", "u",
)

// foldLatin folds a lowercase a–z spelling. The order matters: aspiration
// goes before doubled letters collapse (chh → c), glides before
// diphthongs (kiyari → kiari, chaibasa → cebasa).
func foldLatin(s string) string {
	b := []byte(latinPairs.Replace(s))
	b = dropAspiration(b)
	b = dropGlides(b)
	b = collapse(b)
	b = diphthongs(b)
	b = collapse(b)
	for i, c := range b {
		switch {
		case c == 'v':
			b[i] = 'b'
		case c == 'm' && i+1 < len(b) && (b[i+1] == 'p' || b[i+1] == 'b'):
			b[i] = 'n'
		}
	}
	return suffixes(string(b))
}

func isVowelByte(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// dropLetters keeps the letters of b that drop does not reject, given the
// last letter kept (0 at the start).
func dropLetters(b []byte, drop func(last, c byte) bool) []byte {
	out := b[:0]
	for _, c := range b {
		var last byte
		if len(out) > 0 {
			last = out[len(out)-1]
		}
		if !drop(last, c) {
			out = append(out, c)
		}
	}
	return out
}

// dropAspiration drops an h after a consonant: kh, gh, chh, th, dh, bh, sh.
func dropAspiration(b []byte) []byte {
	return dropLetters(b, func(last, c byte) bool { return c == 'h' && last != 0 && !isVowelByte(last) })
}

// dropGlides removes the y and v people add or leave out between vowels
// (simariya/simaria, jamuwa/jamua), makes a final y after a consonant an i,
// and reads "eo" before a consonant as "ev" (deoghar/devghar).
func dropGlides(b []byte) []byte {
	out := b[:0]
	for i, c := range b {
		prevVowel := len(out) > 0 && isVowelByte(out[len(out)-1])
		nextVowel := i+1 < len(b) && isVowelByte(b[i+1])
		switch {
		case c == 'y' && prevVowel && nextVowel:
			continue
		case c == 'v' && len(out) > 0 && out[len(out)-1] == 'u' && nextVowel:
			continue
		case c == 'y' && i == len(b)-1 && len(out) > 0 && !prevVowel:
			c = 'i'
		case c == 'o' && len(out) > 0 && out[len(out)-1] == 'e' && i+1 < len(b) && !isVowelByte(b[i+1]):
			c = 'v'
		}
		out = append(out, c)
	}
	return out
}

// diphthongs folds ai/ay/ei/ey/ae to e and au/ou to o (hussainabad and
// hussenabad, palamau and palamu's o/u are left to the distance).
func diphthongs(b []byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if i+1 < len(b) {
			switch string(b[i : i+2]) {
			case "ai", "ay", "ei", "ey", "ae":
				out = append(out, 'e')
				i++
				continue
			case "au", "ou":
				out = append(out, 'o')
				i++
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func collapse(b []byte) []byte {
	return dropLetters(b, func(last, c byte) bool { return c == last })
}

// suffixes evens out the endings that are spelt many ways: गांव is
// gaon/gaw/gaanv/gao, -pura is -pur.
func suffixes(s string) string {
	for _, end := range []string{"gaon", "gaun", "ganb", "gab", "gao"} {
		if strings.HasSuffix(s, end) && len(s) > len(end) {
			return s[:len(s)-len(end)] + "gao"
		}
	}
	if strings.HasSuffix(s, "pura") && len(s) > 4 {
		return s[:len(s)-1]
	}
	return s
}
