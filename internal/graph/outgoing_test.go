package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// An Outgoing survives the outbox: encoded, decoded, sent as its kind; one
// that could not be sent is refused when queued, not when sending.
func TestOutgoingRoundTrip(t *testing.T) {
	rows := make([]Row, 10)
	for i := range rows {
		rows[i] = Row{ID: fmt.Sprint(i), Title: fmt.Sprintf("Row %d", i)}
	}
	tmpl := &TemplateRef{Name: "jodo_reminder", Language: "hi", Params: []string{"राँची"}}
	for _, o := range []Outgoing{
		Text("नमस्ते"),
		{Kind: KindText, Text: "with fallback", Template: tmpl, ReplyTo: "wamid.X"},
		{Kind: KindButtons, Text: "भाषा?", Buttons: []Button{{ID: "hi", Title: "हिंदी"}, {ID: "en", Title: "English"}}, Footer: "Jodo"},
		{Kind: KindList, Text: "AC?", ListButton: "चुनें", Sections: []Section{{Rows: rows}}, Header: "Ranchi"},
		{Kind: KindTemplate, Template: tmpl},
	} {
		body, err := o.Encode()
		if err != nil {
			t.Fatalf("%s: %v", o.Kind, err)
		}
		back, err := DecodeOutgoing(body)
		if err != nil || back.Kind != o.Kind || back.Text != o.Text || len(back.Buttons) != len(o.Buttons) ||
			len(back.Sections) != len(o.Sections) || (back.Template == nil) != (o.Template == nil) {
			t.Errorf("%s: decoded %+v (%v)", o.Kind, back, err)
		}
		fb, has := o.Fallback()
		if has != (o.Template != nil && o.Kind != KindTemplate) || has && (fb.Kind != KindTemplate || fb.Template.Name != tmpl.Name) {
			t.Errorf("%s: fallback %+v %v", o.Kind, fb, has)
		}
	}
	confirm := Outgoing{Kind: KindTemplate, Template: &TemplateRef{Name: "group_reminder", Language: "en",
		Params: []string{"Ranchi youth", "16-03-2026"}, Payloads: []string{"grp:confirm:7"}}}
	body, err := confirm.Encode()
	if back, _ := DecodeOutgoing(body); err != nil || len(back.Template.Payloads) != 1 || back.Template.Payloads[0] != "grp:confirm:7" {
		t.Errorf("a template's quick-reply payload: %s (%v)", body, err)
	}
	if o, err := DecodeOutgoing("plain text from an older row"); err != nil || o.Kind != KindText || o.Text != "plain text from an older row" {
		t.Errorf("plain body: %+v %v", o, err)
	}
	if o := (Outgoing{Kind: KindTemplate, Template: tmpl}); o.Summary() != "jodo_reminder राँची" {
		t.Errorf("template summary %q", o.Summary())
	}
	for name, o := range map[string]Outgoing{
		"eleven rows":        {Kind: KindList, Text: "AC?", ListButton: "चुनें", Sections: []Section{{Rows: append(rows, Row{ID: "x", Title: "x"})}}},
		"four buttons":       {Kind: KindButtons, Text: "?", Buttons: []Button{{"a", "a"}, {"b", "b"}, {"c", "c"}, {"d", "d"}}},
		"empty text":         Text(""),
		"no template":        {Kind: KindTemplate},
		"bad fallback":       {Kind: KindText, Text: "x", Template: &TemplateRef{Name: "t"}},
		"empty payload":      {Kind: KindTemplate, Template: &TemplateRef{Name: "t", Language: "hi", Payloads: []string{""}}},
		"fallback's payload": {Kind: KindText, Text: "x", Template: &TemplateRef{Name: "t", Language: "hi", Payloads: []string{""}}},
		"unknown kind":       {Kind: "carousel", Text: "x"},
		"footer on a text":   {Kind: KindText, Text: "x", Footer: "f"},
		"text over the size": Text(strings.Repeat("a", maxTextBody+1)),
	} {
		if _, err := o.Encode(); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
}

// Provider sends a decoded Outgoing by its kind; a body that decodes to
// something unsendable is rejected without a request.
func TestProviderSendsByKind(t *testing.T) {
	c := New(Config{BaseURL: "http://127.0.0.1:1", Token: "t"})
	r := c.send(context.Background(), "123", "919812345678", Outgoing{Kind: "carousel"})
	if r.Err == nil || r.Outcome.String() != "rejected" {
		t.Errorf("unknown kind: %+v", r)
	}
}
