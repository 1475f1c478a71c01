package store

import (
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Outbox message states. A message moves forward only:
// queued → sending → sent → delivered → read, or to failed (final) or
// unknown (the provider may have it; only a status callback moves it on).
const (
	MsgQueued    = "queued"
	MsgSending   = "sending"
	MsgSent      = "sent"
	MsgDelivered = "delivered"
	MsgRead      = "read"
	MsgFailed    = "failed"
	MsgUnknown   = "unknown"
)

// Message classes: what the person just asked for needs no messaging
// consent; anything Jodo starts needs the channel's consent at send time.
const (
	ClassRequested = "requested"
	ClassOutreach  = "outreach"
)

// Channels a message travels on, as the outbox and conversations store
// them. They are not consent purposes, though outreach on a channel needs
// the purpose of the same name (outbox: consentFor): membership and
// volunteering are purposes with no channel.
const (
	ChannelSMS      = "sms"
	ChannelWhatsApp = "whatsapp"
)

// OutboxMessage is one outbound message.
type OutboxMessage struct {
	ID       int64
	PersonID int64  // 0: not tied to a person
	Channel  string // ChannelSMS or ChannelWhatsApp
	Provider string // the provider's name, e.g. "exotel"
	Class    string // ClassRequested or ClassOutreach
	Template string // the provider-side template id (DLT template id for SMS)
	Body     string
	// Summary is what Body becomes once the message has left sending: the
	// text with its secrets (a code, a token) masked by Masked. "": Body
	// holds no secret and is kept.
	Summary       string
	To            string // E.164
	From          string // the sending business number's id (WhatsApp phone_number_id); "" for SMS
	DriveID       int64  // the drive it is sent for, whose channel switch holds it back; 0: none
	State         string
	ProviderID    string
	Error         string
	Attempts      int
	NextAttemptAt time.Time // zero on enqueue: now
	CreatedAt     time.Time
	SentAt        time.Time
	UpdatedAt     time.Time
}

// Masked stands for a secret in a message's Summary.
const Masked = "•••"

// redactBody is the SET clause that replaces a message's body with its
// summary as it leaves sending (a body erased meanwhile stays erased),
// or, when it has none, with $5 if given (what went instead).
const redactBody = `body = CASE WHEN body = '` + Erased + `' THEN body WHEN summary <> '' THEN summary
	WHEN $5 <> '' THEN $5 ELSE body END, summary = ''`

// redactOnly is redactBody without a body that went instead.
const redactOnly = `body = CASE WHEN body = '` + Erased + `' OR summary = '' THEN body ELSE summary END, summary = ''`

func validateMessage(m OutboxMessage) error {
	switch {
	case m.Channel != ChannelSMS && m.Channel != ChannelWhatsApp:
		return apperr.New(apperr.Invalid, "unknown message channel %q", m.Channel)
	case m.Class != ClassRequested && m.Class != ClassOutreach:
		return apperr.New(apperr.Invalid, "unknown message class %q", m.Class)
	case m.Class == ClassOutreach && m.PersonID == 0:
		return apperr.New(apperr.Invalid, "an outreach message needs a person, whose consent it checks")
	case m.Provider == "" || m.Body == "":
		return apperr.New(apperr.Invalid, "a message needs a provider and a body")
	case !isE164(m.To):
		// Not echoed: it may be a mistyped phone number, or thousands of characters.
		return apperr.New(apperr.Invalid, "message recipient is not an E.164 number (%d characters)", len(m.To))
	}
	return nil
}

const outboxColumns = `id, person_id, channel, provider, class, template, body, to_address, state, provider_id, error,
	attempts, next_attempt_at, created_at, sent_at, updated_at, from_address, drive_id`
