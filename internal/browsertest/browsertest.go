// Package browsertest starts headless Chromium for tests that drive pages
// (chromedp) and watches them for Content-Security-Policy violations. Only
// tests import it; it is kept out of the binary.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// New starts headless Chromium at a phone's width (360 px) for one test.
// Without Chromium the test skips, or fails under JODO_TEST_STRICT=1.
func New(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if storetest.Strict() {
			t.Fatal("Chromium is not installed (apt-get install -y chromium fonts-noto-core)")
		}
		t.Skip("Chromium is not installed")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(360, 740),
	}
	if os.Getuid() == 0 {
		opts = append(opts, chromedp.Flag("no-zygote", true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// WatchCSP records, on every page the browser opens from now on, each
// Content-Security-Policy violation (DevTools' script is not bound by
// the page's policy, so it sees them all); CSPViolations reads them.
func WatchCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	const watch = `window.__csp=[];document.addEventListener("securitypolicyviolation",function(e){window.__csp.push(e.violatedDirective+" "+e.blockedURI)});`
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatal(err)
	}
}

// CSPViolations are the violations of the page open now.
func CSPViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp||["no watcher"]`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
