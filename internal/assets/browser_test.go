package assets_test

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/assets"
	"github.com/jodo-org/jodo/internal/browsertest"
)

// consolePolicy is the console's Content-Security-Policy: scripts, styles
// and requests from the server itself, nothing inline.
const consolePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'"

// consoleHead is the <head> VENDOR.md tells the console's layout to use,
// with its static addresses filled in.
func consoleHead(t *testing.T) template.HTML {
	t.Helper()
	m := fromVendor(t, "(?s)```html\n(.*?)```", "<head>")
	tmpl := template.Must(template.New("head").Funcs(template.FuncMap{"static": assets.URL}).Parse(string(m[1])))
	var b bytes.Buffer
	if err := tmpl.Execute(&b, nil); err != nil {
		t.Fatal(err)
	}
	return template.HTML(b.String())
}

// testPage serves, under the console's policy, a page with head, an htmx
// button, a confirmed htmx POST and a poller, and counts the POSTs.
type testPage struct {
	*httptest.Server
	posts atomic.Int32
}

func newTestPage(t *testing.T, head template.HTML) *testPage {
	p := &testPage{}
	mux := http.NewServeMux()
	mux.Handle("GET /static/{name}", assets.Handler)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", consolePolicy)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>%s</head><body>
<header class="bar"><b>Jodo</b><span class="who">Asha · admin</span></header>
<main><button id="load" class="secondary" hx-get="/part" hx-target="#out">Load</button><span class="htmx-indicator" id="ind">…</span>
<div id="out">empty</div>
<button id="reveal" hx-post="/reveal" hx-target="#out" data-confirm="Reveal?">Reveal</button>
<div id="poll" hx-get="/poll" hx-trigger="every 200ms, visible" hx-swap="none"></div></main></body></html>`, head)
	})
	mux.HandleFunc("GET /part", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<div class="scroll"><table><tr><td id="row">loaded</td>`+strings.Repeat("<td>a wide column of a table</td>", 12)+`</tr></table></div>`)
	})
	mux.HandleFunc("POST /reveal", func(w http.ResponseWriter, r *http.Request) {
		p.posts.Add(1)
		fmt.Fprint(w, `<p id="revealed">revealed</p>`)
	})
	mux.HandleFunc("GET /poll", func(w http.ResponseWriter, r *http.Request) {})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

// The console's head (VENDOR.md) under the console's policy: htmx 2 loads,
// swaps a fragment, injects no <style>, and nothing breaks the policy;
// console.css applies, including htmx's indicator rules and the table
// that scrolls on a phone.
func TestHTMXUnderConsolePolicy(t *testing.T) {
	p := newTestPage(t, consoleHead(t))
	ctx := browsertest.New(t)
	browsertest.WatchCSP(t, ctx)
	openPage(t, ctx, p.URL)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#load")), chromedp.WaitVisible(chromedp.CSS("#row"))); err != nil {
		t.Fatalf("loading a fragment with htmx: %v", err)
	}
	check := func(expr, want string) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", expr, got, err, want)
		}
	}
	check(`htmx.version`, "2.0.11")
	check(`String(document.querySelectorAll("style").length)`, "0")
	check(`getComputedStyle(document.body).backgroundColor`, "rgb(250, 248, 245)")
	check(`getComputedStyle(document.getElementById("ind")).opacity`, "0")
	// At 360 px a wide table scrolls inside its box; the page does not widen.
	check(`String(document.documentElement.scrollWidth)`, "360")
	check(`String(document.querySelector(".scroll").scrollWidth > 1000)`, "true")
	if v := browsertest.CSPViolations(t, ctx); len(v) != 0 {
		t.Errorf("the console's head broke its policy: %v", v)
	}
}

// Without the htmx-config meta tag, htmx injects its indicator <style>
// and the policy blocks it: the check above can fail.
func TestHTMXDefaultsBreakPolicy(t *testing.T) {
	head := regexp.MustCompile(`<meta name="htmx-config"[^>]*>`).ReplaceAllString(string(consoleHead(t)), "")
	p := newTestPage(t, template.HTML(head))
	ctx := browsertest.New(t)
	browsertest.WatchCSP(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(p.URL)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.htmx && window.__csp.length > 0`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("htmx with its defaults broke no policy: %v %v", err, browsertest.CSPViolations(t, ctx))
	}
}

// openPage opens the test page and waits until htmx has read its config.
func openPage(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!window.htmx && htmx.config.includeIndicatorStyles === false`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("htmx did not start with the console's config: %v", err)
	}
}

// console.js: data-confirm stops an htmx POST unless the person agrees;
// polling stops while the tab is hidden and refreshes when it is shown.
func TestConsoleScript(t *testing.T) {
	p := newTestPage(t, consoleHead(t))
	ctx := browsertest.New(t)
	js := func(expr string, wait time.Duration) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr+";true")); err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		time.Sleep(wait)
	}
	openPage(t, ctx, p.URL)
	js(`window.confirm=function(){return false};document.getElementById("reveal").click()`, 300*time.Millisecond)
	if n := p.posts.Load(); n != 0 {
		t.Errorf("a refused confirm still posted %d times", n)
	}
	js(`window.confirm=function(){return true};document.getElementById("reveal").click()`, 0)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#revealed"))); err != nil {
		t.Fatal(err)
	}
	if n := p.posts.Load(); n != 1 {
		t.Errorf("an agreed confirm posted %d times, want 1", n)
	}

	// What set off each request htmx sends: a poll's tick has no event.
	js(`window.__sent=[];document.addEventListener("htmx:beforeSend",function(e){var ev=e.detail.requestConfig.triggeringEvent;window.__sent.push(ev?ev.type:"tick")})`, 500*time.Millisecond)
	sent := func() []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__sent`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if s := sent(); len(s) == 0 || s[0] != "tick" {
		t.Fatalf("the poller sent %v in half a second, want ticks", s)
	}
	js(`Object.defineProperty(document,"hidden",{configurable:true,get:function(){return true}});window.__sent=[]`, time.Second)
	if s := sent(); len(s) != 0 {
		t.Errorf("sent %v while the tab was hidden", s)
	}
	js(`delete document.hidden;document.dispatchEvent(new Event("visibilitychange"))`, 100*time.Millisecond)
	if s := sent(); !slices.Contains(s, "visible") {
		t.Errorf("sent %v when the tab was shown again, want a refresh set off by \"visible\"", s)
	}
}
