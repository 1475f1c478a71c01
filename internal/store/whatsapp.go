package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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

	// ErasedID is ErasedID of the message's id: the key it is kept under
	// once its sender erased their data, so a repeated delivery then is
	// still a duplicate. "": not checked.
	ErasedID string
}

// WhatsAppStatus is a status notification ready to store and apply.
type WhatsAppStatus struct {
	Inbox  InboxItem    // Provider "whatsapp", Key id:status
	Update StatusUpdate // State "" when the status is not one the outbox knows
	// ErasedID is ErasedID of the message's id: the id its message is
	// kept under once its person erased their data. "": not checked.
	ErasedID string
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
//
// Messages from people already known by their WhatsApp ids (all but a
// person's first) are stored with a fixed handful of statements however
// many there are, and so are those of new senders (recordNewcomers), but
// for the few whose sender needs a decision of their own.
func RecordWhatsApp(ctx context.Context, tx *Tx, msgs []WhatsAppMessage, statuses []WhatsAppStatus) ([]WhatsAppResult, error) {
	look, err := LookupWhatsApp(ctx, tx, nil, msgs)
	if err != nil {
		return nil, err
	}
	return RecordWhatsAppLooked(ctx, tx, look, msgs, statuses)
}

// WhatsAppLookup is what a batch of WhatsApp messages reads before it is
// routed and stored (LookupWhatsApp).
type WhatsAppLookup struct {
	Owners []ChannelDrive      // the drives of the business numbers asked for
	known  map[[2]string]int64 // (contact kind, value) → person, of the senders' ids
}

// LookupWhatsApp reads what a batch of messages needs before it is stored:
// the drives whose WhatsApp channels are numbers (for routing; none asked
// for, none read), and the people the senders' WhatsApp ids belong to. On
// PostgreSQL both go in one round trip, with BEGIN when they are the
// transaction's first statements.
func LookupWhatsApp(ctx context.Context, tx *Tx, numbers []string, msgs []WhatsAppMessage) (*WhatsAppLookup, error) {
	look := &WhatsAppLookup{known: map[[2]string]int64{}}
	var stmts []pgStmt
	if len(numbers) > 0 {
		stmts = append(stmts, channelDrives(ChannelWhatsApp, numbers, &look.Owners))
	}
	if st, ok := knownChatters(tx, msgs, look.known); ok {
		stmts = append(stmts, st)
	}
	if len(stmts) == 0 {
		return look, nil
	}
	if err := tx.batch(ctx, stmts...); err != nil {
		return nil, fmt.Errorf("store: look up WhatsApp messages: %w", err)
	}
	return look, nil
}

// RecordWhatsAppLooked is RecordWhatsApp for messages whose senders look
// has read (LookupWhatsApp, in tx).
func RecordWhatsAppLooked(ctx context.Context, tx *Tx, look *WhatsAppLookup, msgs []WhatsAppMessage, statuses []WhatsAppStatus) ([]WhatsAppResult, error) {
	out := make([]WhatsAppResult, len(msgs))
	if err := recordStatuses(ctx, tx, statuses); err != nil {
		return nil, err
	}
	known := look.known
	var fast []int
	for i, m := range msgs {
		// Known by wa_id (and by the business-scoped id too, when one came),
		// writing to a business number: nothing about them to add.
		p := known[[2]string{ContactWAID, m.WAID}]
		if p != 0 && m.Business != "" && (m.BSUID == "" || known[[2]string{ContactBSUID, m.BSUID}] == p) {
			out[i].PersonID = p
			fast = append(fast, i)
		}
	}
	if err := recordKnown(ctx, tx, msgs, fast, out); err != nil {
		return nil, err
	}
	var unknown []int
	for i := range msgs {
		if out[i].PersonID == 0 {
			unknown = append(unknown, i)
		}
	}
	if err := recordNewcomers(ctx, tx, msgs, unknown, known, out); err != nil {
		return nil, err
	}
	return out, nil
}

// knownChatters is the query of the people the messages' wa_ids and
// business-scoped ids belong to, adding them to known; false when no
// message names a wa_id.
func knownChatters(tx *Tx, msgs []WhatsAppMessage, known map[[2]string]int64) (pgStmt, bool) {
	var waids, bsuids []string
	for _, m := range msgs {
		if m.WAID != "" {
			waids = append(waids, m.WAID)
		}
		if m.BSUID != "" {
			bsuids = append(bsuids, m.BSUID)
		}
	}
	if len(waids) == 0 {
		return pgStmt{}, false
	}
	q, args := contactsIn(tx.engine, ContactWAID, waids, 2)
	q = "SELECT CAST($1 AS TEXT), c.* FROM (" + q + ") c"
	args = append([]any{ContactWAID}, args...)
	if len(bsuids) > 0 {
		q2, args2 := contactsIn(tx.engine, ContactBSUID, bsuids, len(args)+2)
		q += fmt.Sprintf(" UNION ALL SELECT CAST($%d AS TEXT), c.* FROM (%s) c", len(args)+1, q2)
		args = append(append(args, ContactBSUID), args2...)
	}
	return pgStmt{query: q, args: args, scan: func(rows rowScanner) error {
		for rows.Next() {
			var k [2]string
			var person int64
			if err := rows.Scan(&k[0], &k[1], &person); err != nil {
				return fmt.Errorf("store: look up WhatsApp senders: %w", err)
			}
			known[k] = person
		}
		return rows.Err()
	}}, true
}

// recordKnown stores the messages at idx, whose senders out already
// holds: their conversations noted, the inbox rows linked to person and
// conversation as they are inserted, leads made where new. Duplicates
// change nothing but the conversations' update times.
func recordKnown(ctx context.Context, tx *Tx, msgs []WhatsAppMessage, idx []int, out []WhatsAppResult) error {
	if len(idx) == 0 {
		return nil
	}
	if tx.pg != nil {
		return recordKnownPG(ctx, tx, msgs, idx, out)
	}
	convs := make([]Conversation, len(idx))
	for j, i := range idx {
		m := msgs[i]
		convs[j] = Conversation{PersonID: out[i].PersonID, Channel: ChannelWhatsApp, Business: m.Business,
			BusinessNumber: m.BusinessNumber, DriveID: m.Drive, LastInboundAt: inboundAt(m, tx.Now)}
	}
	convIDs, err := NoteInbounds(ctx, tx, convs)
	if err != nil {
		return err
	}
	items := make([]InboxItem, len(idx))
	for j, i := range idx {
		items[j] = msgs[i].Inbox
		items[j].PersonID, items[j].ConversationID = out[i].PersonID, convIDs[j]
	}
	stored, err := InsertInbox(ctx, tx, items)
	if err != nil {
		return err
	}
	var leads []newLead
	var leadOf []int
	for j, i := range idx {
		m := msgs[i]
		switch out[i].Duplicate = stored[j].Duplicate; {
		case out[i].Duplicate:
		case m.Drive == 0:
			out[i].Note = noteNoDrive
		default:
			leads = append(leads, newLead{Person: out[i].PersonID, Drive: m.Drive, Channel: "whatsapp", At: tx.Now, Day: m.Day})
			leadOf = append(leadOf, i)
		}
	}
	made, err := insertLeads(ctx, tx, leads)
	for j, i := range leadOf {
		out[i].NewLead = made[j] != 0
	}
	return err
}

// noteNoDrive is the note on a message to a number no drive owns.
const noteNoDrive = "no drive owns this WhatsApp number at the time of the message"

// inboundAt is when a message counts as written for its conversation's
// window: its own time, but never ahead of now (a sender's clock ahead
// must not stretch the window).
func inboundAt(m WhatsAppMessage, now time.Time) time.Time {
	if m.At.IsZero() || m.At.After(now) {
		return now
	}
	return m.At
}

// recordSender finds or makes the message's person and lead.
func recordSender(ctx context.Context, tx *Tx, m WhatsAppMessage, inboxID int64, res *WhatsAppResult) error {
	person, by, refused, err := findSender(ctx, tx, m)
	if err != nil {
		return err
	}
	if person == 0 && refused {
		// Only someone unknown can be a refused minor: refusing erases
		// the person's contact points.
		res.Note = NoteSuppressed
		return nil
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
		// phone (FoldPerson).
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
			if _, err := tx.exec(ctx, "DELETE FROM people WHERE id = $1", person); err != nil {
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
		id, err := NoteInbound(ctx, tx, Conversation{PersonID: person, Channel: ChannelWhatsApp, Business: m.Business,
			BusinessNumber: m.BusinessNumber, DriveID: m.Drive, LastInboundAt: inboundAt(m, tx.Now)})
		if err != nil {
			return err
		}
		conv = sql.NullInt64{Int64: id, Valid: true}
	}
	if _, err := tx.exec(ctx, "UPDATE inbox SET person_id = $1, conversation_id = $2 WHERE id = $3", person, conv, inboxID); err != nil {
		return fmt.Errorf("store: link message to its person: %w", err)
	}
	if m.Drive == 0 {
		res.Note = noteNoDrive
		return nil
	}
	res.NewLead, err = EnsureLead(ctx, tx, ParticipationInput{PersonID: person, DriveID: m.Drive, Channel: "whatsapp", Day: m.Day})
	return err
}

// findSender looks the sender up by wa_id, then business-scoped id, then
// phone, in one query; 0 when unknown. by is the kind of contact point
// that found them; refused says the phone was refused as under 18.
func findSender(ctx context.Context, tx *Tx, m WhatsAppMessage) (id int64, by string, refused bool, err error) {
	order := [][2]string{{ContactWAID, m.WAID}, {ContactBSUID, m.BSUID}, {ContactPhone, m.Phone}}
	var which []string
	var args []any
	for _, c := range order {
		if c[1] != "" {
			args = append(args, c[0], c[1])
			which = append(which, fmt.Sprintf("(kind = $%d AND value = $%d)", len(args)-1, len(args)))
		}
	}
	q := `SELECT kind, person_id FROM contact_points WHERE ` + strings.Join(which, " OR ")
	if m.Hashed != "" {
		args = append(args, m.Hashed, SuppressUnder18)
		q += fmt.Sprintf(` UNION ALL SELECT 'suppressed', 0 FROM suppressions WHERE hash = $%d AND reason = $%d`, len(args)-1, len(args))
	}
	if len(which) == 0 {
		return 0, "", false, nil
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return 0, "", false, fmt.Errorf("store: find WhatsApp sender: %w", err)
	}
	defer rows.Close()
	found := map[string]int64{}
	for rows.Next() {
		var kind string
		var person int64
		if err := rows.Scan(&kind, &person); err != nil {
			return 0, "", false, fmt.Errorf("store: find WhatsApp sender: %w", err)
		}
		found[kind] = person
	}
	if err := rows.Err(); err != nil {
		return 0, "", false, fmt.Errorf("store: find WhatsApp sender: %w", err)
	}
	_, refused = found["suppressed"]
	for _, c := range order {
		if p, ok := found[c[0]]; ok && c[1] != "" {
			return p, c[0], refused, nil
		}
	}
	return 0, "", refused, nil
}

// recordStatuses applies and stores status notifications. A status for
// a message of someone who erased their data finds it by its hashed id and
// is stored under that id, with no payload.
func recordStatuses(ctx context.Context, tx *Tx, statuses []WhatsAppStatus) error {
	items := make([]InboxItem, len(statuses))
	for i, st := range statuses {
		items[i] = st.Inbox
		items[i].Processed = true
		if st.Update.State == "" {
			if items[i].Note == "" {
				items[i].Note = "a status the outbox does not track"
			}
			erased, err := sentErased(ctx, tx, st.ErasedID)
			if err != nil {
				return err
			}
			if erased {
				items[i] = erasedStatus(st)
			}
			continue
		}
		_, err := ApplyStatusTx(ctx, tx, st.Update)
		if apperr.CodeOf(err) == apperr.NotFound && st.ErasedID != "" {
			u := st.Update
			u.ProviderID = st.ErasedID
			if _, e := ApplyStatusTx(ctx, tx, u); apperr.CodeOf(e) != apperr.NotFound {
				items[i], err = erasedStatus(st), e
			}
		}
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

// forgetRefused keeps a refused minor's message without its payload and,
// when the hook gave one, under the hashed id (a wamid holds the number):
// only keyed hashes of the number are kept, and a repeat is a duplicate.
func forgetRefused(ctx context.Context, tx *Tx, inboxID int64, m WhatsAppMessage) error {
	key := m.Inbox.Key
	if m.ErasedID != "" {
		key = m.ErasedID
	}
	if _, err := tx.exec(ctx, "UPDATE inbox SET payload = $1, provider_key = $2 WHERE id = $3", []byte{}, key, inboxID); err != nil {
		return fmt.Errorf("store: forget a refused number's message: %w", err)
	}
	return nil
}

// erasedStatus is the inbox item of a status for an erased person's
// message: under the hashed id, without its payload (which names the
// recipient).
func erasedStatus(st WhatsAppStatus) InboxItem {
	it := st.Inbox
	it.Key, it.Payload, it.Note, it.Processed = st.ErasedID, []byte{}, Erased, true
	if i := strings.LastIndexByte(st.Inbox.Key, ':'); i >= 0 {
		it.Key += st.Inbox.Key[i:]
	}
	return it
}

// sentErased reports whether an erased person's message was sent under the
// hashed id erasedID.
func sentErased(ctx context.Context, tx *Tx, erasedID string) (bool, error) {
	if erasedID == "" {
		return false, nil
	}
	return exists(ctx, tx, "SELECT 1 FROM outbox WHERE provider = 'whatsapp' AND provider_id = $1", erasedID)
}
