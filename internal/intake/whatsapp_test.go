package intake_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// waChange is one change of a webhook body: messages to one business number.
func waChange(display, phoneNumberID string, messages ...string) string {
	return `{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"` + display +
		`","phone_number_id":"` + phoneNumberID + `"},"messages":[` + strings.Join(messages, ",") + `]}}`
}

func waText(id, from string, at time.Time) string {
	return fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"%d","type":"text","text":{"body":"hi"}}`, from, id, at.Unix())
}

// A WhatsApp notification's messages are routed to the drive whose
// WhatsApp channel is the business number that received them, in the
// drive's own time zone, and stored once; Inbound hears how many new
// messages each business number received, only once they are durable;
// the kept items of the POST are stored with it.
func TestWhatsAppRecorderRoutesAndCounts(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2025, 11, 14, 4, 46, 0, 0, time.UTC))
	db := storetest.Open(t, clock)
	drives := drivetest.Load(t, db, nil, `{"version":1,"slug":"jh","name":"JH","starts_on":"2025-11-01","ends_on":"2026-03-31",
		"timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"whatsapp","number":"+918047123456"}],"targets":[]}`)
	inbound := map[string]int{}
	rec := intake.NewWhatsAppRecorder(db, []byte(strings.Repeat("k", 32)), intake.WhatsAppOptions{
		Inbound: func(number string, n int) { inbound[number] += n }})
	defer rec.Close()

	firstIST := time.Date(2025, 10, 31, 20, 0, 0, 0, time.UTC)  // 1 Nov 01:30 IST: the drive's first day
	beforeIST := time.Date(2025, 10, 31, 18, 0, 0, 0, time.UTC) // 31 Oct 23:30 IST: before it
	body := `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[` +
		waChange("918047123456", "106540352242922",
			waText("wamid.first", "919812300001", firstIST), waText("wamid.before", "919812300002", beforeIST)) + "," +
		waChange("918047000000", "999", waText("wamid.other", "919812300003", clock.Now())) + `]}]}`
	n, err := whatsapp.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	kept := []store.InboxItem{{Provider: "whatsapp", Key: "malformed:kept-item", Kind: "unreadable", Payload: []byte("{}"), Note: "test"}}
	res, err := rec.Record(ctx, n, kept)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || !res[0].NewLead || res[0].Note != "" {
		t.Fatalf("results %+v; want the first message a lead", res)
	}
	for i, r := range res[1:] {
		if r.NewLead || r.Note == "" || r.Duplicate {
			t.Errorf("message %d: %+v; want kept without a lead (no drive owns it then)", i+1, r)
		}
	}
	if want := map[string]int{"106540352242922": 2, "999": 1}; fmt.Sprint(inbound) != fmt.Sprint(want) {
		t.Errorf("Inbound heard %v; want %v", inbound, want)
	}
	root := storetest.AreaIDs(t, db, "JH")["JH"]
	if got := storetest.CountedAt(t, db, drives["jh"].ID, []int64{root}, store.DayRange{From: "2025-11-01", To: "2025-11-01"}); len(got) == 0 {
		t.Error("the lead is not counted on the drive's first day, its local day")
	}
	if again, err := db.ReceiveInbox(ctx, kept[0]); err != nil || !again.Duplicate {
		t.Errorf("the kept item again: %+v, %v; want a duplicate (stored with the POST)", again, err)
	}

	clear(inbound)
	res, err = rec.Record(ctx, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if !r.Duplicate {
			t.Errorf("message %d again: %+v; want a duplicate", i, r)
		}
	}
	if len(inbound) != 0 {
		t.Errorf("Inbound heard %v for duplicates; want nothing", inbound)
	}
}
