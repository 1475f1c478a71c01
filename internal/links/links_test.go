package links

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 2, 12, 4, 30, 0, 0, time.UTC)

func testLinks() *Links { return New([]byte(strings.Repeat("k", 32))) }

func TestMake(t *testing.T) {
	l := testLinks()
	a, b := l.Make(testNow), l.Make(testNow)
	if len(a.Token) != TokenLen || len(a.Code) != CodeLen {
		t.Fatalf("token %q code %q: wrong lengths", a.Token, a.Code)
	}
	if a.Token == b.Token || a.Code == b.Code || a.TokenHash == b.TokenHash {
		t.Fatal("two links share a value")
	}
	if strings.Trim(a.Token, tokenAlphabet) != "" || strings.Trim(a.Code, codeAlphabet) != "" {
		t.Fatalf("token %q or code %q outside its alphabet", a.Token, a.Code)
	}
	if strings.ContainsAny(a.Code, "0O1IL") {
		t.Fatalf("code %q has a confusable character", a.Code)
	}
	if !a.ExpiresAt.Equal(testNow.Add(7 * 24 * time.Hour)) {
		t.Fatalf("expires %v", a.ExpiresAt)
	}
	if a.TokenHash != l.TokenHash(strings.ToUpper(a.Token)) || a.CodeHash != l.CodeHash(strings.ToLower(a.Code)) {
		t.Fatal("hashes must not depend on case")
	}
	if len(a.TokenHash) != 64 || strings.Contains(a.TokenHash, a.Token) {
		t.Fatalf("token hash %q", a.TokenHash)
	}
}

func TestHashesAreKeyedAndSeparated(t *testing.T) {
	l, other := testLinks(), New([]byte(strings.Repeat("x", 32)))
	if l.TokenHash("abc") == other.TokenHash("abc") {
		t.Fatal("hash does not depend on the key")
	}
	if l.TokenHash("ABCD234567") == l.CodeHash("ABCD234567") {
		t.Fatal("a token's hash equals a code's")
	}
}

func TestRandomStringIsUniform(t *testing.T) {
	counts := map[byte]int{}
	for range 3000 {
		for _, c := range []byte(randomString(codeAlphabet, CodeLen)) {
			counts[c]++
		}
	}
	// 30,000 draws over 30 symbols: 1,000 each, σ ≈ 31.
	for _, c := range []byte(codeAlphabet) {
		if n := counts[c]; n < 800 || n > 1200 {
			t.Errorf("symbol %c drawn %d times", c, n)
		}
	}
}

func TestParseJoinCode(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"JOIN ABCD234567", "ABCD234567"},
		{"  join: abcd234567.", "ABCD234567"},
		{"joinABCD234567!", "ABCD234567"},
		{"जुड़ें ABCD234567", "ABCD234567"},
		{"जुड़ेंABCD234567🙏", "ABCD234567"},
		{"(ABCD234567)", "ABCD234567"},
		{"STRENGTHEN JOIN ABCD234567", "ABCD234567"},
		{"STRENGTHEN ABCD234567", "ABCD234567"},
		{"hello ABCDEFGHJK", "ABCDEFGHJK"},
	} {
		if got, ok := ParseJoinCode(tc.text); !ok || got != tc.want {
			t.Errorf("ParseJoinCode(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
	for _, text := range []string{"", "JOIN", "hello", "JOIN ABCD23456", "JOIN ABCD2345678", "JOIN ABCD23456O", "JOIN ABCD-234567", "JOIN ABCD234561"} {
		if got, ok := ParseJoinCode(text); ok {
			t.Errorf("ParseJoinCode(%q) = %q, want none", text, got)
		}
	}
}

// joinTexts are how a join code reaches the bot: the SMS's wa.me text and
// its Hindi keyword, which people type.
var joinTexts = map[string]func(code string) string{
	"en": func(code string) string { return "JOIN " + code },
	"hi": func(code string) string { return "जुड़ें " + code },
}

func TestMakeJoinTextParseRoundTrip(t *testing.T) {
	l := testLinks()
	for range 200 {
		link := l.Make(testNow)
		for lang, text := range joinTexts {
			if got, ok := ParseJoinCode(text(link.Code)); !ok || got != link.Code {
				t.Fatalf("%s: %q parsed as %q, %v", lang, text(link.Code), got, ok)
			}
		}
	}
}

func FuzzParseJoinCode(f *testing.F) {
	for _, s := range []string{"JOIN ABCD234567", "जुड़ें abcd234567", "JOINJOIN", "\xff\xfeJOIN", "STRENGTHEN"} {
		f.Add(s, "")
	}
	f.Add("JOIN ", "ABCD234567")
	l := testLinks()
	f.Fuzz(func(t *testing.T, before, after string) {
		code, ok := ParseJoinCode(before + after)
		if ok && (!isCode(code) || !strings.Contains(strings.ToUpper(before+after), code)) {
			t.Fatalf("ParseJoinCode(%q) = %q: not a code from the text", before+after, code)
		}
		// A made code sent with anything around it (not glued to letters
		// or digits) is found; after "JOIN " it always wins.
		link := l.Make(testNow)
		for _, lang := range []string{"en", "hi"} {
			text := before + " " + joinTexts[lang](link.Code) + " " + after
			got, ok := ParseJoinCode(text)
			if !ok || lang == "en" && !strings.Contains(strings.ToUpper(before), "JOIN") && got != link.Code {
				t.Fatalf("%q: got %q, %v; want %q", text, got, ok, link.Code)
			}
		}
	})
}
