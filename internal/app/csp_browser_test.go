package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/browsertest"
)

// watchCSP and cspViolations: browsertest.WatchCSP and CSPViolations.
func watchCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	browsertest.WatchCSP(t, ctx)
}

func cspViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return browsertest.CSPViolations(t, ctx)
}

// Under the pages' strict policy (no inline script), the join form's
// script still runs from its static file, and no page breaks the policy:
// the join form, sign-in, the verification page, an error page.
func TestPagesRunUnderStrictCSP(t *testing.T) {
	t.Parallel()
	_, gw, base := smsWorld(t, "hi")
	link := followupLink(t, base, gw, "csp-1", "+919123456781")
	ctx := newBrowser(t)
	watchCSP(t, ctx)

	do(t, ctx, "open the join form", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#join")))
	if visible, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById("locate").hidden`)); !visible {
		t.Error("the location button is still hidden: the join script did not run")
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(function(){var d=document.getElementById("f-district");
d.value=d.options[1].value;d.dispatchEvent(new Event("change"));
return [].filter.call(document.querySelectorAll("#f-ac optgroup"),function(g){return !g.hidden}).length})()`))
	if err != nil || shown != 1 {
		t.Errorf("after choosing a district, %d AC groups shown (%v), want 1: the district filter did not run", shown, err)
	}
	if v := cspViolations(t, ctx); len(v) != 0 {
		t.Errorf("the join form broke its policy: %v", v)
	}
	for _, path := range []string{"/signin", "/verify/ABCD-EFGH-JKX", "/no/such/page"} {
		do(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("h1")))
		if v := cspViolations(t, ctx); len(v) != 0 {
			t.Errorf("%s broke its policy: %v", path, v)
		}
	}
	// The error page's one style is allowed by its hash.
	if m, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).marginTop`)); m != "48px" {
		t.Errorf("the error page's style did not apply: margin-top %q", m)
	}
	if title, _ := chromedp.Run(ctx, chromedp.Title()); !strings.Contains(title, "Not Found") {
		t.Errorf("error page title %q", title)
	}
}
