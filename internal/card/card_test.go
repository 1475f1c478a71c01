package card

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/skip2/go-qrcode"

	"github.com/jodo-org/jodo/internal/membership"
)

var update = flag.Bool("update", false, "rewrite testdata/*.png from the current rendering")

var testKey = []byte("card test key")

var goldens = []struct {
	file string
	card Card
}{
	{"latin.png", Card{
		Name: "Sunita Devi", AreaLine: "Ward 12, Ranchi", Number: "ABCDEFGHJKQ",
		Drive: "Jharkhand Jodo 2026", VerifyURL: membership.VerifyURL("https://jodo.example", testKey, "ABCDEFGHJKQ"), Lang: "en",
	}},
	{"devanagari.png", Card{
		Name: "क्षितिज", AreaLine: "वार्ड 12, राँची", Number: "00000000011",
		Drive: "झारखंड जोड़ो 2026", VerifyURL: membership.VerifyURL("https://jodo.example", testKey, "00000000011"), Lang: "hi",
	}},
	{"mixed.png", Card{
		Name: "सुनीता देवी (Sunita Devi)", AreaLine: "Ranchi / राँची", Number: "ZZZZZZZZZZX",
		Drive: "Jharkhand Jodo — झारखंड जोड़ो", VerifyURL: membership.VerifyURL("https://jodo.example", testKey, "ZZZZZZZZZZX"), Lang: "en",
	}},
}

// TestRenderGolden compares renderings with reviewed images. After an
// intended change (layout, fonts, a typesetting upgrade) run
// go test ./internal/card -update and look at the new images.
func TestRenderGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.file, func(t *testing.T) {
			got := mustRender(t, g.card)
			path := filepath.Join("testdata", g.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := sameImage(decode(t, got), decode(t, want)); err != nil {
				out := filepath.Join(os.TempDir(), "card-"+g.file)
				os.WriteFile(out, got, 0o644)
				t.Errorf("%v; got %s (rerun with -update if the change is intended)", err, out)
			}
		})
	}
}

// sameImage allows a few pixels one grey level apart: float rounding in
// the rasterizer may differ between CPUs.
func sameImage(got, want image.Image) error {
	if got.Bounds() != want.Bounds() {
		return fmt.Errorf("bounds %v, want %v", got.Bounds(), want.Bounds())
	}
	b, off := got.Bounds(), 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g, w := grey(got.At(x, y)), grey(want.At(x, y))
			if d := g - w; d > 17 || d < -17 {
				return fmt.Errorf("pixel (%d,%d) is %d, want %d", x, y, g, w)
			} else if d != 0 {
				off++
			}
		}
	}
	if off > b.Dx()*b.Dy()/1000 {
		return fmt.Errorf("%d pixels differ", off)
	}
	return nil
}

func TestRenderSize(t *testing.T) {
	for _, g := range goldens {
		got := mustRender(t, g.card)
		img := decode(t, got)
		if img.Bounds() != image.Rect(0, 0, width, height) {
			t.Errorf("%s: bounds %v", g.file, img.Bounds())
		}
		if len(got) > 60_000 {
			t.Errorf("%s: %d bytes", g.file, len(got))
		}
	}
}

func TestRenderRefuses(t *testing.T) {
	ok := goldens[0].card
	for _, tc := range []struct {
		name   string
		change func(*Card)
		want   error
	}{
		{"no number", func(c *Card) { c.Number = "" }, nil},
		{"no verify URL", func(c *Card) { c.VerifyURL = "" }, nil},
		{"Bengali name", func(c *Card) { c.Name = "সুনীতা" }, ErrUnsupportedText},
		{"emoji", func(c *Card) { c.AreaLine = "Ranchi 🌻" }, ErrUnsupportedText},
	} {
		c := ok
		tc.change(&c)
		_, err := Render(c)
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestRenderQR reads the QR code back off the card, module by module,
// and compares it with the code of the URL, quiet zone included.
func TestRenderQR(t *testing.T) {
	for _, g := range goldens {
		img := decode(t, mustRender(t, g.card))
		q, err := qrcode.New(g.card.VerifyURL, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		modules := q.Bitmap() // with a four-module quiet zone
		n := len(modules) - 8
		px := min(qrMaxSide/n, (qrTop-bandHeight)/4)
		left, top := width-margin-n*px-4*px, qrTop-4*px
		for y, row := range modules {
			for x, dark := range row {
				v := grey(img.At(left+x*px+px/2, top+y*px+px/2))
				if dark != (v < 0x80) {
					t.Fatalf("%s: module (%d,%d) dark=%v, pixel %d", g.file, x, y, dark, v)
				}
			}
		}
	}
}

// TestRenderLongText: text too wide for its column shrinks to fit and
// stays out of the gutter before the QR code.
func TestRenderLongText(t *testing.T) {
	c := goldens[0].card
	c.Name = strings.Repeat("Sunita Devi Kumari ", 5) + "सुनीता देवी कुमारी"
	c.AreaLine = strings.Repeat("Ward 12, Ranchi, ", 6)
	img := decode(t, mustRender(t, c))
	q, _ := qrcode.New(c.VerifyURL, qrcode.Medium)
	n := len(q.Bitmap()) - 8
	qrLeft := width - margin - n*min(qrMaxSide/n, (qrTop-bandHeight)/4)
	for y := bandHeight; y < height-2; y++ {
		for x := qrLeft - 38; x < qrLeft; x++ {
			if v := grey(img.At(x, y)); v != 0xff {
				t.Fatalf("ink in the gutter at (%d,%d): %d", x, y, v)
			}
		}
	}
}

// TestRenderConcurrently: Render shares only the parsed fonts.
func TestRenderConcurrently(t *testing.T) {
	want := mustRender(t, goldens[1].card)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := Render(goldens[1].card)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent Render differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}

// TestRenderOnlyNumber: name, area and drive may be empty.
func TestRenderOnlyNumber(t *testing.T) {
	c := Card{Number: "ABCDEFGHJKQ", VerifyURL: goldens[0].card.VerifyURL}
	decode(t, mustRender(t, c))
}

func mustRender(t *testing.T, c Card) []byte {
	t.Helper()
	b, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func grey(c color.Color) int { return int(color.GrayModel.Convert(c).(color.Gray).Y) }
