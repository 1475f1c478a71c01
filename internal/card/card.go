// Package card draws a member's card as a PNG: the drive, the member's
// name and area, the membership number and a QR code of the signed
// verification link. Latin and Devanagari text is shaped with HarfBuzz
// (go-text/typesetting) and filled from the glyph outlines of embedded
// Noto fonts, so conjuncts and matras come out as they are written.
package card

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/jodo-org/jodo/internal/membership"
)

// Card is what a card shows. Name, AreaLine and Drive are free text in
// Latin or Devanagari script; Number is canonical (membership.Parse) and
// is printed grouped; VerifyURL goes into the QR code; Lang ("hi", or
// English otherwise) is the language of the labels.
type Card struct {
	Name, AreaLine, Number, Drive, VerifyURL string
	Lang                                     string
}

// The card is 1012×638 pixels, the ID-1 (bank card) aspect ratio, about
// 300 dpi when printed at card size.
const (
	width, height = 1012, 638
	margin        = 48
	bandHeight    = 112
	qrMaxSide     = 330
	qrTop         = 160
)

// The card is greyscale: it prints the same on any printer and wears no
// party's colours.
var (
	paper  = color.Gray{Y: 0xff}
	ink    = color.Gray{Y: 0x11}
	muted  = color.Gray{Y: 0x5a}
	band   = color.Gray{Y: 0x22}
	border = color.Gray{Y: 0xbb}
)

type labels struct{ member, number, scan string }

var labelsByLang = map[string]labels{
	"en": {member: "Member", number: "Membership no.", scan: "Scan to verify"},
	"hi": {member: "सदस्य", number: "सदस्यता नंबर", scan: "जाँच के लिए स्कैन करें"},
}

// Render draws c as a PNG of a few tens of kilobytes. Text the fonts
// cannot draw fails with ErrUnsupportedText.
func Render(c Card) ([]byte, error) {
	if c.Number == "" || c.VerifyURL == "" {
		return nil, errors.New("card: number and verify URL are required")
	}
	ts, err := newTypesetter(c.Lang)
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.NewUniform(paper), image.Point{}, draw.Src)
	drawBorder(img)
	draw.Draw(img, image.Rect(0, 0, width, bandHeight), image.NewUniform(band), image.Point{}, draw.Src)
	qrSide, qrQuiet, err := drawQR(img, c.VerifyURL, width-margin, qrTop)
	if err != nil {
		return nil, err
	}
	for _, t := range layout(c, qrSide, qrQuiet) {
		if err := t.draw(img, ts); err != nil {
			return nil, err
		}
	}
	return encode(img)
}

// text is one line of text on the card: drawn from the margin, or
// centred in clip, and never outside clip.
type text struct {
	text     string
	w        weight
	size     float32
	baseline int
	clip     image.Rectangle
	ink      color.Gray
	centred  bool
}

// layout places the card's text around a QR code of qrSide pixels.
func layout(c Card, qrSide, qrQuiet int) []text {
	lb, ok := labelsByLang[c.Lang]
	if !ok {
		lb = labelsByLang["en"]
	}
	// Clips reach a little left of the margin: glyphs like J start left
	// of their origin.
	column := image.Rect(margin/2, bandHeight, width-margin-qrSide-40, height)
	heading := image.Rect(margin/2, 0, width-margin, bandHeight)
	caption := image.Rect(width-margin-qrSide, qrTop+qrSide+qrQuiet, width-margin, height)
	return []text{
		{c.Drive, bold, 38, 72, heading, paper, false},
		{lb.member, regular, 24, 204, column, muted, false},
		{c.Name, bold, 60, 280, column, ink, false},
		{c.AreaLine, regular, 32, 342, column, muted, false},
		{lb.number, regular, 24, 464, column, muted, false},
		{membership.Format(c.Number), bold, 50, 530, column, ink, false},
		{lb.scan, regular, 20, caption.Min.Y + 24, caption, muted, true},
	}
}

func (t text) draw(img *image.Gray, ts *typesetter) error {
	x, room := float32(margin), float32(t.clip.Max.X-margin)
	if t.centred {
		x, room = float32(t.clip.Min.X), float32(t.clip.Dx())
	}
	l, err := ts.shapeToFit(t.text, t.w, t.size, room)
	if err != nil {
		return err
	}
	if t.centred {
		x += (room - l.width) / 2
	}
	l.draw(img.SubImage(t.clip).(*image.Gray), x, float32(t.baseline), t.ink)
	return nil
}

func drawBorder(img *image.Gray) {
	b := img.Bounds()
	src := image.NewUniform(border)
	for _, r := range []image.Rectangle{
		{b.Min, image.Pt(b.Max.X, b.Min.Y+2)}, {image.Pt(b.Min.X, b.Max.Y-2), b.Max},
		{b.Min, image.Pt(b.Min.X+2, b.Max.Y)}, {image.Pt(b.Max.X-2, b.Min.Y), b.Max},
	} {
		draw.Draw(img, r, src, image.Point{}, draw.Src)
	}
}

// encode writes img with 16 grey levels, 4 bits a pixel: enough for
// antialiased edges, and it keeps the file small.
func encode(img *image.Gray) ([]byte, error) {
	pal := make(color.Palette, 16)
	for i := range pal {
		pal[i] = color.Gray{Y: uint8(i * 17)}
	}
	out := image.NewPaletted(img.Bounds(), pal)
	for i, y := range img.Pix {
		out.Pix[i] = uint8((int(y) + 8) / 17)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression} // Best saves 10% at 2.5 times the time
	if err := enc.Encode(&buf, out); err != nil {
		return nil, fmt.Errorf("card: encode: %w", err)
	}
	return buf.Bytes(), nil
}
