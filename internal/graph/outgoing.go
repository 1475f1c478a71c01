package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jodo-org/jodo/internal/send"
)

// checkOnly stands for the recipient when a message is checked before it
// has one.
const checkOnly = "910000000000"

// Kinds of Outgoing message.
const (
	KindText     = "text"
	KindButtons  = "buttons"
	KindList     = "list"
	KindTemplate = "template"
)

// Outgoing is a WhatsApp message as the outbox keeps it: its body column
// holds this as JSON (Encode), and Provider sends it by Kind.
type Outgoing struct {
	Kind       string    `json:"kind"`
	Text       string    `json:"text,omitempty"` // the text, or the interactive message's body
	Buttons    []Button  `json:"buttons,omitempty"`
	ListButton string    `json:"list_button,omitempty"` // the label of a list's menu button
	Sections   []Section `json:"sections,omitempty"`
	Header     string    `json:"header,omitempty"`
	Footer     string    `json:"footer,omitempty"`
	ReplyTo    string    `json:"reply_to,omitempty"` // a wamid to quote
	// Template is, for KindTemplate, the template to send; for any other
	// kind, the approved template that may stand in for it outside the
	// 24-hour window, when the person has WhatsApp consent. nil: none fits,
	// and the message is not sent outside the window.
	Template *TemplateRef `json:"template,omitempty"`
}

// TemplateRef names an approved template and fills its body variables.
type TemplateRef struct {
	Name     string   `json:"name"`
	Language string   `json:"language"`
	Params   []string `json:"params,omitempty"`
	// Payloads fill the template's quick-reply buttons, in order: what a
	// tap on each sends back.
	Payloads []string `json:"payloads,omitempty"`
}

// options are the template's quick-reply payloads as the builder takes them.
func (t TemplateRef) options() []Option {
	var opts []Option
	for _, p := range t.Payloads {
		opts = append(opts, QuickReplyPayload(p))
	}
	return opts
}

// Text is a plain text message.
func Text(body string) Outgoing { return Outgoing{Kind: KindText, Text: body} }

// Encode is o as the outbox stores it. It validates o as a send would.
func (o Outgoing) Encode() (string, error) {
	if err := o.check(); err != nil {
		return "", err
	}
	b, err := json.Marshal(o)
	return string(b), err
}

// FreeForm says whether o may go only inside the 24-hour window: every
// kind but a template.
func (o Outgoing) FreeForm() bool { return o.Kind != KindTemplate }

// Fallback is the template standing in for o outside the window, if any.
func (o Outgoing) Fallback() (Outgoing, bool) {
	if o.Kind == KindTemplate || o.Template == nil {
		return Outgoing{}, false
	}
	return Outgoing{Kind: KindTemplate, Template: o.Template}, true
}

// Summary is what a person is shown of o on their own page.
func (o Outgoing) Summary() string {
	if o.Kind == KindTemplate && o.Template != nil {
		return strings.TrimSpace(o.Template.Name + " " + strings.Join(o.Template.Params, " · "))
	}
	return o.Text
}

// DecodeOutgoing reads an outbox body. A body that is not an Outgoing (an
// older row's plain text) is a text message.
func DecodeOutgoing(body string) (Outgoing, error) {
	if !strings.HasPrefix(body, "{") {
		return Text(body), nil
	}
	var o Outgoing
	if err := json.Unmarshal([]byte(body), &o); err != nil || o.Kind == "" {
		return Text(body), nil
	}
	return o, o.check()
}

// check refuses what Provider could not send, with the limits the builders
// enforce, before the message is queued.
func (o Outgoing) check() error {
	var err error
	switch o.Kind {
	case KindText:
		_, err = textMessage(checkOnly, o.Text, o.options())
	case KindButtons:
		_, err = buttonsMessage(checkOnly, o.Text, o.Buttons, o.options())
	case KindList:
		_, err = listMessage(checkOnly, o.Text, o.ListButton, o.Sections, o.options())
	case KindTemplate:
		if o.Template == nil {
			return fmt.Errorf("graph: %w: a template message names no template", ErrInvalid)
		}
		_, err = templateMessage(checkOnly, o.Template.Name, o.Template.Language, o.Template.Params, append(o.options(), o.Template.options()...))
	default:
		return fmt.Errorf("graph: %w: unknown message kind %q", ErrInvalid, o.Kind)
	}
	if err == nil && o.Template != nil && o.Kind != KindTemplate {
		_, err = templateMessage(checkOnly, o.Template.Name, o.Template.Language, o.Template.Params, o.Template.options())
	}
	return err
}

// options are o's optional parts as the builders take them.
func (o Outgoing) options() []Option {
	var opts []Option
	if o.ReplyTo != "" {
		opts = append(opts, ReplyTo(o.ReplyTo))
	}
	if o.Header != "" {
		opts = append(opts, Header(o.Header))
	}
	if o.Footer != "" {
		opts = append(opts, Footer(o.Footer))
	}
	return opts
}

// send sends o from phoneNumberID to to.
func (c *Client) send(ctx context.Context, phoneNumberID, to string, o Outgoing) send.Result {
	switch o.Kind {
	case KindText:
		return c.SendText(ctx, phoneNumberID, to, o.Text, o.options()...)
	case KindButtons:
		return c.SendButtons(ctx, phoneNumberID, to, o.Text, o.Buttons, o.options()...)
	case KindList:
		return c.SendList(ctx, phoneNumberID, to, o.Text, o.ListButton, o.Sections, o.options()...)
	case KindTemplate:
		if o.Template != nil {
			return c.SendTemplate(ctx, phoneNumberID, to, o.Template.Name, o.Template.Language, o.Template.Params,
				append(o.options(), o.Template.options()...)...)
		}
	}
	return send.Result{Outcome: send.Rejected, Err: errors.Join(ErrInvalid, fmt.Errorf("graph: cannot send a %q message", o.Kind))}
}
