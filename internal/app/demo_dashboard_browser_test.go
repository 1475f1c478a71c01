package app_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// The demo check in a browser: `jodo demo`'s printed sign-in link
// lands on the dashboard of the demo drive, in Hindi; a missed call given with the
// printed curl shows on the open page at its next refresh (every 2 s
// here), without a reload.
func TestDemoDashboardInTheBrowser(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	startWith(t, "demo", storetest.URL(t), &out, map[string]string{"JODO_DASHBOARD_POLL": "2s"}, "--quiet")
	ctx := newBrowser(t)
	watchCSP(t, ctx)
	browserSignIn(t, ctx, demoLink(t, out.String()))
	waitHeading(t, ctx, "झारखंड (JH)") // the demo admin reads Hindi, the drive's language
	if drive, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#f-drive").value`)); drive != "jh-warriors" {
		t.Errorf("the dashboard shows the drive %q, want the demo's jh-warriors", drive)
	}
	if members := text(t, ctx, "#m-members"); !strings.Contains(members, "5,00,000 में से") {
		t.Errorf("the demo's members card shows %q, want its target of 5,00,000", members)
	}
	leads := text(t, ctx, "#m-leads .actual")
	consoleFits(t, ctx, "the demo's dashboard")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}

	curl := demoCurl(t, out.String())
	if b, err := exec.Command("sh", "-c", curl+" --fail --silent --show-error").CombinedOutput(); err != nil {
		t.Fatalf("%s: %v %s", curl, err, b)
	}
	want := strings.ReplaceAll(leads, ",", "")
	do(t, ctx, "wait for the call on the page", chromedp.Poll[chromedp.Void](`(() => {
		const shown = document.querySelector("#m-leads .actual").textContent.replaceAll(",", "");
		return window.notReloaded === true && Number(shown) === `+want+` + 1; })()`, chromedp.WithPollingTimeout(15*time.Second)))
}

// demoCurl is the missed-call curl the demo prints.
func demoCurl(t *testing.T, out string) string {
	t.Helper()
	for line := range strings.SplitSeq(out, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "curl ") && strings.Contains(line, "/hooks/missed-call/") {
			return line
		}
	}
	t.Fatalf("no missed-call curl printed:\n%s", out)
	return ""
}
