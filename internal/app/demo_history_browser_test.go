package app_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A newcomer's first look: the demo with its generated history opens, by
// its printed sign-in link, on a dashboard in full swing — day 11 of 30,
// tens of thousands of members, constituencies coloured from far behind
// to ahead. With JODO_SCREENSHOTS=1 the page is the README's picture
// (docs/demo-dashboard.png).
func TestDemoHistoryInTheBrowser(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	startWith(t, "demo", storetest.URL(t), &out, nil, "--seed", "1", "--quiet")
	ctx := newBrowser(t)
	watchCSP(t, ctx)
	browserSignIn(t, ctx, demoLink(t, out.String()))
	link := strings.TrimSuffix(strings.Split(demoLink(t, out.String()), "/signin/")[0], "/")
	openDashboard(t, ctx, link+"/console?drive=jh-warriors&metric=members&lang=en", "Jharkhand (JH)")
	if when := text(t, ctx, "#when"); !strings.Contains(when, "day 11 of 30") {
		t.Errorf("the demo's dashboard says %q, want day 11 of 30", when)
	}
	members, err := strconv.Atoi(ungrouped(text(t, ctx, "#m-members .actual")))
	if err != nil || members < 50_000 {
		t.Errorf("the demo's members card shows %d (%v), want a drive in full swing", members, err)
	}
	bands, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll("#map path")].map(p => p.getAttribute("class")))].sort()`))
	if err != nil || len(bands) < 3 {
		t.Errorf("the map's bands are %v %v, want constituencies ahead and behind", bands, err)
	}
	dashboardFits(t, ctx, "the demo's dashboard")
	shot := screenshot(t, ctx, 1280, 1100)
	if os.Getenv("JODO_SCREENSHOTS") == "1" {
		if err := os.WriteFile("../../docs/demo-dashboard.png", shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
