package app_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/store"
)

// shares are how far each PC, in code order, has come to its 1,000
// volunteers, and each AC to its share of the members: every band of the
// map's legend has some.
var shares = []float64{0.08, 0.92, 0.35, 0.55, 0.18, 1.05, 0.62, 0.27, 0.81, 0.44, 0.12, 0.71, 0.5, 0.97}

// inFullSwing adds to the dashboard's world ten days and today of a drive
// going well in some places and badly in others: every metric counted in
// every AC, growing day by day, leads by three channels.
func (w *dashWorld) inFullSwing() {
	w.t.Helper()
	ctx := context.Background()
	acs, err := w.db.ListAreas(ctx, store.AreaFilter{Kind: "ac"})
	if err != nil {
		w.t.Fatal(err)
	}
	byPC := map[string][]store.Area{}
	for _, ac := range acs {
		byPC[ac.Parent] = append(byPC[ac.Parent], ac)
	}
	pcs, err := w.db.ListAreas(ctx, store.AreaFilter{Kind: "pc"})
	if err != nil {
		w.t.Fatal(err)
	}
	today := time.Now().In(time.FixedZone("IST", 19800))
	var deltas []store.CounterDelta
	n := 0 // ACs so far
	for i, pc := range pcs {
		share := shares[i%len(shares)]
		for j, ac := range byPC[pc.Code] {
			n++
			acShare := shares[(n*5)%len(shares)] * 500000 / float64(len(acs))
			acWeight := float64(j+1) / float64(len(byPC[pc.Code])*(len(byPC[pc.Code])+1)/2)
			for k := range 11 { // days 1 … 11, more each day
				day := today.AddDate(0, 0, dashBegan+k).Format(time.DateOnly)
				dayWeight := float64(k+1) / 66
				volunteers := 1000 * share * acWeight * dayWeight
				members := acShare * dayWeight
				add := func(metric, channel string, n float64) {
					deltas = append(deltas, store.CounterDelta{DriveID: w.driveID, AreaID: ac.ID, Metric: metric, Day: day, Channel: channel, Value: int64(n + 0.5)})
				}
				add("leads", "missed_call", members*0.9)
				add("leads", "whatsapp", members*0.6)
				add("leads", "web", members*0.2)
				add("members", "whatsapp", members*0.6)
				add("members", "web", members*0.4)
				add("verified", "web", members*0.7)
				add("volunteers", "web", volunteers)
				add("active", "web", volunteers*0.4)
				add("groups", "web", members/60)
				add("office_bearers", "web", volunteers/12)
			}
		}
	}
	// The world's 1,23,456 members of today at Ranchi's AC (there to test
	// the grouping) are taken back: the pictures show a drive's usual days.
	deltas = append(deltas, store.CounterDelta{DriveID: w.driveID, AreaID: w.ids["JH-AC-063"], Metric: "members", Day: today.Format(time.DateOnly), Channel: "whatsapp", Value: -123456})
	err = w.db.Update(ctx, func(tx *store.Tx) error { return store.AddCounters(ctx, tx, deltas) })
	if err != nil {
		w.t.Fatal(err)
	}
}

// The drive in full swing, as the README shows it: the state page at 1280
// and 360 px and Ranchi PC's page, each within its policy and the phone's
// width; saved as docs/dashboard-1280.png, dashboard-360.png and
// dashboard-pc.png when JODO_SCREENSHOTS=1.
func TestDashboardScreenshots(t *testing.T) {
	t.Parallel()
	w := newDashWorld(t)
	w.inFullSwing()
	ctx := newBrowser(t)
	watchCSP(t, ctx)
	browserSignIn(t, ctx, w.signInLink("+919876500001", "Asha Kumari", access.Coordinator, "JH"))
	openDashboard(t, ctx, w.base+"/console?drive=jh-dash&metric=volunteers&lang=en", "Jharkhand (JH)")
	dashboardFits(t, ctx, "the state page in full swing")
	bands, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll("#map path")].map(p => p.getAttribute("class")))].sort()`))
	if err != nil || strings.Join(bands, " ") != "b0 b1 b2 b3 b4" {
		t.Errorf("the map's bands are %v %v, want all five", bands, err)
	}
	shots := map[string][]byte{"dashboard-360.png": screenshot(t, ctx, 360, 2400)}
	shots["dashboard-1280.png"] = screenshot(t, ctx, 1280, 1500)
	openDashboard(t, ctx, w.base+"/console?drive=jh-dash&area=JH-PC-08&metric=members&lang=en", "Ranchi (JH-PC-08)")
	dashboardFits(t, ctx, "Ranchi PC's page in full swing")
	shots["dashboard-pc.png"] = screenshot(t, ctx, 1280, 2880)
	if os.Getenv("JODO_SCREENSHOTS") != "1" {
		return
	}
	for name, b := range shots {
		if err := os.WriteFile("../../docs/"+name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// screenshot is the top height px of the page open now on a screen
// width px wide (and as tall as a laptop's or a phone's), taken only when
// JODO_SCREENSHOTS=1; the browser is back at 360 px after.
func screenshot(t *testing.T, ctx context.Context, width, height int64) []byte {
	t.Helper()
	if os.Getenv("JODO_SCREENSHOTS") != "1" {
		return nil
	}
	screen := int64(800)
	if width == 360 {
		screen = 740
	}
	do(t, ctx, "resize", chromedp.EmulateViewport(width, screen), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "resize back", chromedp.EmulateViewport(360, 740))
	return topOf(t, b, int(height))
}

// topOf is the top height px of a PNG, all of it if shorter.
func topOf(t *testing.T, picture []byte, height int) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(picture))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	top := img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(image.Rect(b.Min.X, b.Min.Y, b.Max.X, b.Min.Y+min(height, b.Dy())))
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, top); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
