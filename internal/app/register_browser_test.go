package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var joinLink = regexp.MustCompile(`https?://[^ ]+/j/[0-9a-z]{13}`)

// smsWorld is a served database with a drive in lang whose calls get SMS
// through a fake Exotel.
func smsWorld(t *testing.T, lang string) (dbURL string, gw *smstest.FakeGateway, base string) {
	t.Helper()
	dbURL = storetest.URL(t)
	smsDrive(t, dbURL, lang)
	gw = smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	return dbURL, gw, smsServe(t, dbURL, gw)
}

// followupLink gives the drive a missed call from phone and returns the
// registration link of the SMS that follows.
func followupLink(t *testing.T, base string, gw *smstest.FakeGateway, callID, phone string) string {
	t.Helper()
	before := len(gw.Received())
	smsCall(t, base, callID, phone)
	smsWait(t, "the follow-up SMS", func() bool { return len(gw.Received()) > before })
	link := joinLink.FindString(gw.Received()[before].Body)
	if link == "" {
		t.Fatalf("no registration link in %q", gw.Received()[before].Body)
	}
	return link
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// loaded waits for the page a click led to to finish loading (its
// scripts are files now): acting on nodes found while it still loads can
// meet "Could not find node with given id" once the document is updated.
var loaded = chromedp.Poll[chromedp.Void](`document.readyState === "complete"`)

// pageName is the page's data-page (join, joined, expired, unknown …).
func pageName(t *testing.T, ctx context.Context) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.page`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The SMS link's registration at 360 px, in Hindi: a first try with no
// consent and a one-letter name comes back with both marked and the answers
// kept; the corrected form makes a registered, verified member with a
// number, counted once at the chosen AC.
func TestRegisterFromSMSLinkInHindi(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "hi")
	link := followupLink(t, base, gw, "hi-1", "+919876543210")
	ctx := newBrowser(t)

	do(t, ctx, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#join")))
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "hi" {
		t.Fatalf("page language %q, want hi (the drive's)", lang)
	}
	if h := text(t, ctx, "h1"); !strings.Contains(h, "से जुड़ें") {
		t.Errorf("heading %q", h)
	}
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Errorf("the form is %d px wide at a 360 px screen", w)
	}

	do(t, ctx, "a first, wrong try",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "स"),
		chromedp.Click(chromedp.CSS(`input[name=age18][value=yes]`)),
		chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#errors")))
	for _, sel := range []string{"#err-consent", "#err-name", "#err-ac"} {
		if s := text(t, ctx, sel); s == "" {
			t.Errorf("%s has no message", sel)
		}
	}
	if s := text(t, ctx, "#err-consent"); !strings.Contains(s, "सहमति") {
		t.Errorf("consent error not in Hindi: %q", s)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-name"))); v != "स" {
		t.Errorf("the name typed was not kept: %q", v)
	}
	if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("input[name=age18][value=yes]").checked`)); !on {
		t.Error("the age answer was not kept")
	}

	do(t, ctx, "the corrected form",
		chromedp.Click(chromedp.CSS(`input[name=consent_membership]`)),
		chromedp.Click(chromedp.CSS(`input[name=consent_sms]`)),
		chromedp.SetValue(chromedp.CSS("#f-name"), "सुनीता देवी"),
		chromedp.SetValue(chromedp.CSS("#f-district"), "JH-D-RANCHI"),
		chromedp.SetValue(chromedp.CSS("#f-ac"), "JH-AC-063"),
		chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#number")))
	if p := pageName(t, ctx); p != "joined" {
		t.Fatalf("after registering: page %q", p)
	}
	number := strings.ReplaceAll(text(t, ctx, "#number"), "-", "")
	if _, err := membership.Parse(number); err != nil {
		t.Fatalf("membership number %q: %v", number, err)
	}
	if a := text(t, ctx, "#member-area"); a != "रांची" {
		t.Errorf("area shown %q, want रांची", a)
	}

	width, err := chromedp.Run(ctx, chromedp.Poll[int](`(function(){var i=document.querySelector("img.card");return i&&i.complete&&i.naturalWidth})()`))
	if err != nil || width != 1012 {
		t.Errorf("the card image did not load: width %d, %v", width, err)
	}
	checkVerify(t, base, number)

	db := storetest.Attach(t, dbURL)
	checkMember(t, db, "+919876543210", "सुनीता देवी", "hi", []string{store.PurposeMembership, store.PurposeSMS})
	checkCounts(t, db, "JH-AC-063", map[string]int64{"members": 1, "verified": 1})

	// The same form posted again (a double tap, a resend) changes nothing
	// and leads to the member's page.
	resp, err := http.PostForm(link, url.Values{"lang": {"hi"}, "consent_membership": {"yes"}, "age18": {"yes"},
		"name": {"सुनीता देवी"}, "district": {"JH-D-RANCHI"}, "ac": {"JH-AC-063"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), `data-page="joined"`) {
		t.Errorf("the form posted again: %d %s", resp.StatusCode, page)
	}
	checkCounts(t, db, "JH-AC-063", map[string]int64{"members": 1, "verified": 1})
}

// In English, chosen on the page, and by "use my location": the browser's
// position picks the AC, which the person confirms.
func TestRegisterInEnglishByLocation(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "hi")
	link := followupLink(t, base, gw, "en-1", "+919123456789")
	ctx := newBrowser(t)

	lat, lon := 23.3441, 85.3096 // Ranchi
	shapes, err := geo.JharkhandACs()
	if err != nil {
		t.Fatal(err)
	}
	want, ok := shapes.Locate(lat, lon)
	if !ok {
		t.Fatal("the test's point is in no AC")
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted}); err != nil {
		t.Fatal(err)
	}
	acc := 10.0
	if _, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
		Latitude: &lat, Longitude: &lon, Accuracy: &acc}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "open the link in English", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#switch-lang")),
		chromedp.Click(chromedp.CSS("#switch-lang")), chromedp.WaitVisible(chromedp.CSS("#join")), loaded)
	if h := text(t, ctx, "h1"); !strings.HasPrefix(h, "Join ") {
		t.Fatalf("heading after switching to English: %q", h)
	}
	do(t, ctx, "use my location", chromedp.Click(chromedp.CSS(`input[name=consent_membership]`)),
		chromedp.Click(chromedp.CSS("#locate")), chromedp.WaitVisible(chromedp.CSS("#located")))
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-ac"))); v != want {
		t.Fatalf("location chose %q, want %q", v, want)
	}
	if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("input[name=consent_membership]").checked`)); !on {
		t.Error("the consent given before locating was lost")
	}
	do(t, ctx, "forget the age", chromedp.SendKeys(chromedp.CSS("#f-name"), "Kshitij Oraon"),
		chromedp.Click(chromedp.CSS("#send")), chromedp.WaitVisible(chromedp.CSS("#err-age")))
	if s := text(t, ctx, "#err-age"); s != "Please say whether you are 18 or older." {
		t.Errorf("age error in English: %q", s)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-ac"))); v != want {
		t.Errorf("the located AC was lost on the error page: %q", v)
	}
	do(t, ctx, "finish", chromedp.Click(chromedp.CSS(`input[name=age18][value=yes]`)),
		chromedp.Click(chromedp.CSS("#send")), chromedp.WaitVisible(chromedp.CSS("#number")))
	if h := text(t, ctx, "h1"); h != "Welcome, Kshitij Oraon!" {
		t.Errorf("heading %q", h)
	}
	db := storetest.Attach(t, dbURL)
	checkMember(t, db, "+919123456789", "Kshitij Oraon", "en", []string{store.PurposeMembership})
	checkCounts(t, db, want, map[string]int64{"members": 1, "verified": 1})
}

// An under-18 answer ends the lead: a page that says why, the person's
// data gone (the number in no column of any table), the number suppressed
// so a new call makes nothing, the link ended.
func TestUnder18IsRefusedAndForgotten(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "hi")
	link := followupLink(t, base, gw, "u-1", "+919000000001")
	ctx := newBrowser(t)
	do(t, ctx, "answer under 18", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#join")),
		chromedp.Click(chromedp.CSS(`input[name=consent_membership]`)),
		chromedp.Click(chromedp.CSS(`input[name=age18][value=no]`)),
		chromedp.Click(chromedp.CSS("#send")), chromedp.WaitReady(chromedp.CSS("body[data-page=under18]")))
	db := storetest.Attach(t, dbURL)
	err := db.View(context.Background(), func(tx *store.Tx) error {
		id, err := store.FindByContact(context.Background(), tx, store.ContactPhone, "+919000000001")
		if err == nil {
			t.Errorf("the under-18 person's phone is still held (person %d)", id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantNoNumber(t, db, "after the under-18 refusal", "+919000000001")
	smsCall(t, base, "u-2", "+919000000001")
	if n := len(smsSenderPass(t, db, gw)); n != 1 {
		t.Errorf("a call from the refused number made another SMS (%d in all)", n)
	}
	wantNoNumber(t, db, "after a new call from the refused number", "+919000000001")
	do(t, ctx, "the link again", chromedp.Navigate(link), chromedp.WaitReady(chromedp.CSS("body")))
	if p := pageName(t, ctx); p != "ended" {
		t.Errorf("the used link of a refused person shows %q", p)
	}
}

// checkMember checks what is stored of the member with phone.
func checkMember(t *testing.T, db *store.DB, phone, name, lang string, purposes []string) {
	t.Helper()
	ctx := context.Background()
	err := db.View(ctx, func(tx *store.Tx) error {
		id, err := store.FindByContact(ctx, tx, store.ContactPhone, phone)
		if err != nil {
			return err
		}
		p, err := store.GetPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Name != name || p.Language != lang || p.MembershipNo == "" || p.AreaID == 0 {
			t.Errorf("person: %+v", p)
		}
		cs, err := store.Consents(ctx, tx, id)
		if err != nil {
			return err
		}
		var got []string
		for _, c := range cs {
			if c.WithdrawnAt.IsZero() && c.Channel == "web" && c.NoticeVersion != "" && c.Language == lang {
				got = append(got, c.Purpose)
			}
		}
		if strings.Join(got, ",") != strings.Join(purposes, ",") {
			t.Errorf("consents in force %v, want %v (%+v)", got, purposes, cs)
		}
		contacts, err := store.Contacts(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, c := range contacts {
			if c.Kind == store.ContactPhone && c.VerifiedAt.IsZero() {
				t.Errorf("the phone the link proved is not verified")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkCounts checks the drive's counters recorded at an area, by metric.
func checkCounts(t *testing.T, db *store.DB, code string, want map[string]int64) {
	t.Helper()
	wantCounts(t, storetest.CountsAt(t, db, code), code, want)
}

// wantCounts checks sums by metric, got for what, against want.
func wantCounts(t *testing.T, got map[string]int64, what string, want map[string]int64) {
	t.Helper()
	for m, v := range want {
		if got[m] != v {
			t.Errorf("%s for %s: %d, want %d (all: %v)", m, what, got[m], v, got)
		}
	}
}

// checkVerify checks /verify: without the card's signature only "valid";
// with it the initial and area; a made-up number is not valid.
func checkVerify(t *testing.T, base, number string) {
	t.Helper()
	code, page := get(t, base+"/verify/"+number+"?lang=hi")
	if code != http.StatusOK || !strings.Contains(page, `data-valid="yes"`) || strings.Contains(page, `id="details"`) {
		t.Errorf("unsigned verify: %d %s", code, page)
	}
	signed := membership.VerifyURL(base, []byte(processSecretKey), number)
	code, page = get(t, signed+"&lang=hi")
	if code != http.StatusOK || !strings.Contains(page, `<dd id="initial">स.</dd>`) || !strings.Contains(page, `<dd id="area">रांची</dd>`) ||
		strings.Contains(page, "सुनीता") {
		t.Errorf("signed verify: %d %s", code, page)
	}
	other := []byte(number)
	other[0] = map[bool]byte{true: '1', false: '0'}[other[0] == '0']
	if code, page := get(t, base+"/verify/"+string(other)); code != http.StatusNotFound || !strings.Contains(page, `data-valid="no"`) {
		t.Errorf("a made-up number: %d %s", code, page)
	}
}
