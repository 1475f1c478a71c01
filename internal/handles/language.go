package handles

// Language is a language a volunteer works in.
type Language struct {
	Code    string // stable, stored: ISO 639-1 where there is one, else ISO 639-3, else Jodo's own
	English string
	Native  string // in its own script; Devanagari where that is how it is written in Jharkhand
	Hindi   string
}

// Languages are the ones the issue names, in the order forms show them.
// Khortha has no ISO 639 code of its own (it is counted under Magahi,
// "mag"), so it gets "x-khortha", a private-use tag that no ISO code can
// take; "other" is Jodo's too.
var Languages = []Language{
	{"hi", "Hindi", "हिंदी", "हिंदी"},
	{"en", "English", "English", "अंग्रेज़ी"},
	{"sat", "Santali", "ᱥᱟᱱᱛᱟᱲᱤ", "संथाली"},
	{"bn", "Bengali", "বাংলা", "बांग्ला"},
	{"or", "Odia", "ଓଡ଼ିଆ", "ओड़िया"},
	{"ur", "Urdu", "اردو", "उर्दू"},
	{"sck", "Nagpuri (Sadri)", "नागपुरी", "नागपुरी"},
	{"x-khortha", "Khortha", "खोरठा", "खोरठा"},
	{"kru", "Kurukh", "कुड़ुख़", "कुड़ुख़"},
	{"hoc", "Ho", "हो", "हो"},
	{"unr", "Mundari", "मुंडारी", "मुंडारी"},
	{"other", "Other", "अन्य", "अन्य"},
}

// LanguageOf finds a language by its code.
func LanguageOf(code string) (Language, bool) {
	for _, l := range Languages {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}
