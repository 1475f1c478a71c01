package graph

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits from PROVIDERS.md §1.6, in characters (runes). The text-body,
// section-title and template-parameter rules are Meta's, not in that section.
const (
	maxTextBody     = 4096
	maxButtonsBody  = 1024
	maxListBody     = 4096
	maxCaption      = 60 // header and footer
	maxButtons      = 3
	maxButtonTitle  = 20
	maxButtonID     = 256
	maxListLabel    = 20
	maxSections     = 10
	maxRows         = 10 // across all sections
	maxSectionTitle = 24
	maxRowTitle     = 24
	maxRowDesc      = 72
	maxRowID        = 200
	maxWAMID        = 128
)

func textMessage(to, body string, opts []Option) (outbound, error) {
	o, err := collect("text", opts, "PreviewURL")
	if err == nil {
		err = check(checkTo(to), checkReplyTo(o), within("text body", body, 1, maxTextBody))
	}
	m := newOutbound(to, "text", o)
	m.Text = &text{PreviewURL: o.preview, Body: body}
	return m, err
}

func buttonsMessage(to, body string, buttons []Button, opts []Option) (outbound, error) {
	o, err := collect("button", opts, "Header", "Footer")
	if err == nil {
		err = check(checkTo(to), checkReplyTo(o), within("body", body, 1, maxButtonsBody),
			checkCaptions(o), checkButtons(buttons))
	}
	m := newOutbound(to, "interactive", o)
	m.Interactive = newInteractive("button", body, o)
	for _, b := range buttons {
		m.Interactive.Action.Buttons = append(m.Interactive.Action.Buttons, replyButton{Type: "reply", Reply: b})
	}
	return m, err
}

func listMessage(to, body, buttonText string, sections []Section, opts []Option) (outbound, error) {
	o, err := collect("list", opts, "Header", "Footer")
	if err == nil {
		err = check(checkTo(to), checkReplyTo(o), within("body", body, 1, maxListBody), checkCaptions(o),
			within("list button", buttonText, 1, maxListLabel), checkSections(sections))
	}
	m := newOutbound(to, "interactive", o)
	m.Interactive = newInteractive("list", body, o)
	m.Interactive.Action = action{Button: buttonText, Sections: sections}
	return m, err
}

func templateMessage(to, name, lang string, params []string, opts []Option) (outbound, error) {
	o, err := collect("template", opts, "QuickReplyPayload")
	if err == nil {
		err = check(checkTo(to), checkReplyTo(o), within("template name", name, 1, 512),
			within("template language", lang, 2, 15), checkParams(params, o.payloads))
	}
	m := newOutbound(to, "template", o)
	m.Template = &template{Name: name, Language: language{Code: lang}}
	if len(params) > 0 {
		c := component{Type: "body"}
		for _, p := range params {
			c.Parameters = append(c.Parameters, parameter{Type: "text", Text: p})
		}
		m.Template.Components = append(m.Template.Components, c)
	}
	for i, p := range o.payloads {
		m.Template.Components = append(m.Template.Components, component{Type: "button", SubType: "quick_reply",
			Index: strconv.Itoa(i), Parameters: []parameter{{Type: "payload", Payload: p}}})
	}
	return m, err
}

func newOutbound(to, kind string, o options) outbound {
	m := outbound{MessagingProduct: "whatsapp", RecipientType: "individual", To: to, Type: kind}
	if o.replyTo != "" {
		m.Context = &replyContext{MessageID: o.replyTo}
	}
	return m
}

func newInteractive(kind, body string, o options) *interactive {
	in := &interactive{Type: kind, Body: caption{Text: body}}
	if o.header != "" {
		in.Header = &header{Type: "text", Text: o.header}
	}
	if o.footer != "" {
		in.Footer = &caption{Text: o.footer}
	}
	return in
}

// check is the first of errs, marked ErrInvalid.
func check(errs ...error) error {
	if err := first(errs...); err != nil {
		return fmt.Errorf("graph: %w: %w", ErrInvalid, err)
	}
	return nil
}

func first(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func within(what, s string, minLen, maxLen int) error {
	switch n := utf8.RuneCountInString(s); {
	case !utf8.ValidString(s):
		return fmt.Errorf("%s is not UTF-8", what)
	case n == 0 && minLen > 0:
		return fmt.Errorf("%s is empty", what)
	case n < minLen:
		return fmt.Errorf("%s is under %d characters", what, minLen)
	case n > maxLen:
		return fmt.Errorf("%s is over %d characters", what, maxLen)
	}
	return nil
}

// checkTo accepts the user's number as WhatsApp writes it (country code and
// digits) or in E.164 with its "+"; both are what Meta takes as "to".
func checkTo(to string) error {
	d := strings.TrimPrefix(to, "+")
	if len(d) < 6 || len(d) > 15 || !allDigits(d) {
		return fmt.Errorf("recipient %q is not a phone number with country code", to)
	}
	return nil
}

func checkReplyTo(o options) error {
	return within("reply-to message id", o.replyTo, 0, maxWAMID)
}

func checkCaptions(o options) error {
	return first(within("header", o.header, 0, maxCaption), within("footer", o.footer, 0, maxCaption))
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
