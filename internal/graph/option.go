package graph

import (
	"fmt"
	"slices"
)

// Option adds an optional part to a message. An option that does not apply
// to the kind of message it is given to makes the send refuse (ErrInvalid),
// rather than be dropped unseen.
type Option func(*options)

type options struct {
	set      []string // the names of the options given, to refuse misplaced ones
	replyTo  string
	preview  *bool
	header   string
	footer   string
	payloads []string
}

// ReplyTo quotes the message with this wamid (the user's, usually): the send
// carries context.message_id. An empty id quotes nothing. Any kind of message.
func ReplyTo(messageID string) Option {
	return func(o *options) { o.set, o.replyTo = append(o.set, "ReplyTo"), messageID }
}

// PreviewURL sends text.preview_url: whether WhatsApp renders a preview of
// the first link. Without it the field is left out, which Meta reads as
// false. Text only.
func PreviewURL(on bool) Option {
	return func(o *options) { o.set, o.preview = append(o.set, "PreviewURL"), &on }
}

// Header is a text header (≤ 60 characters) above an interactive message.
func Header(text string) Option {
	return func(o *options) { o.set, o.header = append(o.set, "Header"), text }
}

// Footer is a footer (≤ 60 characters) under an interactive message.
func Footer(text string) Option {
	return func(o *options) { o.set, o.footer = append(o.set, "Footer"), text }
}

// QuickReplyPayload fills the template's next quick-reply button (index 0,
// then 1, …) with the payload its tap sends back. Templates only.
func QuickReplyPayload(payload string) Option {
	return func(o *options) { o.set, o.payloads = append(o.set, "QuickReplyPayload"), append(o.payloads, payload) }
}

// collect applies opts and refuses any not in allowed (ReplyTo is always
// allowed).
func collect(kind string, opts []Option, allowed ...string) (options, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	for _, name := range o.set {
		if name != "ReplyTo" && !slices.Contains(allowed, name) {
			return o, fmt.Errorf("graph: %w: %s does not apply to a %s message", ErrInvalid, name, kind)
		}
	}
	return o, nil
}
