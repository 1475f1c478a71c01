package bot

import (
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// InputKind is what a person sent, as the flows read it.
type InputKind int

const (
	// Other is anything the flows cannot read: a sticker, a voice note, an
	// image, a reaction, an unknown kind. It is answered, never ignored.
	Other InputKind = iota
	Text
	Choice   // a tap on a button or list row we sent: Input.Choice is its id
	Location // a shared location: Lat, Lon
)

// Input is one message from a person, channel-neutral.
type Input struct {
	ID       string // the channel's message id
	Kind     InputKind
	Text     string // what was typed, or the tapped choice's title
	Choice   string
	Lat, Lon float64
}

// FromWhatsApp reads a WhatsApp message as an Input.
func FromWhatsApp(m whatsapp.Message) Input {
	in := Input{ID: m.ID}
	switch m.Kind {
	case whatsapp.KindText:
		in.Kind, in.Text = Text, m.Text
	case whatsapp.KindInteractive:
		in.Kind, in.Choice, in.Text = Choice, m.Reply.ID, m.Reply.Title
	case whatsapp.KindButton:
		in.Kind, in.Choice, in.Text = Choice, m.Button.Payload, m.Button.Text
	case whatsapp.KindLocation:
		in.Kind, in.Lat, in.Lon = Location, m.Location.Latitude, m.Location.Longitude
	}
	return in
}

// Reply is one message to the person: text, and choices to tap (a channel
// shows up to 3 as buttons and more as a list behind Menu; the flows page
// lists of more than 10).
type Reply struct {
	Text    string
	Choices []Option
	Menu    string // the list's button label; "" asks for buttons
}

// Option is one choice offered.
type Option struct {
	ID, Title, Description string
}
