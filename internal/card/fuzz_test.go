package card

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/membership"
)

// Any name a person can save (the forms take up to 80 characters), with
// any label language, renders a 1012×638 PNG of a few tens of kilobytes,
// or, for a script the fonts lack, fails with ErrUnsupportedText only;
// then the card without the name (what /card serves instead) renders.
func FuzzRender(f *testing.F) {
	for _, g := range goldens {
		f.Add(g.card.Name, g.card.Lang, uint8(0))
	}
	f.Add("सुनीता देवी (Sunita Devi)", "hi", uint8(1))
	f.Add(strings.Repeat("क्षि", 20), "hi", uint8(2))
	f.Add(strings.Repeat("W", 80), "en", uint8(0))
	f.Add("সুনীতা", "hi", uint8(1))
	f.Add("Ranchi 🌻", "xx-\x00", uint8(2))
	f.Add("a\u200db\u200c\u0301\u093c", "", uint8(0))
	f.Add("\u202eevil\u202c", "en", uint8(1))
	f.Fuzz(func(t *testing.T, name, lang string, which uint8) {
		if utf8.RuneCountInString(name) > 80 || !utf8.ValidString(name) {
			return // the forms refuse it (cleanName makes it UTF-8)
		}
		g := goldens[int(which)%len(goldens)].card
		c := Card{Name: name, AreaLine: g.AreaLine, Number: g.Number, Drive: g.Drive, VerifyURL: g.VerifyURL, Lang: lang}
		b, err := Render(c)
		if err != nil {
			if !errors.Is(err, ErrUnsupportedText) {
				t.Fatalf("name %q, lang %q: %v", name, lang, err)
			}
			c.Name = ""
			if b, err = Render(c); err != nil {
				t.Fatalf("the card without the name %q, lang %q: %v", name, lang, err)
			}
		}
		checkCardPNG(t, b)
	})
}

func checkCardPNG(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if img.Bounds() != image.Rect(0, 0, width, height) {
		t.Fatalf("bounds %v", img.Bounds())
	}
	if len(b) > 100_000 {
		t.Fatalf("%d bytes", len(b))
	}
}

// Any canonical number renders, grouped as membership.Format prints it.
func FuzzRenderNumber(f *testing.F) {
	for _, g := range goldens {
		f.Add(g.card.Number)
	}
	f.Add("0O1IL-abcd")
	f.Fuzz(func(t *testing.T, typed string) {
		number, err := membership.Parse(typed)
		if err != nil {
			return
		}
		g := goldens[0].card
		b, err := Render(Card{Name: g.Name, AreaLine: g.AreaLine, Number: number, Drive: g.Drive,
			VerifyURL: membership.VerifyURL("https://jodo.example", testKey, number), Lang: "en"})
		if err != nil {
			t.Fatalf("number %s: %v", number, err)
		}
		checkCardPNG(t, b)
	})
}
