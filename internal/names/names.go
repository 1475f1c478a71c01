// Package names decides which characters a person's name may not hold,
// wherever it is typed (the web form, the bot): none that hide text or
// reorder it on screen, so a name shown on a card, a list or an export
// reads as what it is. It also reads names as people type them: the keys a
// name is searched by (SearchKeys) and the Latin spelling of Devanagari
// (Transliterate), which area matching shares.
package names

import "unicode"

// MaxLen is the longest name, in characters, that any channel takes: the
// web form, /me and the bot. It is the web form's limit since it shipped,
// so no name already stored becomes one that /me refuses to save, and the
// card already prints names this long.
const MaxLen = 80

const (
	zwnj = '\u200C' // zero-width non-joiner
	zwj  = '\u200D' // zero-width joiner
)

// joiningScripts are the scripts whose spelling needs ZWNJ and ZWJ: the
// Indic scripts (a half form, an explicit virama: "क्‍ष") and Arabic
// (Urdu and Persian write "می‌خواهم" with a ZWNJ).
var joiningScripts = []*unicode.RangeTable{
	unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya, unicode.Tamil,
	unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala, unicode.Arabic,
}

// HasHidden reports whether name holds an invisible formatting character
// (Unicode category Cf): bidi embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069), bidi marks (U+200E, U+200F, U+061C),
// zero-width space and word joiner (U+200B, U+2060), the byte-order mark
// (U+FEFF), a soft hyphen, tags. ZWNJ and ZWJ are allowed only between two
// characters of a script that spells with them (joiningScripts), where
// they change how the name is written, not what it says.
func HasHidden(name string) bool {
	runes := []rune(name)
	for i, r := range runes {
		if r != zwnj && r != zwj {
			if unicode.Is(unicode.Cf, r) {
				return true
			}
			continue
		}
		if i == 0 || i == len(runes)-1 || !joining(runes[i-1]) || !joining(runes[i+1]) {
			return true
		}
	}
	return false
}

func joining(r rune) bool { return unicode.In(r, joiningScripts...) }
