package whatsapp

import (
	"encoding/json"
	"errors"
)

// wireHeader is what every message has and a store needs: who, when, which.
// It must read, or the whole body is malformed.
type wireHeader struct {
	ID         string   `json:"id"`
	From       string   `json:"from"`
	FromUserID string   `json:"from_user_id"`
	Timestamp  unixTime `json:"timestamp"`
	Type       string   `json:"type"`
	Context    struct {
		ID                  string `json:"id"`
		From                string `json:"from"`
		Forwarded           bool   `json:"forwarded"`
		FrequentlyForwarded bool   `json:"frequently_forwarded"`
	} `json:"context"`
}

// wireBody is the content of the kinds this package reads. If it does not
// read, the message is kept as KindUnknown with its Raw JSON.
type wireBody struct {
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Interactive *struct {
		Type        string     `json:"type"`
		ButtonReply *wireReply `json:"button_reply"`
		ListReply   *wireReply `json:"list_reply"`
	} `json:"interactive"`
	Button *struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
	Location *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
		Name      string  `json:"name"`
		Address   string  `json:"address"`
	} `json:"location"`
	Image    *wireMedia `json:"image"`
	Audio    *wireMedia `json:"audio"`
	Video    *wireMedia `json:"video"`
	Document *wireMedia `json:"document"`
	Sticker  *wireMedia `json:"sticker"`
	Reaction *struct {
		MessageID string `json:"message_id"`
		Emoji     string `json:"emoji"`
	} `json:"reaction"`
	Contacts []wireSharedContact `json:"contacts"`
	Errors   []wireError         `json:"errors"`
}

type wireReply struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type wireMedia struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

type wireSharedContact struct {
	Name struct {
		FormattedName string `json:"formatted_name"`
	} `json:"name"`
	Phones []struct {
		Phone string `json:"phone"`
		WaID  string `json:"wa_id"`
		Type  string `json:"type"`
	} `json:"phones"`
}

func readMessage(raw json.RawMessage, meta Metadata, contacts []wireContact) (Message, error) {
	var h wireHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return Message{}, err
	}
	if h.ID == "" {
		return Message{}, errors.New("no id")
	}
	c := contactFor(contacts, h.From, h.FromUserID)
	m := Message{
		Metadata:    meta,
		ID:          h.ID,
		From:        firstOf(h.From, c.WaID),
		BSUID:       firstOf(h.FromUserID, c.UserID),
		ProfileName: text(c.Profile.Name),
		Username:    text(c.Profile.Username),
		Timestamp:   h.Timestamp.Time,
		Type:        h.Type,
		Kind:        KindUnknown,
		Context: Context{
			ID:                  h.Context.ID,
			From:                h.Context.From,
			Forwarded:           h.Context.Forwarded,
			FrequentlyForwarded: h.Context.FrequentlyForwarded,
		},
		Raw: raw,
	}
	var b wireBody
	if json.Unmarshal(raw, &b) == nil {
		m.Errors = readErrors(b.Errors, meta)
		m.Kind = b.fill(&m)
	}
	return m, nil
}

// fill sets the field for m.Type and says which Kind that makes m: a type
// this package does not read, or one whose content is missing, is unknown.
func (b wireBody) fill(m *Message) Kind {
	switch m.Type {
	case "text":
		if b.Text != nil {
			m.Text = text(b.Text.Body)
			return KindText
		}
	case "interactive":
		return b.fillReply(m)
	case "button":
		if b.Button != nil {
			m.Button = Button{Payload: b.Button.Payload, Text: text(b.Button.Text)}
			return KindButton
		}
	case "location":
		if b.Location != nil {
			m.Location = Location(*b.Location)
			return KindLocation
		}
	case "image", "audio", "video", "document", "sticker":
		if media := b.media(m.Type); media != nil {
			m.Media = Media(*media)
			return Kind(m.Type)
		}
	case "reaction":
		if b.Reaction != nil {
			m.Reaction = Reaction(*b.Reaction)
			return KindReaction
		}
	case "contacts":
		if len(b.Contacts) > 0 {
			m.Contacts = sharedContacts(b.Contacts)
			return KindContacts
		}
	case "unsupported":
		return KindUnsupported
	}
	return KindUnknown
}

// fillReply reads the two interactive replies a button or list produces;
// other interactive types (flows, call permission…) stay unknown.
func (b wireBody) fillReply(m *Message) Kind {
	if b.Interactive == nil {
		return KindUnknown
	}
	var r *wireReply
	switch b.Interactive.Type {
	case "button_reply":
		r = b.Interactive.ButtonReply
	case "list_reply":
		r = b.Interactive.ListReply
	}
	if r == nil {
		return KindUnknown
	}
	m.Reply = Reply{Type: b.Interactive.Type, ID: r.ID, Title: text(r.Title), Description: text(r.Description)}
	return KindInteractive
}

func (b wireBody) media(typ string) *wireMedia {
	switch typ {
	case "image":
		return b.Image
	case "audio":
		return b.Audio
	case "video":
		return b.Video
	case "document":
		return b.Document
	default:
		return b.Sticker
	}
}

func sharedContacts(ws []wireSharedContact) []SharedContact {
	out := make([]SharedContact, 0, len(ws))
	for _, w := range ws {
		c := SharedContact{Name: w.Name.FormattedName}
		for _, p := range w.Phones {
			c.Phones = append(c.Phones, SharedPhone(p))
		}
		out = append(out, c)
	}
	return out
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ReadMessage reads one stored message (its Raw JSON) back. The envelope's
// metadata and contacts are not in it: From, BSUID and the message itself
// are.
func ReadMessage(raw json.RawMessage) (Message, error) {
	return readMessage(raw, Metadata{}, nil)
}
