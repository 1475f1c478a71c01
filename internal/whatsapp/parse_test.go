package whatsapp

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// sampleMeta is the business number every sample payload comes through.
var sampleMeta = Metadata{
	BusinessAccountID:  "102290129340398",
	PhoneNumberID:      "106540352242922",
	DisplayPhoneNumber: "+918047123456",
}

func TestParseMessageSamples(t *testing.T) {
	for _, c := range []struct {
		file string
		want Message
	}{
		{"whatsapp_text.json", Message{
			ID:        "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0E2RjFDMkI5RDRFOEE3QjVDMTAA",
			Timestamp: mustTime(t, "2025-11-14T04:45:30Z"),
			Type:      "text",
			Kind:      KindText,
			Text:      "Hi, I just gave a missed call. Please share the details.",
		}},
		{"whatsapp_text.compact.json", Message{
			ID:        "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0E2RjFDMkI5RDRFOEE3QjVDMTAA",
			Timestamp: mustTime(t, "2025-11-14T04:45:30Z"),
			Type:      "text",
			Kind:      KindText,
			Text:      "Hi, I just gave a missed call. Please share the details.",
		}},
		{"whatsapp_button_reply.json", Message{
			ID:        "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0E5MkQxRTdGMDRCNkMxOEEyRjMA",
			Timestamp: mustTime(t, "2025-11-14T04:47:05Z"),
			Type:      "interactive",
			Kind:      KindInteractive,
			Context:   Context{ID: "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQjk2NzQ3NDQxQ0VCNzUwNENFAA==", From: "918047123456"},
			Reply:     Reply{Type: "button_reply", ID: "callback_request", Title: "Call me back"},
		}},
		{"whatsapp_list_reply.json", Message{
			ID:        "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0FCN0MzRDlFMTVGMkE0QjZDOEQA",
			Timestamp: mustTime(t, "2025-11-14T04:48:30Z"),
			Type:      "interactive",
			Kind:      KindInteractive,
			Context:   Context{ID: "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSNEYyQTlDMUQ3RTNCOEE2RjA1AA==", From: "918047123456"},
			Reply:     Reply{Type: "list_reply", ID: "lang_hi", Title: "हिन्दी (Hindi)", Description: "Continue in Hindi"},
		}},
		{"whatsapp_list_reply.compact.json", Message{
			ID:        "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0FCN0MzRDlFMTVGMkE0QjZDOEQA",
			Timestamp: mustTime(t, "2025-11-14T04:48:30Z"),
			Type:      "interactive",
			Kind:      KindInteractive,
			Context:   Context{ID: "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSNEYyQTlDMUQ3RTNCOEE2RjA1AA==", From: "918047123456"},
			Reply:     Reply{Type: "list_reply", ID: "lang_hi", Title: "हिन्दी (Hindi)", Description: "Continue in Hindi"},
		}},
		{"whatsapp_image.json", Message{
			ID:        "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0FDODFGNUUyRDlCN0E2QzRFMzEA",
			Timestamp: mustTime(t, "2025-11-14T04:49:30Z"),
			Type:      "image",
			Kind:      KindImage,
			Media: Media{
				ID:       "1183974553203742",
				MimeType: "image/jpeg",
				SHA256:   "C2NdXUOYoTkoWxyD3p6mbh6eVSN+3FbmWpQEaB6hNgI=",
				Caption:  "Photo of the bill",
			},
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			n := mustParse(t, readSample(t, c.file))
			if len(n.Messages) != 1 || len(n.Statuses) != 0 || len(n.Errors) != 0 {
				t.Fatalf("%d messages, %d statuses, %d errors; want one message", len(n.Messages), len(n.Statuses), len(n.Errors))
			}
			got := n.Messages[0]
			want := c.want
			want.Metadata = sampleMeta
			want.From = "919876543210"
			want.ProfileName = "Priya Sharma"
			want.Raw = got.Raw
			if !reflect.DeepEqual(got, want) {
				t.Errorf("message\n got %+v\nwant %+v", got, want)
			}
			if got.Timestamp.Location() != time.UTC {
				t.Errorf("timestamp in %v; want UTC", got.Timestamp.Location())
			}
			if got.Key() != want.ID {
				t.Errorf("Key = %q; want the wamid", got.Key())
			}
			checkRaw(t, got.Raw, readSample(t, c.file))
		})
	}
}

// checkRaw asserts raw is the one message object of a sample body.
func checkRaw(t *testing.T, raw []byte, body []byte) {
	t.Helper()
	var env struct {
		Entry []struct {
			Changes []struct {
				Value struct {
					Messages []json.RawMessage `json:"messages"`
				} `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	sent := env.Entry[0].Changes[0].Value.Messages[0]
	if compact(t, raw) != compact(t, sent) {
		t.Errorf("Raw\n%s\nis not the message sent\n%s", raw, sent)
	}
}

func TestParseStatusSamples(t *testing.T) {
	const sentID = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQjk2NzQ3NDQxQ0VCNzUwNENFAA=="
	freeService := Pricing{Billable: false, Model: "PMP", Type: "free_customer_service", Category: "service"}
	for _, c := range []struct {
		file    string
		want    Status
		wantKey string
	}{
		{"whatsapp_status_sent.json", Status{
			ID: sentID, Status: StatusSent, Timestamp: mustTime(t, "2025-11-14T04:46:31Z"),
			RecipientID: "919876543210", Pricing: freeService,
		}, sentID + ":sent"},
		{"whatsapp_status_delivered.json", Status{
			ID: sentID, Status: StatusDelivered, Timestamp: mustTime(t, "2025-11-14T04:46:32Z"),
			RecipientID: "919876543210", Pricing: freeService,
		}, sentID + ":delivered"},
		{"whatsapp_status_read.json", Status{
			ID: sentID, Status: StatusRead, Timestamp: mustTime(t, "2025-11-14T04:47:00Z"),
			RecipientID: "919876543210",
		}, sentID + ":read"},
		{"whatsapp_status_failed.json", Status{
			ID:          "wamid.HBgMOTE5ODEyMzQ1Njc4FQIAERgSN0M1RTFBOUYzQjJEOEU0QTYxAA==",
			Status:      StatusFailed,
			Timestamp:   mustTime(t, "2025-11-14T04:50:30Z"),
			RecipientID: "919812345678",
			Errors: []Error{{
				Metadata: sampleMeta,
				Code:     131047,
				Title:    "Re-engagement message",
				Message:  "Re-engagement message",
				Details:  "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
				Href:     "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
			}},
		}, "wamid.HBgMOTE5ODEyMzQ1Njc4FQIAERgSN0M1RTFBOUYzQjJEOEU0QTYxAA==:failed"},
		{"whatsapp_status_sent_legacy_cbp.json", Status{
			ID: sentID, Status: StatusSent, Timestamp: mustTime(t, "2025-11-14T04:46:31Z"),
			RecipientID: "919876543210",
			Conversation: Conversation{
				ID:         "f5fdae3920125a39a1e6a23e5f877c16",
				OriginType: "utility",
				ExpiresAt:  mustTime(t, "2025-11-15T04:45:30Z"),
			},
			Pricing: Pricing{Billable: true, Model: "CBP", Category: "utility"},
		}, sentID + ":sent"},
	} {
		t.Run(c.file, func(t *testing.T) {
			n := mustParse(t, readSample(t, c.file))
			if len(n.Messages) != 0 || len(n.Statuses) != 1 || len(n.Errors) != 0 {
				t.Fatalf("%d messages, %d statuses, %d errors; want one status", len(n.Messages), len(n.Statuses), len(n.Errors))
			}
			want := c.want
			want.Metadata = sampleMeta
			if got := n.Statuses[0]; !reflect.DeepEqual(got, want) {
				t.Errorf("status\n got %+v\nwant %+v", got, want)
			}
			if got := n.Statuses[0].Key(); got != c.wantKey {
				t.Errorf("Key = %q; want %q", got, c.wantKey)
			}
		})
	}
	failed := mustParse(t, readSample(t, "whatsapp_status_failed.json")).Statuses[0]
	if got := failed.Errors[0].Class(); got != OutsideWindow {
		t.Errorf("the failed sample's error is %s; want %s", got, OutsideWindow)
	}
}
