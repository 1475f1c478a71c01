package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// MY DATA on WhatsApp lists what staff did at the person's request: a
// correction (the fields it changed, never their values) and a request
// whose code ran out untried, shown as stopped, not as waiting.
func TestMyDataListsCorrectionsAndExpiredCodes(t *testing.T) {
	w := newVolWorld(t)
	c := w.chat("919811100401")
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		_, err := store.AddPersonRequest(ctx, tx, store.PersonRequest{PersonID: c.conv.PersonID, Kind: "correct:name,area", Channel: "letter",
			Actor: "person:1", ActorRole: "coordinator", State: store.RequestDone, DoneAt: tx.Now})
		if err != nil {
			return err
		}
		_, err = store.AddPersonRequest(ctx, tx, store.PersonRequest{PersonID: c.conv.PersonID, Kind: "erase", Channel: "phone_call",
			Actor: "person:1", ActorRole: "admin", State: store.RequestCodeSent, CodeHash: "x", CodeExpiresAt: tx.Now.Add(-time.Minute)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	texts, _ := c.say("my data")
	c.want("MY DATA with staff's corrections", texts, nil, "मेरा नाम और विधानसभा क्षेत्र सुधारना (पत्र से", "समन्वयक ने दर्ज किया: पूरा हुआ",
		"मेरी जानकारी मिटाना (फ़ोन कॉल से", "एडमिन ने दर्ज किया: रोका गया: कोड का समय ख़त्म हो गया")
	if strings.Contains(strings.Join(texts, ""), "कोड की प्रतीक्षा") {
		t.Errorf("MY DATA shows a request past its code's time as waiting: %q", texts)
	}
}
