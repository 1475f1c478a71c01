package graph

// The request bodies of POST /{phone_number_id}/messages, field for field
// and in the order of PROVIDERS.md §1.6 and its sample files.

// Button is one reply button: ID comes back in the tap's button_reply.id.
type Button struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Section is one titled group of list rows. Its title may be empty only when
// it is the list's one section.
type Section struct {
	Title string `json:"title,omitempty"`
	Rows  []Row  `json:"rows"`
}

// Row is one list choice: ID comes back in the tap's list_reply.id.
type Row struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

type outbound struct {
	MessagingProduct string        `json:"messaging_product"`
	RecipientType    string        `json:"recipient_type"`
	To               string        `json:"to"`
	Context          *replyContext `json:"context,omitempty"`
	Type             string        `json:"type"`
	Text             *text         `json:"text,omitempty"`
	Interactive      *interactive  `json:"interactive,omitempty"`
	Template         *template     `json:"template,omitempty"`
}

type replyContext struct {
	MessageID string `json:"message_id"`
}

type text struct {
	PreviewURL *bool  `json:"preview_url,omitempty"`
	Body       string `json:"body"`
}

type interactive struct {
	Type   string   `json:"type"` // button | list
	Header *header  `json:"header,omitempty"`
	Body   caption  `json:"body"`
	Footer *caption `json:"footer,omitempty"`
	Action action   `json:"action"`
}

type header struct {
	Type string `json:"type"` // text: the only header this client sends
	Text string `json:"text"`
}

type caption struct {
	Text string `json:"text"`
}

type action struct {
	Button   string        `json:"button,omitempty"` // a list's menu label
	Buttons  []replyButton `json:"buttons,omitempty"`
	Sections []Section     `json:"sections,omitempty"`
}

type replyButton struct {
	Type  string `json:"type"` // reply
	Reply Button `json:"reply"`
}

type template struct {
	Name       string      `json:"name"`
	Language   language    `json:"language"`
	Components []component `json:"components,omitempty"`
}

type language struct {
	Code string `json:"code"`
}

type component struct {
	Type       string      `json:"type"` // body | button
	SubType    string      `json:"sub_type,omitempty"`
	Index      string      `json:"index,omitempty"` // a string on the wire
	Parameters []parameter `json:"parameters"`
}

type parameter struct {
	Type    string `json:"type"` // text | payload
	Text    string `json:"text,omitempty"`
	Payload string `json:"payload,omitempty"`
}
