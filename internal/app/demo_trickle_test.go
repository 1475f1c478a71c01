package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Without --quiet the demo's trickle brings arrivals through the real
// webhooks: within its first three (a registration by the SMS's link, a
// WhatsApp join, a bare missed call) the drive gains a member by each way
// and a missed-call lead that stays one; the SMS and chats of its
// placeholder numbers are kept for the phone page, not printed; the demo
// stops cleanly with the trickle under way.
func TestDemoTrickle(t *testing.T) {
	t.Parallel()
	dbURL := storetest.URL(t)
	var out syncBuffer
	_, logs, stop := start(t, "demo", dbURL, &out)
	db := storetest.Attach(t, dbURL)
	count := func(channel string, registered bool) int {
		return storetest.ParticipationCount(t, db, storetest.Participations{Channel: channel, Lead: !registered, Registered: registered})
	}
	webBefore, waBefore, leadsBefore := count("missed_call", true), count("whatsapp", true), count("missed_call", false)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		web, wa, leads := count("missed_call", true)-webBefore, count("whatsapp", true)-waBefore, count("missed_call", false)-leadsBefore
		if web >= 1 && wa >= 1 && leads >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 2 minutes the trickle made %d web members, %d WhatsApp members, %d missed-call leads", web, wa, leads)
		}
		time.Sleep(time.Second)
	}
	if s := out.String(); strings.Contains(s, "to=+9170000") || strings.Contains(s, "WhatsApp to +9170000") {
		t.Errorf("the trickle's messages were printed:\n%s", s)
	}
	if err := stop(); err != nil {
		t.Errorf("the demo stopped with %v", err)
	}
	if strings.Contains(logs.String(), "did not finish") {
		t.Errorf("an arrival failed:\n%s", logs)
	}
}
