package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// In a phone-sized browser the front page keeps the pages' policy, fits
// 360 px, switches language by its link, and its web join link opens the
// drive's join page.
func TestFrontPageInABrowser(t *testing.T) {
	t.Parallel()
	base := homeWorld(t)
	ctx := newBrowser(t)
	watchCSP(t, ctx)

	do(t, ctx, "open the front page", chromedp.Navigate(base+"/?lang=en"), chromedp.WaitVisible(chromedp.CSS(".web-join")))
	if v := cspViolations(t, ctx); len(v) != 0 {
		t.Errorf("the front page broke its policy: %v", v)
	}
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Errorf("the front page is %d px wide at 360", w)
	}
	do(t, ctx, "switch to Hindi", chromedp.Click(chromedp.CSS("#switch-lang")), chromedp.WaitVisible(chromedp.CSS("html[lang=hi] .web-join")))
	if h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1"))); h1 != "किसी अभियान से जुड़ें" {
		t.Errorf("after the language link the heading is %q", h1)
	}
	do(t, ctx, "follow the web join link", chromedp.Click(chromedp.CSS(".web-join")), chromedp.WaitVisible(chromedp.CSS("#phone-form")))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/d/jh-sms/join?lang=hi") {
		t.Errorf("the web join link led to %s", loc)
	}
}
