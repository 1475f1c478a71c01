package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// In Hindi at 360 px: the joined page offers the member's own page as the
// next step, and /me fits the screen (long links in the messages wrap)
// and says its messages' channel and state in Hindi.
func TestMemberPagesInHindiAt360(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "hi")
	link := followupLink(t, base, gw, "mp-1", "+919876500002")
	ctx := newBrowser(t)
	register(t, ctx, link, "सुनीता देवी")
	fits(t, ctx, "the joined page")
	if s := text(t, ctx, "#me-link"); s != "अपनी जानकारी देखें या बदलें" {
		t.Errorf("the joined page's next step: %q", s)
	}

	count := func() int { return len(gw.Received()) }
	last := func() string { r := gw.Received(); return r[len(r)-1].Body }
	signIn(t, ctx, base, count, last, "98765 00002")
	sendCardLink(t, dbURL, "+919876500002")
	do(t, ctx, "/me in Hindi", chromedp.Navigate(base+"/me?lang=hi"), chromedp.WaitVisible(chromedp.CSS("#messages")))
	fits(t, ctx, "/me")
	messages := text(t, ctx, "#messages")
	if strings.Contains(messages, "sms ·") || strings.Contains(messages, "· sent") {
		t.Errorf("/me in Hindi shows English state words: %s", messages)
	}
	if !strings.Contains(messages, "SMS · भेजा गया") {
		t.Errorf("/me in Hindi: %s", messages)
	}
}

// sendCardLink queues phone's owner a message with a card link as long
// as a real one (the WhatsApp bot sends them), unbroken by spaces.
func sendCardLink(t *testing.T, dbURL, phone string) {
	t.Helper()
	ctx := context.Background()
	err := storetest.Attach(t, dbURL).Update(ctx, func(tx *store.Tx) error {
		person, err := store.FindByContact(ctx, tx, store.ContactPhone, phone)
		if err != nil {
			return err
		}
		_, err = store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{PersonID: person, Channel: store.ChannelSMS, Provider: "exotel",
			Class: store.ClassRequested, To: phone,
			Body: "कार्ड: http://127.0.0.1:40000/card/ABCD-EFGH-JKX.png?e=1790000000&s=" + strings.Repeat("x", 43)}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// fits fails when the page is wider than the 360 px screen.
func fits(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Errorf("%s is %d px wide at a 360 px screen", what, w)
	}
}
