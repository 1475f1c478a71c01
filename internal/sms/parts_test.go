package sms

import (
	"strings"
	"testing"
)

func TestParts(t *testing.T) {
	hindi := "क" // one UTF-16 unit, not GSM
	for _, c := range []struct {
		name, text string
		enc        string
		parts      int
	}{
		{"empty", "", GSM7, 1},
		{"160 latin", strings.Repeat("a", 160), GSM7, 1},
		{"161 latin", strings.Repeat("a", 161), GSM7, 2},
		{"306 latin", strings.Repeat("a", 306), GSM7, 2},
		{"307 latin", strings.Repeat("a", 307), GSM7, 3},
		{"gsm specials", "@£$¥èé_ΔÆß¡¿ §", GSM7, 1},
		{"escaped counts twice", strings.Repeat("a", 159) + "€", GSM7, 2},
		{"80 escaped", strings.Repeat("{", 80), GSM7, 1},
		{"escape not split", strings.Repeat("a", 152) + "[" + strings.Repeat("a", 10), GSM7, 2},
		{"escape pushed to next part", strings.Repeat("a", 152) + "[" + strings.Repeat("a", 152), GSM7, 3},
		{"backtick is not gsm", "`", UCS2, 1},
		{"70 hindi", strings.Repeat(hindi, 70), UCS2, 1},
		{"71 hindi", strings.Repeat(hindi, 71), UCS2, 2},
		{"134 hindi", strings.Repeat(hindi, 134), UCS2, 2},
		{"135 hindi", strings.Repeat(hindi, 135), UCS2, 3},
		{"one hindi letter makes all ucs2", strings.Repeat("a", 70) + hindi, UCS2, 2},
		{"emoji is two units", strings.Repeat("a", 69) + "🙂", UCS2, 2},
		{"surrogate pair not split", strings.Repeat("a", 66) + "🙂" + strings.Repeat("a", 10), UCS2, 2},
	} {
		enc, parts := Parts(c.text)
		if enc != c.enc || parts != c.parts {
			t.Errorf("%s: Parts = %s/%d, want %s/%d", c.name, enc, parts, c.enc, c.parts)
		}
	}
}

func TestPartsHindiFollowup(t *testing.T) {
	enc, parts := Parts("जोड़ो: सदस्य बनने के लिए https://jodo.example.in/j/k3Xq9aZ खोलें")
	if enc != UCS2 || parts != 1 {
		t.Errorf("Parts = %s/%d, want ucs2/1", enc, parts)
	}
}
