package card

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// ErrUnsupportedText is returned for text the embedded fonts cannot draw
// (scripts other than Latin and Devanagari, emoji): a card with empty
// boxes for a name is worse than none, and the caller can choose.
var ErrUnsupportedText = errors.New("card: text the card's fonts cannot draw")

//go:embed fonts/*.ttf
var fontFiles embed.FS

type weight int

const (
	regular weight = iota
	bold
)

// Noto Sans Devanagari has digits and punctuation but no Latin letters,
// so every weight comes as a Latin and a Devanagari font.
const (
	latin = iota
	devanagari
)

var fontNames = [2][2]string{
	regular: {latin: "NotoSans-Regular.ttf", devanagari: "NotoSansDevanagari-Regular.ttf"},
	bold:    {latin: "NotoSans-Bold.ttf", devanagari: "NotoSansDevanagari-Bold.ttf"},
}

// loadFonts parses the embedded fonts once. A *font.Font is safe for
// concurrent use; the faces and shaper built on it per Render are not.
var loadFonts = sync.OnceValues(func() (fonts [2][2]*font.Font, err error) {
	for w, names := range fontNames {
		for s, name := range names {
			data, err := fontFiles.ReadFile("fonts/" + name)
			if err != nil {
				return fonts, fmt.Errorf("card: %w", err)
			}
			face, err := font.ParseTTF(bytes.NewReader(data))
			if err != nil {
				return fonts, fmt.Errorf("card: parse %s: %w", name, err)
			}
			fonts[w][s] = face.Font
		}
	}
	return fonts, nil
})

// typesetter shapes and draws lines of text for one Render call.
type typesetter struct {
	fontmaps [2]*fontmap
	lang     language.Language
	shaper   shaping.HarfbuzzShaper
	seg      shaping.Segmenter
}

func newTypesetter(lang string) (*typesetter, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	ts := &typesetter{lang: language.NewLanguage(lang)}
	for w := range fonts {
		ts.fontmaps[w] = &fontmap{faces: [2]*font.Face{font.NewFace(fonts[w][latin]), font.NewFace(fonts[w][devanagari])}}
	}
	return ts, nil
}

// fontmap picks the face for a run by its script (the segmenter resolves
// digits, spaces and punctuation to the script around them), falling
// back to the other face for a rune the first lacks.
type fontmap struct {
	faces  [2]*font.Face
	script language.Script
}

func (m *fontmap) SetScript(s language.Script) { m.script = s }

func (m *fontmap) ResolveFace(r rune) *font.Face {
	first, second := m.faces[latin], m.faces[devanagari]
	if m.script == language.Devanagari {
		first, second = second, first
	}
	if _, ok := first.NominalGlyph(r); !ok {
		if _, ok := second.NominalGlyph(r); ok {
			return second
		}
	}
	return first
}

// line is shaped text, measured in pixels.
type line struct {
	runs            []shaping.Output
	width           float32
	ascent, descent float32 // descent is positive, below the baseline
}

// shape shapes text at size pixels: split by direction, script and face,
// then each run through HarfBuzz, which forms conjuncts and moves the
// i-matra before its consonant.
func (ts *typesetter) shape(text string, w weight, size float32) (line, error) {
	if text == "" {
		return line{}, nil
	}
	runes := []rune(text)
	in := shaping.Input{
		Text: runes, RunEnd: len(runes),
		Direction: di.DirectionLTR,
		Size:      fixed.Int26_6(size * 64),
		Language:  ts.lang,
	}
	var l line
	for _, run := range ts.seg.Split(in, ts.fontmaps[w]) {
		out := ts.shaper.Shape(run)
		for _, g := range out.Glyphs {
			if g.GlyphID == 0 {
				return line{}, fmt.Errorf("%w: %q", ErrUnsupportedText, string(runes[g.TextIndex()]))
			}
		}
		l.runs = append(l.runs, out)
		l.width += fromFixed(out.Advance)
		l.ascent = max(l.ascent, fromFixed(out.LineBounds.Ascent), fromFixed(out.GlyphBounds.Ascent))
		l.descent = max(l.descent, -fromFixed(out.LineBounds.Descent), -fromFixed(out.GlyphBounds.Descent))
	}
	return l, nil
}

// shapeToFit shapes text at size, or smaller so that it fits maxWidth:
// a long name shrinks rather than being cut, down to a third of size
// (a 60-pixel name fits about 85 characters); past that the caller's
// clip cuts it. Sizes stay whole pixels, where advances scale evenly.
func (ts *typesetter) shapeToFit(text string, w weight, size, maxWidth float32) (line, error) {
	l, err := ts.shape(text, w, size)
	least := float32(math.Ceil(float64(size / 3)))
	for err == nil && l.width > maxWidth && size > least {
		size = max(least, min(size-1, float32(math.Floor(float64(size*maxWidth/l.width)))))
		l, err = ts.shape(text, w, size)
	}
	return l, err
}

// draw fills the line's glyph outlines in ink, with the pen starting at
// (x, baseline), clipped to dst's bounds. Glyphs are rasterized into a
// mask covering just the line.
func (l line) draw(dst draw.Image, x, baseline float32, ink color.Color) {
	pad := l.ascent / 2 // glyphs may reach left of their origin or past their advance
	r := image.Rect(
		int(math.Floor(float64(x-pad))), int(math.Floor(float64(baseline-l.ascent-pad))),
		int(math.Ceil(float64(x+l.width+pad))), int(math.Ceil(float64(baseline+l.descent+pad))),
	).Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	z := vector.NewRasterizer(r.Dx(), r.Dy())
	penX, penY := x-float32(r.Min.X), baseline-float32(r.Min.Y)
	for _, run := range l.runs {
		scale := fromFixed(run.Size) / float32(run.Face.Upem())
		for _, g := range run.Glyphs {
			if outline, ok := run.Face.GlyphData(g.GlyphID).(font.GlyphOutline); ok {
				addOutline(z, outline, penX+fromFixed(g.XOffset), penY-fromFixed(g.YOffset), scale)
			}
			penX += fromFixed(g.Advance)
		}
	}
	mask := image.NewAlpha(z.Bounds())
	z.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	draw.DrawMask(dst, r, image.NewUniform(ink), image.Point{}, mask, image.Point{}, draw.Over)
}

// addOutline adds a glyph's contours to z, from font units (y up) to
// pixels (y down) with the glyph origin at (x, y).
func addOutline(z *vector.Rasterizer, o font.GlyphOutline, x, y, scale float32) {
	px := func(p opentype.SegmentPoint) (float32, float32) { return x + p.X*scale, y - p.Y*scale }
	open := false
	for _, seg := range o.Segments {
		a := seg.Args
		switch seg.Op {
		case opentype.SegmentOpMoveTo:
			if open {
				z.ClosePath()
			}
			z.MoveTo(px(a[0]))
			open = true
		case opentype.SegmentOpLineTo:
			z.LineTo(px(a[0]))
		case opentype.SegmentOpQuadTo:
			bx, by := px(a[0])
			cx, cy := px(a[1])
			z.QuadTo(bx, by, cx, cy)
		case opentype.SegmentOpCubeTo:
			bx, by := px(a[0])
			cx, cy := px(a[1])
			dx, dy := px(a[2])
			z.CubeTo(bx, by, cx, cy, dx, dy)
		}
	}
	if open {
		z.ClosePath()
	}
}

func fromFixed(v fixed.Int26_6) float32 { return float32(v) / 64 }
