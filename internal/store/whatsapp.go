package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Inbox kinds of WhatsApp items.
const (
	KindWhatsAppMessage = "whatsapp_message"
	KindWhatsAppStatus  = "whatsapp_status"
)

// WhatsAppMessage is an inbound WhatsApp message ready to store: the
// webhook has verified and parsed it and picked its drive.
type WhatsAppMessage struct {
	Inbox  InboxItem // Provider "whatsapp", Key the message id, the message's raw JSON
	WAID   string    // the sender's wa_id ("" when only a BSUID came)
	BSUID  string    // business-scoped user id, when present
	Phone  string    // E.164 from the wa_id, when it is a valid number
	Hashed string    // keyed hash of Phone, to check suppressions
	Drive  int64     // 0: no drive owns the business number now
	Day    string    // drive-local day

	Business       string    // the receiving business number's phone_number_id
	BusinessNumber string    // and its number, E.164
	At             time.Time // when the person sent it (WhatsApp's timestamp)
}

// WhatsAppStatus is a status notification ready to store and apply.
type WhatsAppStatus struct {
	Inbox  InboxItem    // Provider "whatsapp", Key id:status
	Update StatusUpdate // State "" when the status is not one the outbox knows
}

// WhatsAppResult is what storing a message did.
type WhatsAppResult struct {
	Duplicate bool
	PersonID  int64
	NewPerson bool
	NewLead   bool
	Note      string // why no person or lead was made
}

// RecordWhatsApp stores inbound messages and statuses in tx: each item is
// an inbox row, deduplicated by its key (a message by its id, a status by
// id and status). A new message's sender is found by wa_id, business-scoped
// id or phone, or created (with no name: a lead gives none), and becomes a
// lead of the drive, channel whatsapp. Messages stay unprocessed for the
// conversation worker. Each status is applied to its outbox message
// (forward only) and stored processed; one whose message cannot be found
// yet is stored unprocessed, for the delivery-report retrier.
func RecordWhatsApp(ctx context.Context, tx *Tx, msgs []WhatsAppMessage, statuses []WhatsAppStatus) ([]WhatsAppResult, error) {
	out := make([]WhatsAppResult, len(msgs))
	if err := recordStatuses(ctx, tx, statuses); err != nil {
		return nil, err
	}
	for i, m := range msgs {
		stored, err := InsertInbox(ctx, tx, []InboxItem{m.Inbox})
		if err != nil {
			return nil, err
		}
		if out[i].Duplicate = stored[0].Duplicate; out[i].Duplicate {
			continue
		}
		if err := recordSender(ctx, tx, m, stored[0].ID, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordSender finds or makes the message's person and lead.
func recordSender(ctx context.Context, tx *Tx, m WhatsAppMessage, inboxID int64, res *WhatsAppResult) error {
	person, by, err := findSender(ctx, tx, m)
	if err != nil {
		return err
	}
	if person == 0 && m.Hashed != "" {
		// Only someone unknown can be a refused minor: refusing erases
		// the person's contact points.
		refused, err := IsRefusedUnder18(ctx, tx, m.Hashed)
		if err != nil {
			return err
		}
		if refused {
			res.Note = NoteSuppressed
			return nil
		}
	}
	if person == 0 {
		if m.WAID == "" && m.BSUID == "" {
			res.Note = "the message names no sender"
			return nil
		}
		if person, err = CreatePerson(ctx, tx, Person{}); err != nil {
			return err
		}
		res.NewPerson = true
	}
	for _, c := range [][2]string{{ContactWAID, m.WAID}, {ContactBSUID, m.BSUID}, {ContactPhone, m.Phone}} {
		// A person found by their WhatsApp ids keeps the phones they have:
		// a chat folded into a missed caller by a join code is not their
		// phone (MergeChatPerson).
		if c[1] == "" || c[0] == by || (c[0] == ContactPhone && (by == ContactWAID || by == ContactBSUID)) {
			continue // the contact point they were found by is theirs already
		}
		// A contact point someone else holds stays theirs. If it is the
		// first one of a person just made, another transaction made the
		// same sender meanwhile (PostgreSQL, two webhooks at once): that
		// person is the sender, and the spare one goes.
		err := AddContact(ctx, tx, person, c[0], c[1])
		switch {
		case apperr.CodeOf(err) == apperr.Conflict && res.NewPerson:
			owner, err := FindByContact(ctx, tx, c[0], c[1])
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM people WHERE id = $1", person); err != nil {
				return err
			}
			person, res.NewPerson = owner, false
		case err != nil && apperr.CodeOf(err) != apperr.Conflict:
			return err
		}
	}
	res.PersonID = person
	var conv sql.NullInt64
	if m.Business != "" {
		at := m.At
		if at.IsZero() || at.After(tx.Now) {
			at = tx.Now // a sender's clock ahead must not stretch the window
		}
		id, err := NoteInbound(ctx, tx, Conversation{PersonID: person, Channel: PurposeWhatsApp, Business: m.Business,
			BusinessNumber: m.BusinessNumber, DriveID: m.Drive, LastInboundAt: at})
		if err != nil {
			return err
		}
		conv = sql.NullInt64{Int64: id, Valid: true}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE inbox SET person_id = $1, conversation_id = $2 WHERE id = $3", person, conv, inboxID); err != nil {
		return fmt.Errorf("store: link message to its person: %w", err)
	}
	if m.Drive == 0 {
		res.Note = "no drive owns this WhatsApp number at the time of the message"
		return nil
	}
	res.NewLead, err = EnsureLead(ctx, tx, ParticipationInput{PersonID: person, DriveID: m.Drive, Channel: "whatsapp", Day: m.Day})
	return err
}

// findSender looks the sender up by wa_id, then business-scoped id, then
// phone; 0 when unknown. by is the kind of contact point that found them.
func findSender(ctx context.Context, tx *Tx, m WhatsAppMessage) (id int64, by string, err error) {
	for _, c := range [][2]string{{ContactWAID, m.WAID}, {ContactBSUID, m.BSUID}, {ContactPhone, m.Phone}} {
		// A person found by their WhatsApp ids keeps the phones they have:
		// a chat folded into a missed caller by a join code is not their
		// phone (MergeChatPerson).
		if c[1] == "" || c[0] == by || (c[0] == ContactPhone && (by == ContactWAID || by == ContactBSUID)) {
			continue // the contact point they were found by is theirs already
		}
		id, err := FindByContact(ctx, tx, c[0], c[1])
		switch {
		case err == nil:
			return id, c[0], nil
		case apperr.CodeOf(err) != apperr.NotFound:
			return 0, "", err
		}
	}
	return 0, "", nil
}

// recordStatuses applies and stores status notifications.
func recordStatuses(ctx context.Context, tx *Tx, statuses []WhatsAppStatus) error {
	items := make([]InboxItem, len(statuses))
	for i, st := range statuses {
		items[i] = st.Inbox
		items[i].Processed = true
		if st.Update.State == "" {
			if items[i].Note == "" {
				items[i].Note = "a status the outbox does not track"
			}
			continue
		}
		_, err := ApplyStatusTx(ctx, tx, st.Update)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			items[i].Processed = false // the send's answer may not be recorded yet
		case apperr.CodeOf(err) == apperr.Invalid:
			items[i].Note = err.Error()
		case err != nil:
			return err
		}
	}
	_, err := InsertInbox(ctx, tx, items)
	return err
}
