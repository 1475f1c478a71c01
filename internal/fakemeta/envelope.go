package fakemeta

import (
	"fmt"
	"time"
)

// The webhook envelope of PROVIDERS.md §1.2–1.4, fields in the samples'
// order so that a body built from the samples' values is byte for byte the
// sample.

type envelope struct {
	Object string  `json:"object"`
	Entry  []entry `json:"entry"`
}

type entry struct {
	ID      string   `json:"id"`
	Changes []change `json:"changes"`
}

type change struct {
	Value value  `json:"value"`
	Field string `json:"field"`
}

type value struct {
	MessagingProduct string      `json:"messaging_product"`
	Metadata         metadata    `json:"metadata"`
	Contacts         []inContact `json:"contacts,omitempty"`
	Messages         []inMessage `json:"messages,omitempty"`
	Statuses         []status    `json:"statuses,omitempty"`
}

type metadata struct {
	DisplayPhoneNumber string `json:"display_phone_number"`
	PhoneNumberID      string `json:"phone_number_id"`
}

type inContact struct {
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	WaID string `json:"wa_id"`
}

type inMessage struct {
	From        string         `json:"from"`
	ID          string         `json:"id"`
	Timestamp   string         `json:"timestamp"`
	Text        *inText        `json:"text,omitempty"`
	Interactive *inInteractive `json:"interactive,omitempty"`
	Location    *inLocation    `json:"location,omitempty"`
	Sticker     *inMedia       `json:"sticker,omitempty"`
	Type        string         `json:"type"`
}

type inText struct {
	Body string `json:"body"`
}

type inInteractive struct {
	Type        string   `json:"type"`
	ButtonReply *inReply `json:"button_reply,omitempty"`
	ListReply   *inReply `json:"list_reply,omitempty"`
}

type inReply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type inLocation struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type inMedia struct {
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	ID       string `json:"id"`
	Animated bool   `json:"animated"`
}

type status struct {
	ID          string        `json:"id"`
	Status      string        `json:"status"`
	Timestamp   string        `json:"timestamp"`
	RecipientID string        `json:"recipient_id"`
	Pricing     *pricing      `json:"pricing,omitempty"`
	Errors      []statusError `json:"errors,omitempty"`
}

type pricing struct {
	Billable     bool   `json:"billable"`
	PricingModel string `json:"pricing_model"`
	Type         string `json:"type"`
	Category     string `json:"category"`
}

type statusError struct {
	Code      int    `json:"code"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
	Href string `json:"href"`
}

func wrap(display, phoneNumberID string, v value) []byte {
	v.MessagingProduct = "whatsapp"
	v.Metadata = metadata{DisplayPhoneNumber: display, PhoneNumberID: phoneNumberID}
	return metaJSON(envelope{Object: "whatsapp_business_account",
		Entry: []entry{{ID: WABAID, Changes: []change{{Value: v, Field: "messages"}}}}})
}

func textBody(display, phoneNumberID, from, wamid, text string, at time.Time) []byte {
	c := inContact{WaID: from}
	c.Profile.Name = ProfileName
	m := inMessage{From: from, ID: wamid, Timestamp: unix(at), Type: "text", Text: &inText{Body: text}}
	return wrap(display, phoneNumberID, value{Contacts: []inContact{c}, Messages: []inMessage{m}})
}

// inboundBody wraps one message m of any kind from from.
func inboundBody(display, phoneNumberID string, m inMessage) []byte {
	c := inContact{WaID: m.From}
	c.Profile.Name = ProfileName
	return wrap(display, phoneNumberID, value{Contacts: []inContact{c}, Messages: []inMessage{m}})
}

// statusBody reports state for the accepted message rec. Pricing comes with
// sent and delivered only, as in the samples: a free service reply, or a
// billed utility message for a template.
func statusBody(rec Request, display, state string, errCode int, at time.Time) ([]byte, error) {
	switch {
	case state != "sent" && state != "delivered" && state != "read" && state != "failed":
		return nil, fmt.Errorf("fake graph: status %q is not sent, delivered, read or failed", state)
	case (state == "failed") != (errCode != 0):
		return nil, fmt.Errorf("fake graph: an error code goes with failed, and only with it")
	}
	st := status{ID: rec.MessageID, Status: state, Timestamp: unix(at), RecipientID: waID(rec.To)}
	switch {
	case state == "failed":
		e := errorInfo(errCode)
		se := statusError{Code: errCode, Title: e.title, Message: e.title,
			Href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}
		se.ErrorData.Details = e.details
		st.Errors = []statusError{se}
	case state != "read" && rec.Type == "template":
		st.Pricing = &pricing{Billable: true, PricingModel: "PMP", Type: "regular", Category: "utility"}
	case state != "read":
		st.Pricing = &pricing{Billable: false, PricingModel: "PMP", Type: "free_customer_service", Category: "service"}
	}
	return wrap(display, rec.PhoneNumberID, value{Statuses: []status{st}}), nil
}
