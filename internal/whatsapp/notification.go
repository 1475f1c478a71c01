package whatsapp

import (
	"encoding/json"
	"time"
)

// Notification is one webhook POST flattened: Meta batches several entries,
// changes, messages and statuses into a body, and each item here carries the
// metadata of the change it came in.
type Notification struct {
	Messages []Message
	Statuses []Status
	Errors   []Error // errors about the business number itself (value.errors)
	// Rejected are the messages and statuses that read but cannot be
	// stored as they are (checkMessage, checkStatus).
	Rejected []Rejected
}

// Metadata says which business number an item belongs to.
type Metadata struct {
	BusinessAccountID  string // the WABA id (entry.id)
	PhoneNumberID      string // the id messages are sent from
	DisplayPhoneNumber string // E.164 with a leading +, e.g. +918047123456
}

// Kind is what a message holds. It is the webhook's type for the kinds this
// package reads, and KindUnknown for everything else.
type Kind string

const (
	KindText        Kind = "text"
	KindInteractive Kind = "interactive" // a reply-button or list-row tap: Reply
	KindButton      Kind = "button"      // a template quick-reply tap: Button
	KindLocation    Kind = "location"
	KindImage       Kind = "image"
	KindAudio       Kind = "audio"
	KindVideo       Kind = "video"
	KindDocument    Kind = "document"
	KindSticker     Kind = "sticker"
	KindReaction    Kind = "reaction"
	KindContacts    Kind = "contacts"    // contact cards the user shared: Contacts
	KindUnsupported Kind = "unsupported" // Meta could not pass the content on: Errors say why
	KindUnknown     Kind = "unknown"     // anything else, or a known type whose content did not read: see Type and Raw
)

// Message is one inbound message. The field for its Kind is set; Raw holds
// the message object exactly as sent, so nothing is lost for kinds not read.
type Message struct {
	Metadata
	ID          string // wamid
	From        string // wa_id: country code and number, digits as sent, no +; may be empty for a username-only user
	BSUID       string // business-scoped user id (e.g. IN.1410018717833190) when present
	ProfileName string
	Username    string
	Timestamp   time.Time // UTC
	Type        string    // the webhook's type, as sent
	Kind        Kind
	Context     Context

	Text     string
	Reply    Reply
	Button   Button
	Location Location
	Media    Media
	Reaction Reaction
	Contacts []SharedContact
	Errors   []Error
	Raw      json.RawMessage
}

// Key identifies a message across Meta's redeliveries.
func (m Message) Key() string { return m.ID }

// Context is set when the user replied to or forwarded a message.
type Context struct {
	ID                  string // wamid of the message replied to (ours, for a button or list tap)
	From                string
	Forwarded           bool
	FrequentlyForwarded bool
}

// Reply is a tap on a reply button (Type button_reply) or a list row
// (Type list_reply); ID is the id we gave the button or row.
type Reply struct {
	Type        string
	ID          string
	Title       string
	Description string // list rows only
}

// Button is a tap on a template's quick-reply button.
type Button struct {
	Payload string
	Text    string
}

type Location struct {
	Latitude  float64
	Longitude float64
	Name      string
	Address   string
}

// Media refers to an image, audio, video, document or sticker held by Meta:
// the file is fetched later by ID. SHA256 is opaque (base64 or hex).
type Media struct {
	ID       string
	MimeType string
	SHA256   string
	Caption  string
	Filename string
}

// Reaction is an emoji put on one of our messages; an empty Emoji removes it.
type Reaction struct {
	MessageID string
	Emoji     string
}

// SharedContact is a contact card the user sent.
type SharedContact struct {
	Name   string // formatted_name
	Phones []SharedPhone
}

type SharedPhone struct {
	Phone string
	WaID  string
	Type  string
}

// Status values Meta sends. Others are kept as they come.
const (
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusRead      = "read"
	StatusFailed    = "failed"
)

// Status is a delivery receipt for a message we sent.
type Status struct {
	Metadata
	ID             string // wamid the send API returned
	Status         string
	Timestamp      time.Time // UTC
	RecipientID    string    // wa_id, digits as sent
	RecipientBSUID string
	Errors         []Error // failed only
	Conversation   Conversation
	Pricing        Pricing
}

// Key identifies one status of one message across Meta's redeliveries.
func (s Status) Key() string { return s.ID + ":" + s.Status }

// Conversation is the pre-July-2025 billing conversation, still sent in some
// cases; zero when absent.
type Conversation struct {
	ID         string
	OriginType string
	ExpiresAt  time.Time
}

// Pricing is how a message is billed; zero when absent.
type Pricing struct {
	Billable bool
	Model    string // PMP (per message) or CBP (per conversation, before July 2025)
	Type     string // regular, free_customer_service, free_entry_point
	Category string // marketing, utility, authentication, service, …
}

// Error is an error Meta reports in a webhook.
type Error struct {
	Metadata
	Code    int
	Title   string
	Message string
	Details string
	Href    string
}

// Class says what the error asks of the sender.
func (e Error) Class() ErrorClass { return Classify(e.Code) }
