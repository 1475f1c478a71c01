package app_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// groupLinks are ten invite links: seven WhatsApp groups, a Telegram
// group, a Facebook group and a WhatsApp channel.
func groupLinks() []string {
	var out []string
	for i := range 7 {
		out = append(out, fmt.Sprintf("https://chat.whatsapp.com/RanchiHatiaGroup%06d", i))
	}
	return append(out, "https://t.me/+HatiaTelegram2026x", "https://www.facebook.com/groups/hatia.jodo", "https://whatsapp.com/channel/0029HatiaChannel000000001")
}

// groupForm is the /me/groups form registering link as name, at the
// volunteer's work area.
func groupForm(lang, link, name string) url.Values {
	return url.Values{"lang": {lang}, "drive": {"jh-sms"}, "link": {link}, "name": {name}, "ac": {"JH-AC-064"},
		"language": {"hi"}, "size": {"51-100"}}
}

var confirmButton = regexp.MustCompile(`id="confirm-group-(\d+)"`)

// A volunteer registers ten groups on /me (a WhatsApp group, a Telegram
// group, a Facebook group and a WhatsApp channel among them) and sees "10
// of 10", each with its invite link; the groups counter at their AC is 10.
// The same link from another volunteer is refused as registered, without
// saying by whom, and the other volunteer never sees the link; two
// volunteers registering one link at once make one group. "Still active"
// and "Remove" (after a confirmation) work on the volunteer's own groups
// only.
func TestGroupsOnMe(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	ravi := w.person("919812300061")
	raviNumber := ravi.joinInEnglish(t, false)
	c := w.signInOnMe("+91 98123 00061")
	w.form(c, "/me/volunteer", volunteerForm("en"), http.StatusOK)

	page := w.getWith(c, "/me/groups?drive=jh-sms&lang=hi", http.StatusOK)
	for _, want := range []string{`id="group-form"`, `<option value="JH-AC-064" selected>`, `<option value="hi" selected>`, "न्योता लिंक", `value="1025+"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the group form lacks %q", want)
		}
	}

	bad := html.UnescapeString(w.form(c, "/me/groups", groupForm("hi", "https://instagram.com/hatia", "हटिया"), http.StatusUnprocessableEntity))
	if !strings.Contains(bad, `id="err-link"`) || !strings.Contains(bad, "हम सिर्फ़ WhatsApp, Telegram और Facebook ग्रुप") ||
		!strings.Contains(bad, `value="https://instagram.com/hatia"`) || !strings.Contains(bad, `value="हटिया"`) {
		t.Errorf("a link from another site: %.3000s", bad)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"groups": 0})

	links := groupLinks()
	for i, l := range links {
		w.form(c, "/me/groups", groupForm("en", l, fmt.Sprintf("Hatia group %d", i+1)), http.StatusOK)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"groups": 10})
	me := w.getWith(c, "/me?lang=en", http.StatusOK)
	for _, want := range append([]string{"My groups: 10 of 10", "WhatsApp group", "Telegram", "Facebook group", "WhatsApp channel",
		"Hatia group 10", `id="add-group-jh-sms"`}, links...) {
		if !strings.Contains(me, want) {
			t.Errorf("/me of a volunteer with ten groups lacks %q", want)
		}
	}
	ids := confirmButton.FindAllStringSubmatch(me, -1)
	if len(ids) != 10 {
		t.Fatalf("%d still-active buttons, want 10", len(ids))
	}

	asha := w.person("919812300062")
	asha.joinInEnglish(t, false)
	c2 := w.signInOnMe("+91 98123 00062")
	form := volunteerForm("en")
	form.Del("handle.instagram")
	form.Del("handle.x")
	w.form(c2, "/me/volunteer", form, http.StatusOK)
	taken := html.UnescapeString(w.form(c2, "/me/groups", groupForm("en", strings.ToUpper(links[0][:26])+links[0][26:], "Mine"), http.StatusUnprocessableEntity))
	if !strings.Contains(taken, "This group is already registered.") || !strings.Contains(taken, `id="err-link"`) {
		t.Errorf("a link someone else registered: %.3000s", taken)
	}
	for _, leak := range []string{"Ravi", raviNumber, "98123 00061", "9812300061", "Hatia group"} {
		if strings.Contains(taken, leak) {
			t.Errorf("the refusal shows %q", leak)
		}
	}
	if me2 := w.getWith(c2, "/me?lang=en", http.StatusOK); strings.Contains(me2, "RanchiHatiaGroup") || !strings.Contains(me2, "My groups: 0 of 10") {
		t.Errorf("the other volunteer's /me: %.3000s", me2)
	}
	// Someone else's group is not found, and stays as it was.
	w.form(c2, "/me/groups/remove", url.Values{"lang": {"en"}, "group": {ids[0][1]}, "confirm": {"yes"}}, http.StatusNotFound)
	w.form(c2, "/me/groups/confirm", url.Values{"lang": {"en"}, "group": {ids[0][1]}}, http.StatusNotFound)
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"groups": 10})

	// Two volunteers register one new link at once: one group.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, cl := range []*http.Client{c, c2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := cl.PostForm(w.base+"/me/groups", groupForm("en", "https://chat.whatsapp.com/BothAtOnceGroup0000001", "Both"))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	if !(codes[0] == http.StatusOK && codes[1] == http.StatusUnprocessableEntity) && !(codes[1] == http.StatusOK && codes[0] == http.StatusUnprocessableEntity) {
		t.Errorf("two registrations of one link at once: HTTP %v, want one 200 and one 422", codes)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"groups": 11})

	// Still active, and remove after a confirmation.
	if page := w.form(c, "/me/groups/confirm", url.Values{"lang": {"en"}, "group": {ids[0][1]}}, http.StatusOK); !strings.Contains(page, "30 more days") {
		t.Errorf("still active: %.1000s", page)
	}
	page = w.form(c, "/me/groups/remove", url.Values{"lang": {"en"}, "group": {ids[1][1]}}, http.StatusUnprocessableEntity)
	if !strings.Contains(page, `id="err-group-`+ids[1][1]+`"`) {
		t.Errorf("removing without the confirmation: %.2000s", page)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"groups": 11})
	page = w.form(c, "/me/groups/remove", url.Values{"lang": {"en"}, "group": {ids[1][1]}, "confirm": {"yes"}}, http.StatusOK)
	if !strings.Contains(page, "The group has been removed.") || strings.Contains(page, links[1]) {
		t.Errorf("/me after removing a group: %.2000s", page)
	}
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"groups": 10})
}
