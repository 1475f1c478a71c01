package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// In a browser, a member becomes a volunteer from /me: the link, the
// notice, a post's link refused beside Instagram with what was typed kept,
// then a profile accepted; /me shows the card, counted once at the AC.
func TestVolunteerOnMeInABrowser(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "en")
	link := followupLink(t, base, gw, "vol-1", "+919876500021")
	ctx := newBrowser(t)
	register(t, ctx, link, "Sunita Devi")
	count := func() int { return len(gw.Received()) }
	last := func() string { r := gw.Received(); return r[len(r)-1].Body }
	signIn(t, ctx, base, count, last, "98765 00021")

	do(t, ctx, "the volunteer page", chromedp.Click(chromedp.CSS("#become-volunteer-jh-sms")), chromedp.WaitVisible(chromedp.CSS("#vol-notice")), loaded)
	do(t, ctx, "a post's link", chromedp.Click(chromedp.CSS("#f-consent")), chromedp.Click(chromedp.CSS(`input[name=language][value=hi]`)),
		chromedp.Click(chromedp.CSS(`input[name=language][value=sat]`)), chromedp.SendKeys(chromedp.CSS("#f-handle-instagram"), "instagram.com/p/abc"),
		chromedp.SendKeys(chromedp.CSS("#f-handle-x"), "@sunita_d"), chromedp.Click(chromedp.CSS("#volunteer-submit")),
		chromedp.WaitVisible(chromedp.CSS("#err-handle-instagram")))
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-handle-x"))); v != "@sunita_d" {
		t.Errorf("the typed X handle was not kept: %q", v)
	}
	do(t, ctx, "a profile", chromedp.SetValue(chromedp.CSS("#f-handle-instagram"), "@sunita.devi"), chromedp.Click(chromedp.CSS("#volunteer-submit")),
		chromedp.WaitVisible(chromedp.CSS("#notice")), chromedp.WaitVisible(chromedp.CSS(".volunteer-card")))
	if s := text(t, ctx, ".v-handles"); !strings.Contains(s, "sunita.devi") || !strings.Contains(s, "sunita_d") {
		t.Errorf("the card's handles: %q", s)
	}
	checkCounts(t, storetest.Attach(t, dbURL), "JH-AC-063", map[string]int64{"volunteers": 1})
}
