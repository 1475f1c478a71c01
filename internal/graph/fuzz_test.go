package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// An outbox body decodes to a message the provider can send, or to an
// ErrInvalid refusal; a body that is not an Outgoing is an older row's
// plain text. What decodes encodes again to a body that decodes the same,
// within WhatsApp's limits, with valid UTF-8 throughout, and its fallback
// template (if any) is sendable too.
func FuzzDecodeOutgoing(f *testing.F) {
	rows := make([]Row, 10)
	for i := range rows {
		rows[i] = Row{ID: fmt.Sprintf("a:JH-AC-%03d", i), Title: fmt.Sprintf("Row %d", i), Description: "राँची"}
	}
	tmpl := &TemplateRef{Name: "jodo_reminder", Language: "hi", Params: []string{"राँची"}}
	for _, o := range []Outgoing{
		Text("नमस्ते"),
		{Kind: KindText, Text: "with fallback", Template: tmpl, ReplyTo: "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQ0E="},
		{Kind: KindButtons, Text: "भाषा?", Buttons: []Button{{ID: "lang:hi", Title: "हिंदी"}, {ID: "lang:en", Title: "English"}}, Footer: "Jodo"},
		{Kind: KindList, Text: "AC?", ListButton: "चुनें", Sections: []Section{{Rows: rows}}, Header: "Ranchi"},
		{Kind: KindTemplate, Template: tmpl},
	} {
		body, err := o.Encode()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add("plain text from an older row")
	f.Add(`{"kind":"carousel","text":"x"}`)
	f.Add(`{"kind":"text"}`)
	f.Add(`{"kind":"buttons","text":"b","buttons":[{"id":"a","title":"A"},{"id":"a","title":"B"}]}`)
	f.Add(`{"kind":"list","text":"b","list_button":"l","sections":[{"title":"","rows":[]},{"rows":[{"id":"1","title":"t"}]}]}`)
	f.Add(`{"kind":"template","template":{"name":"n","language":"hi","params":["a\tb",""]}}`)
	f.Add(`{"KIND":"text","Text":"case","template":null}`)
	f.Add("{\"kind\":\"text\",\"text\":\"\xff\\u0000\"}")
	f.Add(`{"kind":"text","text":"x"`)
	f.Fuzz(func(t *testing.T, body string) {
		o, err := DecodeOutgoing(body)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if !decodedAsJSON(body) {
			if o.Kind != KindText || o.Text != body || o.Template != nil {
				t.Fatalf("plain body %q decoded as %+v", body, o)
			}
			return
		}
		checkSendable(t, o)
		enc, err := o.Encode()
		if err != nil {
			t.Fatalf("%+v decoded but does not encode: %v", o, err)
		}
		back, err := DecodeOutgoing(enc)
		if err != nil {
			t.Fatalf("%s does not decode: %v", enc, err)
		}
		if again, err := back.Encode(); err != nil || again != enc {
			t.Fatalf("%s decoded and encoded as %s (%v)", enc, again, err)
		}
		if s := o.Summary(); !utf8.ValidString(s) {
			t.Fatalf("summary %q is not UTF-8", s)
		}
		if fb, ok := o.Fallback(); ok {
			if _, err := fb.Encode(); err != nil {
				t.Fatalf("the fallback of %+v: %v", o, err)
			}
		}
	})
}

// decodedAsJSON says whether DecodeOutgoing reads body as an Outgoing
// rather than as plain text.
func decodedAsJSON(body string) bool {
	var o Outgoing
	return strings.HasPrefix(body, "{") && json.Unmarshal([]byte(body), &o) == nil && o.Kind != ""
}

// checkSendable: the kind is known, the counts are within WhatsApp's
// limits and every text is valid UTF-8.
func checkSendable(t *testing.T, o Outgoing) {
	t.Helper()
	texts := []string{o.Text, o.ListButton, o.Header, o.Footer, o.ReplyTo}
	rows := 0
	for _, b := range o.Buttons {
		texts = append(texts, b.ID, b.Title)
	}
	for _, s := range o.Sections {
		texts = append(texts, s.Title)
		for _, r := range s.Rows {
			texts = append(texts, r.ID, r.Title, r.Description)
		}
		rows += len(s.Rows)
	}
	if o.Template != nil {
		texts = append(append(texts, o.Template.Name, o.Template.Language), o.Template.Params...)
	}
	for _, s := range texts {
		if !utf8.ValidString(s) {
			t.Fatalf("%+v holds %q, which is not UTF-8", o, s)
		}
	}
	switch o.Kind {
	case KindText, KindTemplate:
	case KindButtons:
		if len(o.Buttons) == 0 || len(o.Buttons) > maxButtons {
			t.Fatalf("%d buttons accepted", len(o.Buttons))
		}
	case KindList:
		if rows == 0 || rows > maxRows || len(o.Sections) > maxSections {
			t.Fatalf("%d rows in %d sections accepted", rows, len(o.Sections))
		}
	default:
		t.Fatalf("kind %q accepted", o.Kind)
	}
	if utf8.RuneCountInString(o.Text) > maxTextBody || utf8.RuneCountInString(o.Header) > maxCaption ||
		utf8.RuneCountInString(o.Footer) > maxCaption || utf8.RuneCountInString(o.ReplyTo) > maxWAMID {
		t.Fatalf("%+v accepted over a length limit", o)
	}
}
