package names

import "testing"

func TestHasHidden(t *testing.T) {
	for name, want := range map[string]bool{
		"Ravi Kumar":            false,
		"सुनीता देवी":           false,
		"क्\u200Dष":             false, // ZWJ after a virama: a half form
		"र्\u200Cय":             false, // ZWNJ in Devanagari
		"মুক্\u200Cত":           false, // Bengali
		"می\u200Cخواهم":         false, // ZWNJ in Arabic script
		"ᱥᱟᱱᱛᱟᱲᱤ":               false, // Ol Chiki, no joiners
		"Ravi\u202EramuK":       true,  // right-to-left override
		"\u202ARavi\u202C":      true,
		"Ravi\u2066Kumar\u2069": true, // isolates
		"Ravi\u200EKumar":       true, // left-to-right mark
		"Ra\u200Bvi":            true, // zero-width space
		"Ra\u2060vi":            true, // word joiner
		"\uFEFFRavi":            true, // byte-order mark
		"Ra\u00ADvi":            true, // soft hyphen
		"Ra\u200Cvi":            true, // ZWNJ between Latin letters
		"Ra\u200Dvi":            true,
		"सुनीता\u200D":          true, // ZWJ at the end
		"\u200Cसुनीता":          true,
		"सु\u200C\u200Cनीता":    true, // two in a row: not between letters
		"Ravi \u200Dदेवी":       true, // a space before it
		"Ravi Kumar\U000E0041":  true, // a tag character
	} {
		if got := HasHidden(name); got != want {
			t.Errorf("HasHidden(%+q) = %v, want %v", name, got, want)
		}
	}
}
