package app_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// The Done-when, in a browser at 360 px: on /demo/phone a number
// gives a missed call and its SMS shows within seconds; its link registers
// the person in Hindi and shows the membership number; a second number
// joins by the WhatsApp chat in English, tapping the bot's buttons and list
// rows; the dashboard, signed in with the demo's printed link, counts both.
// --quiet keeps the trickle from blurring the counts.
func TestDemoPhoneInTheBrowser(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	base, _, _ := startWith(t, "demo", storetest.URL(t), &out, map[string]string{"JODO_DASHBOARD_POLL": "2s"}, "--quiet")
	if !strings.Contains(out.String(), base+"/demo/phone") {
		t.Errorf("the demo does not print its phone page:\n%s", out.String())
	}
	ctx := newBrowser(t)
	watchCSP(t, ctx)
	browserSignIn(t, ctx, demoLink(t, out.String()))
	members, leads := shownCount(t, ctx, "#m-members .actual"), shownCount(t, ctx, "#m-leads .actual")

	do(t, ctx, "open the phone", chromedp.Navigate(base+"/demo/phone?lang=hi"), chromedp.WaitVisible(chromedp.CSS("#f-number")), loaded)
	fits(t, ctx, "the phone page")
	do(t, ctx, "a number that is not the demo's", chromedp.SetValue(chromedp.CSS("#f-number"), "+91 98765 43210"),
		chromedp.Click(chromedp.CSS("#use")), chromedp.WaitVisible(chromedp.CSS("#error")), loaded)
	do(t, ctx, "take a demo number", chromedp.SetValue(chromedp.CSS("#f-number"), "+91 70000 10001"),
		chromedp.Click(chromedp.CSS("#use")), chromedp.WaitVisible(chromedp.CSS("#call")), loaded)
	if n := text(t, ctx, "#tollfree"); n != "1800 000 0000" {
		t.Errorf("the phone calls %q, want the demo drive's 1800 000 0000", n)
	}
	do(t, ctx, "give a missed call", chromedp.Click(chromedp.CSS("#call")), chromedp.WaitVisible(chromedp.CSS("#sms")), loaded)
	start := time.Now()
	do(t, ctx, "the SMS arrives", chromedp.WaitVisible(chromedp.CSS(`#sms a[href*="/j/"]`)))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the SMS took %v to show", d)
	}
	fits(t, ctx, "the SMS screen")
	shots := map[string][]byte{"demo-phone-sms.png": screenshot(t, ctx, 420, 800)}
	do(t, ctx, "tap its link", chromedp.Click(chromedp.CSS(`#sms a[href*="/j/"]`)), chromedp.WaitVisible(chromedp.CSS("#join")), loaded)
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "hi" {
		t.Fatalf("the registration page is in %q, want Hindi", lang)
	}
	do(t, ctx, "register in Hindi",
		chromedp.Click(chromedp.CSS(`input[name=consent_membership]`)),
		chromedp.Click(chromedp.CSS(`input[name=age18][value=yes]`)),
		chromedp.SetValue(chromedp.CSS("#f-name"), "सुनीता देवी"),
		chromedp.SetValue(chromedp.CSS("#f-district"), "JH-D-RANCHI"),
		chromedp.SetValue(chromedp.CSS("#f-ac"), "JH-AC-063"),
		chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#number")))
	if _, err := membership.Parse(strings.ReplaceAll(text(t, ctx, "#number"), "-", "")); err != nil {
		t.Fatalf("membership number %q: %v", text(t, ctx, "#number"), err)
	}

	do(t, ctx, "a second number, in English", chromedp.Navigate(base+"/demo/phone?lang=en"), chromedp.WaitVisible(chromedp.CSS("#f-number")), loaded,
		chromedp.SetValue(chromedp.CSS("#f-number"), "7000010002"), chromedp.Click(chromedp.CSS("#use")), chromedp.WaitVisible(chromedp.CSS("#app-wa")), loaded)
	do(t, ctx, "open WhatsApp", chromedp.Click(chromedp.CSS("#app-wa")), chromedp.WaitVisible(chromedp.CSS("#f-text")), loaded)
	fits(t, ctx, "the WhatsApp chat")
	say := func(what, text string) {
		t.Helper()
		chat(t, ctx, what, `document.querySelector("#f-text").value = `+strconv.Quote(text)+`; document.querySelector("#send").click()`)
	}
	tap := func(what, id string) {
		t.Helper()
		waitFor(t, ctx, what, `document.querySelector(`+strconv.Quote(`#chat button[value="`+id+`"]`)+`) !== null`)
		chat(t, ctx, what, `document.querySelector(`+strconv.Quote(`#chat button[value="`+id+`"]`)+`).click()`)
	}
	asked := func(what, words string) {
		t.Helper()
		waitFor(t, ctx, what, `[...document.querySelectorAll("#chat .theirs")].some(b => b.textContent.includes(`+strconv.Quote(words)+`))`)
	}
	say("say hi", "Hi")
	tap("English", "lang:en")
	tap("consent", "consent:yes")
	tap("no news", "optin:no")
	tap("18 or older", "age:yes")
	asked("the bot asks the name", "name")
	say("the name", "Ravi Kumar")
	asked("the bot asks the district", "district")
	say("the district", "Ranchi")
	tap("the AC, a list row", "a:JH-AC-063")
	asked("the welcome", "Ravi Kumar")
	if n := memberNumber.FindString(text(t, ctx, "#chat")); n == "" {
		t.Errorf("the welcome in the chat has no membership number: %s", text(t, ctx, "#chat"))
	}
	if v := cspViolations(t, ctx); len(v) != 0 {
		t.Errorf("the phone page broke its policy: %v", v)
	}
	shots["demo-phone-whatsapp.png"] = screenshot(t, ctx, 420, 800)
	if os.Getenv("JODO_SCREENSHOTS") == "1" {
		for name, b := range shots {
			if err := os.WriteFile("../../docs/"+name, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	do(t, ctx, "open the dashboard", chromedp.Navigate(base+"/console"), chromedp.WaitVisible(chromedp.CSS("#m-members")), loaded)
	do(t, ctx, "both show on the dashboard", chromedp.Poll[chromedp.Void](`(() => {
		const n = s => Number(document.querySelector(s).textContent.replaceAll(",", ""));
		return n("#m-members .actual") === `+strconv.Itoa(members+2)+` && n("#m-leads .actual") === `+strconv.Itoa(leads+2)+`; })()`,
		chromedp.WithPollingTimeout(time.Minute)))
}

// chat runs js (a send or a tap) on the chat's page and waits for the
// page the form leads to.
func chat(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.before = true; `+js+`; true`)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	waitFor(t, ctx, what, `window.before === undefined && document.readyState === "complete" && document.querySelector("#f-text") !== null`)
}

// waitFor polls js until it is true, through the page being replaced
// under it, for up to 15 s.
func waitFor(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after 15 s (%v)", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// shownCount is a count the dashboard shows, without its separators.
func shownCount(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(text(t, ctx, sel), ",", ""))
	if err != nil {
		t.Fatalf("%s shows %q", sel, text(t, ctx, sel))
	}
	return n
}

// /demo/phone is jodo demo's alone: jodo serve answers it, its parts and
// its actions with 404.
func TestDemoPhoneNotServed(t *testing.T) {
	t.Parallel()
	base, _, _ := startServer(t, storetest.URL(t))
	for _, path := range []string{"/demo/phone", "/demo/phone/sms?n=%2B917000010001", "/demo/phone/chat?n=%2B917000010001"} {
		if code, _ := get(t, base+path); code != http.StatusNotFound {
			t.Errorf("serve answers GET %s with %d, want 404", path, code)
		}
	}
	resp, err := http.PostForm(base+"/demo/phone/call", url.Values{"n": {"+917000010001"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("serve answers POST /demo/phone/call with %d, want 404", resp.StatusCode)
	}
}
