package membership

import (
	"errors"
	"strings"
	"testing"
)

func TestNewIsCanonical(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		n := New()
		got, err := Parse(n)
		if err != nil || got != n {
			t.Fatalf("Parse(New() = %q) = %q, %v", n, got, err)
		}
		if seen[n] {
			t.Fatalf("New repeated %q", n)
		}
		seen[n] = true
	}
}

// TestNewUsesEveryCheckSymbol guards the redraw in New: it must drop only
// the check symbols outside the base32 alphabet, not skew the rest.
func TestNewUsesEveryCheckSymbol(t *testing.T) {
	counts := map[byte]int{}
	for range 20000 {
		counts[New()[dataLen]]++
	}
	for i := range len(alphabet) {
		if c := counts[alphabet[i]]; c < 400 { // 625 expected
			t.Errorf("check symbol %c drawn %d times in 20000", alphabet[i], c)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"00000000000", "00000000000"},
		{"ZZZZZZZZZZX", "ZZZZZZZZZZX"},
		{"zzzzzzzzzzx", "ZZZZZZZZZZX"},
		{"ABCD-EFGH-JKQ", "ABCDEFGHJKQ"},
		{"abcd efgh jkq", "ABCDEFGHJKQ"},
		{" ab-cd efgh--jkq ", "ABCDEFGHJKQ"},
		{"oooo-oooo-oi1", "00000000011"}, // O is 0, I is 1
		{"OOOO-OOOO-OL1", "00000000011"}, // L is 1
		{"ABCDEFGHJKT", ""},              // wrong check symbol
	} {
		got, err := Parse(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("Parse(%q) = %q, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{
		"",
		"ABCDEFGHJK",    // no check symbol
		"ABCDEFGHJKQQ",  // one too many
		"ABCDEFGHJK*",   // Crockford's extra check symbols are never issued
		"ABCDEFGHJKU",   // ... nor U
		"ABCDUFGHJKQ",   // U is no data symbol
		"ABCD_EFGH_JKQ", // only hyphens and spaces separate
		"ABCD\u2013EFGHJKQ",
		"ABCDEFGHJKQभ",
		"\xff",
	} {
		if got, err := Parse(in); !errors.Is(err, ErrInvalid) || got != "" {
			t.Errorf("Parse(%q) = %q, %v; want ErrInvalid", in, got, err)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ABCDEFGHJKQ", "ABCD-EFGH-JKQ"},
		{"ABCD-EFGH-JKQ", "ABCD-EFGH-JKQ"},
		{"short", "short"},
	} {
		if got := Format(tc.in); got != tc.want {
			t.Errorf("Format(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCheckCatchesTypos proves the check symbol's promise over many
// numbers: every single changed symbol and every swap of two different
// neighbours (the check symbol included) is refused.
func TestCheckCatchesTypos(t *testing.T) {
	for range 2000 {
		n := []byte(New())
		for i := range Len {
			orig := n[i]
			for j := range len(alphabet) {
				if alphabet[j] == orig {
					continue
				}
				n[i] = alphabet[j]
				if _, err := Parse(string(n)); err == nil {
					t.Fatalf("substitution %q accepted", n)
				}
			}
			n[i] = orig
		}
		for i := range Len - 1 {
			if n[i] == n[i+1] {
				continue
			}
			n[i], n[i+1] = n[i+1], n[i]
			if _, err := Parse(string(n)); err == nil {
				t.Fatalf("transposition %q accepted", n)
			}
			n[i], n[i+1] = n[i+1], n[i]
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH-JKQ", "abcdefghjkq", "OOOO-OOOO-OI1", "", "ABCDEFGHJK*", strings.Repeat("-", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) || got != "" {
				t.Fatalf("Parse(%q) = %q, %v", s, got, err)
			}
			return
		}
		if len(got) != Len || strings.Trim(got, alphabet) != "" {
			t.Fatalf("Parse(%q) = %q: not canonical", s, got)
		}
		if again, err := Parse(Format(got)); err != nil || again != got {
			t.Fatalf("Parse(Format(%q)) = %q, %v", got, again, err)
		}
	})
}
