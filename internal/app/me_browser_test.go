package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

var signinCode = regexp.MustCompile(`^(\d{6}) `)

// signIn signs the browser in as the owner of phone, reading the code from
// the SMS the fake gateway received.
func signIn(t *testing.T, ctx context.Context, base string, gwCount func() int, lastBody func() string, phone string) {
	t.Helper()
	before := gwCount()
	do(t, ctx, "ask for a code", chromedp.Navigate(base+"/signin?lang=en"), chromedp.WaitVisible(chromedp.CSS("#f-phone")),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), phone), chromedp.Click(chromedp.CSS("#send-phone")),
		chromedp.WaitVisible(chromedp.CSS("#f-code")))
	smsWait(t, "the sign-in code", func() bool { return gwCount() > before })
	m := signinCode.FindStringSubmatch(lastBody())
	if m == nil {
		t.Fatalf("no code in %q", lastBody())
	}
	do(t, ctx, "type a wrong code", chromedp.SendKeys(chromedp.CSS("#f-code"), wrongCode(m[1])), chromedp.Click(chromedp.CSS("#send-code")),
		chromedp.WaitVisible(chromedp.CSS("#signin-error")))
	do(t, ctx, "type the code", chromedp.SendKeys(chromedp.CSS("#f-code"), m[1]), chromedp.Click(chromedp.CSS("#send-code")),
		chromedp.WaitVisible(chromedp.CSS("#profile")))
}

// register fills in the form at link as name, in AC 63 with SMS news,
// and waits for the joined page.
func register(t *testing.T, ctx context.Context, link, name string) {
	t.Helper()
	do(t, ctx, "register", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#join")),
		chromedp.Click(chromedp.CSS(`input[name=consent_membership]`)), chromedp.Click(chromedp.CSS(`input[name=consent_sms]`)),
		chromedp.Click(chromedp.CSS(`input[name=age18][value=yes]`)), chromedp.SendKeys(chromedp.CSS("#f-name"), name),
		chromedp.SetValue(chromedp.CSS("#f-ac"), "JH-AC-063"), chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#number")))
}

func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// A member signs in with a code at 360 px, corrects their name, withdraws
// SMS consent, and erases their data; a replay of their old missed call
// changes nothing and a new call from the number is a fresh lead.
func TestMeCorrectWithdrawErase(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "en")
	link := followupLink(t, base, gw, "me-1", "+919876500001")
	ctx := newBrowser(t)
	register(t, ctx, link, "Sunita Devi")

	count := func() int { return len(gw.Received()) }
	last := func() string { r := gw.Received(); return r[len(r)-1].Body }
	signIn(t, ctx, base, count, last, "98765 00001")
	if s := text(t, ctx, "#p-name"); s != "Sunita Devi" {
		t.Errorf("profile name %q", s)
	}
	if s := text(t, ctx, "#p-phone"); strings.Contains(s, "9876500001") || s == "" {
		t.Errorf("the phone is shown unmasked or not at all: %q", s)
	}
	if s := text(t, ctx, "#messages"); !strings.Contains(s, "/j/") {
		t.Errorf("the follow-up SMS is not listed: %q", s)
	}

	do(t, ctx, "a wrong, then a right correction", chromedp.SetValue(chromedp.CSS("#f-name"), "S"), chromedp.Click(chromedp.CSS("#save-details")),
		chromedp.WaitVisible(chromedp.CSS("#err-name")))
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-name"))); v != "S" {
		t.Errorf("the typed name was not kept: %q", v)
	}
	do(t, ctx, "correct the name", chromedp.SetValue(chromedp.CSS("#f-name"), "Sunita Kumari"), chromedp.Click(chromedp.CSS("#save-details")),
		chromedp.WaitVisible(chromedp.CSS("#notice")), chromedp.WaitNotPresent(chromedp.CSS("#err-name")))
	if s := text(t, ctx, "#p-name"); s != "Sunita Kumari" {
		t.Errorf("after correcting: %q", s)
	}
	do(t, ctx, "withdraw SMS consent", chromedp.Click(chromedp.CSS("#withdraw-sms")), chromedp.WaitVisible(chromedp.CSS("#grant-sms")))
	if st, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("consent-sms").dataset.state`)); st != "withdrawn" {
		t.Errorf("SMS consent is %q after withdrawing", st)
	}

	do(t, ctx, "erase without confirming", chromedp.Click(chromedp.CSS("#erase")), chromedp.WaitVisible(chromedp.CSS("#err-erase")))
	do(t, ctx, "erase", chromedp.Click(chromedp.CSS("#erase-confirm")), chromedp.Click(chromedp.CSS("#erase")),
		chromedp.WaitReady(chromedp.CSS("body[data-page=erased]")))
	do(t, ctx, "/me after erasing", chromedp.Navigate(base+"/me"), chromedp.WaitVisible(chromedp.CSS("#f-phone")))

	db := storetest.Attach(t, dbURL)
	ctxb := context.Background()
	leads := func() int { return storetest.ParticipationCount(t, db, storetest.Participations{}) }
	for what, n := range map[string]int{
		"people with a name or membership number": storetest.PeopleWithDetails(t, db),
		"contact points": storetest.ContactCount(t, db, storetest.Contacts{}),
		"consents":       storetest.ConsentCount(t, db),
		"messages with a join link or to the number": storetest.LinksOrNumberSent(t, db, "9876500001"),
		"inbox items with the number":                storetest.InboxCount(t, db, storetest.Inbox{PayloadLike: "%9876500001%"}),
	} {
		if n != 0 {
			t.Errorf("after erasing, %s = %d", what, n)
		}
	}
	checkCounts(t, db, "JH-AC-063", map[string]int64{"members": 1, "verified": 1})

	before := leads()
	smsCall(t, base, "me-1", "+919876500001") // the provider repeats the old call
	if leads() != before {
		t.Error("a replayed old call brought the person back")
	}
	smsCall(t, base, "me-2", "+919876500001") // a new call
	if leads() != before+1 {
		t.Error("a new call from the erased number did not make a fresh lead")
	}
	err := db.View(ctxb, func(tx *store.Tx) error {
		id, err := store.FindByContact(ctxb, tx, store.ContactPhone, "+919876500001")
		if err != nil {
			return err
		}
		p, err := store.GetPerson(ctxb, tx, id)
		if err == nil && (p.Name != "" || p.MembershipNo != "" || p.AreaID != 0) {
			t.Errorf("the fresh lead carries old data: %+v", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Arriving on the web: /d/{slug}/join proves the phone with a code, counts
// a lead under channel web, and leads into the same form.
func TestJoinOnTheWebWithACode(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "hi")
	ctx := newBrowser(t)
	do(t, ctx, "the drive's join page", chromedp.Navigate(base+"/d/jh-sms/join"), chromedp.WaitVisible(chromedp.CSS("#f-phone")),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "+91 91234 00002"), chromedp.Click(chromedp.CSS("#send-phone")),
		chromedp.WaitVisible(chromedp.CSS("#f-code")))
	smsWait(t, "the code", func() bool { return len(gw.Received()) == 1 })
	m := signinCode.FindStringSubmatch(gw.Received()[0].Body)
	if m == nil {
		t.Fatalf("no code in %q", gw.Received()[0].Body)
	}
	if gw.Received()[0].Form.Get("DltTemplateId") != "1107000000000000014" {
		t.Errorf("the Hindi sign-in SMS went out under template %q", gw.Received()[0].Form.Get("DltTemplateId"))
	}
	do(t, ctx, "the code", chromedp.SendKeys(chromedp.CSS("#f-code"), m[1]), chromedp.Click(chromedp.CSS("#send-code")),
		chromedp.WaitVisible(chromedp.CSS("#join")), loaded)
	db := storetest.Attach(t, dbURL)
	checkCountsByChannel(t, db, "web", map[string]int64{"leads": 1})
	do(t, ctx, "the form", chromedp.Click(chromedp.CSS(`input[name=consent_membership]`)),
		chromedp.Click(chromedp.CSS(`input[name=age18][value=yes]`)), chromedp.SendKeys(chromedp.CSS("#f-name"), "क्षितिज"),
		chromedp.SetValue(chromedp.CSS("#f-ac"), "JH-AC-061"), chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#number")))
	checkCountsByChannel(t, db, "web", map[string]int64{"leads": 1, "members": 1, "verified": 1})
	checkMember(t, db, "+919123400002", "क्षितिज", "hi", []string{store.PurposeMembership})
}

// checkCountsByChannel checks the drive's counters over all areas for one
// channel.
func checkCountsByChannel(t *testing.T, db *store.DB, channel string, want map[string]int64) {
	t.Helper()
	wantCounts(t, storetest.CountsByChannel(t, db, channel), channel, want)
}
