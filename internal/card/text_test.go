package card

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/go-text/typesetting/font"
)

// TestShapingReordersIMatra shows that text goes through the shaper and
// is not drawn rune by rune: in "कि" (ka, vowel sign i) the i-matra is
// typed after the consonant but must come first.
func TestShapingReordersIMatra(t *testing.T) {
	l := mustShape(t, "कि", regular, 48)
	glyphs := l.runs[0].Glyphs
	ka := nominal(t, l.runs[0].Face, 'क')
	if len(l.runs) != 1 || len(glyphs) != 2 || glyphs[0].GlyphID == ka || glyphs[1].GlyphID != ka {
		t.Fatalf("कि shaped as %+v, want the i-matra glyph then ka (%d)", glyphs, ka)
	}
}

// TestShapingFormsConjunct: क्ष (ka, virama, ssa) is one glyph.
func TestShapingFormsConjunct(t *testing.T) {
	l := mustShape(t, "क्ष", bold, 48)
	face := l.runs[0].Face
	if g := l.runs[0].Glyphs; len(g) != 1 || g[0].GlyphID == nominal(t, face, 'क') || g[0].GlyphID == nominal(t, face, 'ष') {
		t.Fatalf("क्ष shaped as %+v, want one conjunct glyph", g)
	}
}

// TestDrawnIMatraComesFirst checks the pixels: drawn from the same pen
// position, the ka of "कि" sits to the right of a lone "क", pushed by the
// matra. Drawing rune by rune would put both kas on the same pixels.
func TestDrawnIMatraComesFirst(t *testing.T) {
	alone, withMatra := inked(t, "क"), inked(t, "कि")
	uncovered, total := 0, 0
	for i, v := range alone.Pix {
		if v < 0x80 {
			total++
			if withMatra.Pix[i] >= 0x80 {
				uncovered++
			}
		}
	}
	if total == 0 || uncovered < total/4 {
		t.Errorf("%d of %d inked pixels of क are still inked in कि: the matra did not move before it", total-uncovered, total)
	}
}

// TestFontPerScript: a mixed line takes Devanagari runs from Noto Sans
// Devanagari and Latin ones from Noto Sans, which lacks Devanagari.
func TestFontPerScript(t *testing.T) {
	const text = "Ranchi राँची 12"
	l := mustShape(t, text, regular, 32)
	if len(l.runs) < 2 {
		t.Fatalf("%d runs, want Latin and Devanagari ones", len(l.runs))
	}
	for _, run := range l.runs {
		_, devaFont := run.Face.NominalGlyph('क')
		r := []rune(text)[run.Runes.Offset]
		if devaScript := r >= 0x900 && r <= 0x97f; devaScript != devaFont {
			t.Errorf("run %q in the wrong font", string([]rune(text)[run.Runes.Offset:run.Runes.Offset+run.Runes.Count]))
		}
	}
}

func mustShape(t *testing.T, text string, w weight, size float32) line {
	t.Helper()
	ts, err := newTypesetter("hi")
	if err != nil {
		t.Fatal(err)
	}
	l, err := ts.shape(text, w, size)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func nominal(t *testing.T, face *font.Face, r rune) font.GID {
	t.Helper()
	g, ok := face.NominalGlyph(r)
	if !ok {
		t.Fatalf("no glyph for %q", r)
	}
	return g
}

func inked(t *testing.T, text string) *image.Gray {
	t.Helper()
	l := mustShape(t, text, regular, 64)
	img := image.NewGray(image.Rect(0, 0, 200, 120))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	l.draw(img, 40, 90, color.Black)
	return img
}
