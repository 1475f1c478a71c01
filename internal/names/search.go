package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// People are found by a prefix of their name typed in either script: each
// name is kept as search keys, one per word it could be looked up from
// ("sunita devi", "devi"), folded so that the spellings people use for one
// name meet: Devanagari is transliterated (सुनीता → sunita), vowel length
// and doubled letters go (Suneeta, Sunitaa), aspiration goes (Bhagat,
// Bagat), v/w/b (Vinod, Binod), z/j and f/ph are one letter each, and a
// word's final "a" is dropped (मिश्र, Mishra). The folds look only at
// letters already written, so the fold of a prefix is a prefix of the
// fold of the whole name: typing more never loses a match, except across
// "ee" and "oo" (Sune… finds Suneeta once the second e is typed) and
// where a later Devanagari letter changes how an earlier one reads (महत is
// "mahat" until the ो of महतो, अं is "an" until the ब of अंबिका).

const (
	// MaxKeyWords is how many words of a name start a key: a name's
	// first six words are enough to find it by any of them.
	MaxKeyWords = 6
	// maxKeyBytes bounds a key; what is typed is cut the same way.
	maxKeyBytes = 64
)

// SearchKeys returns the keys a name is found by: for each of its first
// MaxKeyWords words, the folded name from that word on, without
// duplicates, in order. A name with no letters or digits has none.
func SearchKeys(name string) []string {
	words := foldedWords(name)
	var keys []string
	for i := 0; i < len(words) && i < MaxKeyWords; i++ {
		key := cut(strings.Join(words[i:], " "))
		if !contains(keys, key) {
			keys = append(keys, key)
		}
	}
	return keys
}

// SearchPrefix folds what someone typed to find a name the way
// SearchKeys folds names: a key starting with it is a match. "" means
// nothing searchable was typed.
func SearchPrefix(typed string) string {
	return cut(strings.Join(foldedWords(typed), " "))
}

func contains(keys []string, key string) bool {
	for _, k := range keys {
		if k == key {
			return true
		}
	}
	return false
}

// cut shortens s to maxKeyBytes without splitting a character.
func cut(s string) string {
	if len(s) <= maxKeyBytes {
		return s
	}
	s = s[:maxKeyBytes]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return strings.TrimRight(s, " ")
}

// foldedWords splits text into words (letters with their marks, digits)
// and folds each.
func foldedWords(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(norm.NFC.String(strings.ToLower(text)), notInWord) {
		if f := foldWord(w); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func notInWord(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) }

// foldWord folds one lowercase word: a Devanagari run is transliterated,
// Latin letters lose their accents (ā → a), Devanagari digits become
// ASCII ones, and letters of other scripts stay as they are.
func foldWord(w string) string {
	var b strings.Builder
	var deva []rune
	flush := func() {
		if len(deva) > 0 {
			b.WriteString(Transliterate(deva))
			deva = deva[:0]
		}
	}
	latin := false // the last character was a Latin letter: a mark after it is an accent
	for _, r := range w {
		switch {
		case r >= '०' && r <= '९':
			flush()
			b.WriteRune('0' + r - '०')
		case r >= 0x0900 && r <= 0x097F:
			deva = append(deva, r)
		case r >= 'a' && r <= 'z' && len(deva) > 0:
			deva = append(deva, r) // a Latin letter inside a Devanagari word
		case r < utf8.RuneSelf:
			flush()
			b.WriteRune(r)
		case unicode.Is(unicode.Latin, r):
			flush()
			for _, d := range norm.NFD.String(string(r)) {
				if d < utf8.RuneSelf {
					b.WriteRune(d)
				}
			}
		case latin && unicode.Is(unicode.Mn, r):
			continue // keep latin set for the next mark
		default:
			flush()
			b.WriteRune(r)
		}
		latin = r < utf8.RuneSelf && unicode.IsLetter(r) || unicode.Is(unicode.Latin, r)
	}
	flush()
	return foldSpelling(b.String())
}

// latinSounds maps a letter to the one its spellings share.
var latinSounds = map[rune]string{'w': "b", 'v': "b", 'z': "j", 'f': "p", 'q': "k", 'x': "ks"}

// foldSpelling folds a word's letters left to right, each decided by the
// letters before it, then drops a final "a".
func foldSpelling(w string) string {
	out := make([]rune, 0, len(w))
	for _, r := range w {
		for _, c := range sound(r) {
			last := rune(0)
			if len(out) > 0 {
				last = out[len(out)-1]
			}
			switch {
			case c == 'h' && last != 0 && isLatinConsonant(last): // kh, bh, sh, chh: aspiration
			case c == last && c == 'e': // ee is the long i
				out[len(out)-1] = 'i'
			case c == last && c == 'o': // oo is the long u
				out[len(out)-1] = 'u'
			case c == last: // doubled letters, long vowels
			default:
				out = append(out, c)
			}
		}
	}
	if n := len(out); n > 1 && out[n-1] == 'a' {
		out = out[:n-1]
	}
	return string(out)
}

func sound(r rune) string {
	if s, ok := latinSounds[r]; ok {
		return s
	}
	return string(r)
}

func isVowel(r rune) bool { return r == 'a' || r == 'e' || r == 'i' || r == 'o' || r == 'u' }

func isLatinConsonant(r rune) bool { return r >= 'a' && r <= 'z' && !isVowel(r) }
