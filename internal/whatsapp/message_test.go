package whatsapp

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// body wraps message objects in one change from the sample business number,
// with one contact for the sample sender.
func body(messages ...string) []byte {
	return fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{
		"messaging_product":"whatsapp",
		"metadata":{"display_phone_number":"918047123456","phone_number_id":"106540352242922"},
		"contacts":[{"profile":{"name":"Priya Sharma"},"wa_id":"919876543210"}],
		"messages":[%s]}}]}]}`, strings.Join(messages, ","))
}

// message is a message object from the sample sender with the given type and
// content properties.
func message(typ, content string) string {
	return `{"from":"919876543210","id":"wamid.T1","timestamp":"1763095530","type":"` + typ + `"` + content + `}`
}

func TestParseKinds(t *testing.T) {
	for _, c := range []struct {
		name string
		msg  string
		want Message // Metadata, ID, From, ProfileName, Timestamp, Type and Raw are checked apart
	}{
		{"location", message("location", `,"location":{"latitude":12.9716,"longitude":77.5946,"name":"MG Road","address":"MG Road, Bengaluru","url":"https://example.in"}`),
			Message{Kind: KindLocation, Location: Location{Latitude: 12.9716, Longitude: 77.5946, Name: "MG Road", Address: "MG Road, Bengaluru"}}},
		{"audio", message("audio", `,"audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"aGFzaA==","id":"111","voice":true}`),
			Message{Kind: KindAudio, Media: Media{ID: "111", MimeType: "audio/ogg; codecs=opus", SHA256: "aGFzaA=="}}},
		{"video", message("video", `,"video":{"caption":"the leak","mime_type":"video/mp4","sha256":"abc","id":"112"}`),
			Message{Kind: KindVideo, Media: Media{ID: "112", MimeType: "video/mp4", SHA256: "abc", Caption: "the leak"}}},
		{"document", message("document", `,"document":{"caption":"bill","filename":"bill-nov.pdf","mime_type":"application/pdf","sha256":"def","id":"113"}`),
			Message{Kind: KindDocument, Media: Media{ID: "113", MimeType: "application/pdf", SHA256: "def", Caption: "bill", Filename: "bill-nov.pdf"}}},
		{"sticker", message("sticker", `,"sticker":{"mime_type":"image/webp","sha256":"ghi","id":"114","animated":false}`),
			Message{Kind: KindSticker, Media: Media{ID: "114", MimeType: "image/webp", SHA256: "ghi"}}},
		{"reaction", message("reaction", `,"reaction":{"message_id":"wamid.OURS","emoji":"\ud83d\udc4d"}`),
			Message{Kind: KindReaction, Reaction: Reaction{MessageID: "wamid.OURS", Emoji: "👍"}}},
		{"reaction removed", message("reaction", `,"reaction":{"message_id":"wamid.OURS"}`),
			Message{Kind: KindReaction, Reaction: Reaction{MessageID: "wamid.OURS"}}},
		{"template quick reply", message("button", `,"context":{"from":"918047123456","id":"wamid.TEMPLATE"},"button":{"payload":"callback_request","text":"Call me back"}`),
			Message{Kind: KindButton, Context: Context{ID: "wamid.TEMPLATE", From: "918047123456"}, Button: Button{Payload: "callback_request", Text: "Call me back"}}},
		{"shared contacts", message("contacts", `,"contacts":[{"name":{"formatted_name":"Ravi Kumar","first_name":"Ravi"},"phones":[{"phone":"+91 98450 12345","wa_id":"919845012345","type":"CELL"},{"phone":"080 2222 3333","type":"WORK"}]}]`),
			Message{Kind: KindContacts, Contacts: []SharedContact{{Name: "Ravi Kumar", Phones: []SharedPhone{
				{Phone: "+91 98450 12345", WaID: "919845012345", Type: "CELL"}, {Phone: "080 2222 3333", Type: "WORK"}}}}}},
		{"forwarded text", message("text", `,"context":{"forwarded":true,"frequently_forwarded":true},"text":{"body":"fwd"}`),
			Message{Kind: KindText, Context: Context{Forwarded: true, FrequentlyForwarded: true}, Text: "fwd"}},
		{"unsupported", message("unsupported", `,"errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}],"unsupported":{"type":"poll"}`),
			Message{Kind: KindUnsupported, Errors: []Error{{Metadata: sampleMeta, Code: 131051, Title: "Message type unknown", Message: "Message type unknown", Details: "Message type is currently not supported."}}}},
		{"order", message("order", `,"order":{"catalog_id":"1","product_items":[{"product_retailer_id":"p1","quantity":"2","item_price":"10","currency":"INR"}]}`),
			Message{Kind: KindUnknown}},
		{"system", message("system", `,"system":{"body":"User changed number","wa_id":"919800000000","type":"user_changed_number"}`),
			Message{Kind: KindUnknown}},
		{"a type from the future", message("poll_vote", `,"poll_vote":{"poll_id":"x","options":[1,2]}`),
			Message{Kind: KindUnknown}},
		{"flow reply", message("interactive", `,"interactive":{"type":"nfm_reply","nfm_reply":{"response_json":"{}","body":"Sent"}}`),
			Message{Kind: KindUnknown}},
		{"interactive without its reply", message("interactive", `,"interactive":{"type":"button_reply"}`),
			Message{Kind: KindUnknown}},
		{"text without text", message("text", ``),
			Message{Kind: KindUnknown}},
		{"image without image", message("image", `,"text":{"body":"x"}`),
			Message{Kind: KindUnknown}},
		{"content that does not read", message("text", `,"text":{"body":42}`),
			Message{Kind: KindUnknown}},
		{"location as strings", message("location", `,"location":{"latitude":"12.9","longitude":"77.5"}`),
			Message{Kind: KindUnknown}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := mustParse(t, body(c.msg))
			if len(n.Messages) != 1 {
				t.Fatalf("%d messages; want 1", len(n.Messages))
			}
			got := n.Messages[0]
			if got.ID != "wamid.T1" || got.From != "919876543210" || got.ProfileName != "Priya Sharma" ||
				got.Metadata != sampleMeta || !got.Timestamp.Equal(mustTime(t, "2025-11-14T04:45:30Z")) {
				t.Errorf("header %+v", got)
			}
			if compact(t, got.Raw) != compact(t, []byte(c.msg)) {
				t.Errorf("Raw\n%s\nis not the message sent\n%s", got.Raw, c.msg)
			}
			if wantType := strings.SplitN(strings.SplitN(c.msg, `"type":"`, 2)[1], `"`, 2)[0]; got.Type != wantType {
				t.Errorf("Type %q; want %q", got.Type, wantType)
			}
			want := c.want
			want.Metadata, want.ID, want.From, want.ProfileName = got.Metadata, got.ID, got.From, got.ProfileName
			want.Timestamp, want.Type, want.Raw = got.Timestamp, got.Type, got.Raw
			if !reflect.DeepEqual(got, want) {
				t.Errorf("message\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// Business-scoped user ids (PROVIDERS.md §1.10): contacts[].user_id,
// messages[].from_user_id and statuses[].recipient_user_id.
func TestParseBSUID(t *testing.T) {
	n := mustParse(t, []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
		"metadata":{"display_phone_number":"918047123456","phone_number_id":"106540352242922"},
		"contacts":[
			{"profile":{"name":"Priya Sharma"},"wa_id":"919876543210","user_id":"IN.1410018717833190","country_code":"IN"},
			{"profile":{"name":"Anon","username":"@anon"},"user_id":"IN.999"}],
		"messages":[
			{"from":"919876543210","id":"wamid.A","timestamp":"1763095530","type":"text","text":{"body":"phone and id"}},
			{"from_user_id":"IN.999","id":"wamid.B","timestamp":"1763095531","type":"text","text":{"body":"username only"}},
			{"from":"919800000001","from_user_id":"IN.1","id":"wamid.C","timestamp":"1763095532","type":"text","text":{"body":"no contact"}}],
		"statuses":[{"id":"wamid.S","status":"delivered","timestamp":"1763095533","recipient_id":"919876543210","recipient_user_id":"IN.1410018717833190"}]}}]}]}`))
	for i, want := range []struct{ from, bsuid, name, username string }{
		{"919876543210", "IN.1410018717833190", "Priya Sharma", ""},
		{"", "IN.999", "Anon", "@anon"},
		{"919800000001", "IN.1", "", ""},
	} {
		m := n.Messages[i]
		if m.From != want.from || m.BSUID != want.bsuid || m.ProfileName != want.name || m.Username != want.username {
			t.Errorf("message %d: From %q BSUID %q ProfileName %q Username %q; want %+v", i, m.From, m.BSUID, m.ProfileName, m.Username, want)
		}
	}
	if s := n.Statuses[0]; s.RecipientID != "919876543210" || s.RecipientBSUID != "IN.1410018717833190" {
		t.Errorf("status recipient %q / %q", s.RecipientID, s.RecipientBSUID)
	}
}

func TestParseMany(t *testing.T) {
	value := func(display, phoneID, items string) string {
		return `{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"` +
			display + `","phone_number_id":"` + phoneID + `"},` + items + `}}`
	}
	text := func(id, from, body string) string {
		return `{"from":"` + from + `","id":"` + id + `","timestamp":"1763095530","type":"text","text":{"body":"` + body + `"}}`
	}
	status := func(id, st string) string {
		return `{"id":"` + id + `","status":"` + st + `","timestamp":"1763095600","recipient_id":"919800000009"}`
	}
	raw := `{"object":"whatsapp_business_account","entry":[
		{"id":"WABA1","changes":[
			` + value("918047000001", "P1", `"contacts":[{"profile":{"name":"A"},"wa_id":"919800000001"},{"profile":{"name":"B"},"wa_id":"919800000002"}],
				"messages":[`+text("m1", "919800000001", "one")+`,`+text("m2", "919800000002", "two")+`],
				"statuses":[`+status("s1", "sent")+`]`) + `,
			` + value("918047000002", "P2", `"contacts":[{"profile":{"name":"C"},"wa_id":"919800000003"}],
				"messages":[`+text("m3", "919800000003", "three")+`],
				"statuses":[`+status("s2", "delivered")+`,{"id":"s3","status":"failed","timestamp":"1763095601","recipient_id":"919800000009",
					"errors":[{"code":131026,"title":"Message undeliverable","message":"Message undeliverable","error_data":{"details":"x"}}]}],
				"errors":[{"code":131000,"title":"Something went wrong","message":"Something went wrong","error_data":{"details":"y"}}]`) + `]},
		{"id":"WABA2","changes":[
			` + value("918047000003", "P3", `"contacts":[{"profile":{"name":"D"},"wa_id":"919800000004"}],
				"messages":[`+text("m4", "919800000004", "four")+`],"statuses":[`+status("s1", "delivered")+`]`) + `,
			` + value("918047000004", "P4", `"statuses":[`+status("s4", "read")+`,`+status("s5", "deleted")+`]`) + `,
			{"field":"message_template_status_update","value":{"event":"APPROVED","messages":"not this shape"}}]}]}`
	n := mustParse(t, []byte(raw))

	type item struct{ key, account, phoneID, display, extra string }
	var msgs, sts, errs []item
	for _, m := range n.Messages {
		msgs = append(msgs, item{m.Key(), m.BusinessAccountID, m.PhoneNumberID, m.DisplayPhoneNumber, m.ProfileName + "/" + m.Text})
	}
	for _, s := range n.Statuses {
		sts = append(sts, item{s.Key(), s.BusinessAccountID, s.PhoneNumberID, s.DisplayPhoneNumber, fmt.Sprint(len(s.Errors))})
	}
	for _, e := range n.Errors {
		errs = append(errs, item{fmt.Sprint(e.Code), e.BusinessAccountID, e.PhoneNumberID, e.DisplayPhoneNumber, string(e.Class())})
	}
	check := func(what string, got, want []item) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s\n got %v\nwant %v", what, got, want)
		}
	}
	check("messages", msgs, []item{
		{"m1", "WABA1", "P1", "+918047000001", "A/one"},
		{"m2", "WABA1", "P1", "+918047000001", "B/two"},
		{"m3", "WABA1", "P2", "+918047000002", "C/three"},
		{"m4", "WABA2", "P3", "+918047000003", "D/four"},
	})
	check("statuses", sts, []item{
		{"s1:sent", "WABA1", "P1", "+918047000001", "0"},
		{"s2:delivered", "WABA1", "P2", "+918047000002", "0"},
		{"s3:failed", "WABA1", "P2", "+918047000002", "1"},
		{"s1:delivered", "WABA2", "P3", "+918047000003", "0"},
		{"s4:read", "WABA2", "P4", "+918047000004", "0"},
		{"s5:deleted", "WABA2", "P4", "+918047000004", "0"},
	})
	check("errors", errs, []item{{"131000", "WABA1", "P2", "+918047000002", string(Retryable)}})
	if e := n.Statuses[2].Errors[0]; e.Code != 131026 || e.Class() != Undeliverable || e.PhoneNumberID != "P2" {
		t.Errorf("failed status error %+v", e)
	}
}

// A redelivered message or status has the key of the first delivery; each
// status of one message has its own.
func TestKeys(t *testing.T) {
	text := readSample(t, "whatsapp_text.json")
	if a, b := mustParse(t, text).Messages[0].Key(), mustParse(t, readSample(t, "whatsapp_text.compact.json")).Messages[0].Key(); a != b {
		t.Errorf("the same message keys as %q and %q", a, b)
	}
	keys := map[string]string{}
	for _, f := range []string{"whatsapp_status_sent.json", "whatsapp_status_sent_legacy_cbp.json", "whatsapp_status_delivered.json", "whatsapp_status_read.json"} {
		keys[f] = mustParse(t, readSample(t, f)).Statuses[0].Key()
	}
	if keys["whatsapp_status_sent.json"] != keys["whatsapp_status_sent_legacy_cbp.json"] {
		t.Errorf("the same sent status in two shapes keys differently: %v", keys)
	}
	if keys["whatsapp_status_sent.json"] == keys["whatsapp_status_delivered.json"] || keys["whatsapp_status_delivered.json"] == keys["whatsapp_status_read.json"] {
		t.Errorf("different statuses of one message share a key: %v", keys)
	}
}

// A profile goes only to the message it belongs to.
func TestParseContactAttribution(t *testing.T) {
	other := `{"from":"919800000001","id":"wamid.O","timestamp":"1763095530","type":"text","text":{"body":"x"}}`
	anonymous := `{"id":"wamid.N","timestamp":"1763095530","type":"text","text":{"body":"x"}}`
	n := mustParse(t, body(other, anonymous))
	if m := n.Messages[0]; m.ProfileName != "" || m.From != "919800000001" {
		t.Errorf("a sender without a contact got %q / %q", m.ProfileName, m.From)
	}
	if m := n.Messages[1]; m.ProfileName != "Priya Sharma" || m.From != "919876543210" {
		t.Errorf("a message naming no sender, with one contact, got %q / %q", m.ProfileName, m.From)
	}
}
