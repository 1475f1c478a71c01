package card

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/skip2/go-qrcode"
)

// drawQR draws the QR code of content with its top right corner at
// (right, top), as large as fits qrMaxSide in whole pixels a module, and
// returns its side and the quiet zone it needs: four modules of blank
// card around it (the gap to the band caps the module size).
func drawQR(img *image.Gray, content string, right, top int) (side, quiet int, err error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return 0, 0, fmt.Errorf("card: QR code: %w", err)
	}
	q.DisableBorder = true
	modules := q.Bitmap()
	n := len(modules)
	px := min(qrMaxSide/n, (top-bandHeight)/4)
	if px < 1 {
		return 0, 0, fmt.Errorf("card: QR code of %d modules does not fit", n)
	}
	left := right - n*px
	dark := image.NewUniform(color.Black)
	for y, row := range modules {
		for x, on := range row {
			if on {
				r := image.Rect(left+x*px, top+y*px, left+(x+1)*px, top+(y+1)*px)
				draw.Draw(img, r, dark, image.Point{}, draw.Src)
			}
		}
	}
	return n * px, 4 * px, nil
}
