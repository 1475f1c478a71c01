package signin

import (
	"strings"
	"testing"
)

// A typed code is read as documented: ASCII or Devanagari digits, spaces
// and dashes ignored, exactly six digits. What is read is six ASCII digits
// (the hash input is the same whichever keyboard typed it); digits of other
// scripts (Bengali, Arabic-Indic, full-width), other spaces and invalid
// UTF-8 are refused.
func FuzzReadCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "123-456", "१२३४५६", "१२३ ४५६", "12३4५6", " 0 0 0 0 0 0 ",
		"12345", "1234567", "১২৩৪৫৬", "١٢٣٤٥٦", "１２３４５６", "123\u00a0456", "123\t456", "12345\xff", "", "------"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		code, ok := ReadCode(typed)
		want, wantOK := documentedCode(typed)
		if ok != wantOK || (ok && code != want) {
			t.Fatalf("ReadCode(%q) = %q, %v; the documented reading is %q, %v", typed, code, ok, want, wantOK)
		}
		if !ok {
			return
		}
		if len(code) != codeDigits || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("ReadCode(%q) accepted %q", typed, code)
		}
		if again, ok := ReadCode(code); !ok || again != code {
			t.Fatalf("the code %q read again is %q, %v", code, again, ok)
		}
		devanagari := strings.Map(func(r rune) rune { return r - '0' + '०' }, code)
		if same, ok := ReadCode(devanagari); !ok || same != code {
			t.Fatalf("%q typed in Devanagari (%q) reads as %q, %v", code, devanagari, same, ok)
		}
	})
}

// documentedCode is ReadCode's doc comment as a model.
func documentedCode(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range typed {
		switch {
		case r == ' ' || r == '-':
		case '0' <= r && r <= '9':
			b.WriteRune(r)
		case 0x0966 <= r && r <= 0x096F: // DEVANAGARI DIGIT ZERO to NINE
			b.WriteByte(byte('0' + r - 0x0966))
		default:
			return "", false
		}
	}
	return b.String(), b.Len() == codeDigits
}
