package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// recordNewcomers stores the messages at idx, whose senders no wa_id or
// business-scoped id of theirs found (known holds what knownChatters did
// find), with a fixed handful of statements however many there are: the
// held-erased check, the inbox rows, one lookup of the senders' phones and
// suppressions, and, for the senders found nowhere, their people, contact
// points, conversations, links and leads, each in one statement. A message
// whose sender needs a decision of its own goes through recordSender one
// at a time, after the others: a sender found by phone, a refused one, one
// the message names no id of, one who wrote twice in the batch, and one
// another transaction made meanwhile (PostgreSQL).
func recordNewcomers(ctx context.Context, tx *Tx, msgs []WhatsAppMessage, idx []int, known map[[2]string]int64, out []WhatsAppResult) error {
	if len(idx) == 0 {
		return nil
	}
	idx, err := skipHeldErased(ctx, tx, msgs, idx, out)
	if err != nil {
		return err
	}
	items := make([]InboxItem, len(idx))
	for j, i := range idx {
		items[j] = msgs[i].Inbox
	}
	stored, err := InsertInbox(ctx, tx, items)
	if err != nil {
		return err
	}
	inboxOf := map[int]int64{}
	var fresh []int
	for j, i := range idx {
		if out[i].Duplicate = stored[j].Duplicate; !out[i].Duplicate {
			inboxOf[i] = stored[j].ID
			fresh = append(fresh, i)
		}
	}
	phones, refused, err := phonesAndRefusals(ctx, tx, msgs, fresh)
	if err != nil {
		return err
	}
	// How many of the batch's new messages name each contact point: a
	// sender who wrote twice is made once, by the one-at-a-time path.
	named := map[[2]string]int{}
	for _, i := range fresh {
		for _, c := range senderContacts(msgs[i]) {
			named[c]++
		}
	}
	var fast, slow []int
	for _, i := range fresh {
		m := msgs[i]
		alone := m.WAID != "" || m.BSUID != ""
		for _, c := range senderContacts(m) {
			alone = alone && named[c] == 1 && known[c] == 0 && (c[0] != ContactPhone || phones[c[1]] == 0)
		}
		if alone && !refused[m.Hashed] {
			fast = append(fast, i)
		} else {
			slow = append(slow, i)
		}
	}
	raced, err := makeNewcomers(ctx, tx, msgs, fast, inboxOf, out)
	if err != nil {
		return err
	}
	for _, i := range append(slow, raced...) {
		if err := recordSender(ctx, tx, msgs[i], inboxOf[i], &out[i]); err != nil {
			return err
		}
		if out[i].Note == NoteSuppressed {
			if err := forgetRefused(ctx, tx, inboxOf[i], msgs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// senderContacts are the contact points a message names of its sender.
func senderContacts(m WhatsAppMessage) [][2]string {
	var cs [][2]string
	for _, c := range [][2]string{{ContactWAID, m.WAID}, {ContactBSUID, m.BSUID}, {ContactPhone, m.Phone}} {
		if c[1] != "" {
			cs = append(cs, c)
		}
	}
	return cs
}

// skipHeldErased marks duplicate the messages at idx that an erased
// person's data holds under their hashed ids, in one query, and returns
// the others.
func skipHeldErased(ctx context.Context, tx *Tx, msgs []WhatsAppMessage, idx []int, out []WhatsAppResult) ([]int, error) {
	var keys []string
	for _, i := range idx {
		if msgs[i].ErasedID != "" {
			keys = append(keys, msgs[i].ErasedID)
		}
	}
	if len(keys) == 0 {
		return idx, nil
	}
	q, args := heldKeys(tx.engine, keys)
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: check erased messages: %w", err)
	}
	held, err := scanStrings(rows)
	if err != nil {
		return nil, fmt.Errorf("store: check erased messages: %w", err)
	}
	var rest []int
	for _, i := range idx {
		if out[i].Duplicate = msgs[i].ErasedID != "" && held[msgs[i].ErasedID]; !out[i].Duplicate {
			rest = append(rest, i)
		}
	}
	return rest, nil
}

// heldKeys is the query of the WhatsApp inbox keys among keys, and its
// arguments. On PostgreSQL each key is its own probe of the (provider,
// provider_key) index, for the reason contactsIn gives: the inbox grows
// by every message, and a plan kept from its first minutes must not read
// it whole.
func heldKeys(engine Engine, keys []string) (string, []any) {
	if engine == Postgres {
		return `SELECT v FROM (SELECT u.v, (SELECT 1 FROM inbox i WHERE i.provider = 'whatsapp' AND i.provider_key = u.v) AS held
			FROM unnest($1::text[]) AS u(v) OFFSET 0) x WHERE held IS NOT NULL`, []any{keys}
	}
	return `SELECT provider_key FROM inbox WHERE provider = 'whatsapp' AND provider_key IN (` + placeholders(len(keys), 1) + `)`, argsOf(keys)
}

// phonesAndRefusals finds, in one query, the people the messages' phones
// belong to and which phones' hashes are refused as under 18.
func phonesAndRefusals(ctx context.Context, tx *Tx, msgs []WhatsAppMessage, idx []int) (map[string]int64, map[string]bool, error) {
	people, refused := map[string]int64{}, map[string]bool{}
	var phones []string
	var hashes []any
	for _, i := range idx {
		if msgs[i].Phone != "" {
			phones = append(phones, msgs[i].Phone)
		}
		if msgs[i].Hashed != "" {
			hashes = append(hashes, msgs[i].Hashed)
		}
	}
	var q []string
	var args []any
	if len(phones) > 0 {
		cq, cargs := contactsIn(tx.engine, ContactPhone, phones, 1)
		q, args = append(q, "SELECT 'phone', c.* FROM ("+cq+") c"), cargs
	}
	if len(hashes) > 0 {
		args = append(args, SuppressUnder18)
		q = append(q, fmt.Sprintf("SELECT 'refused', hash, 0 FROM suppressions WHERE reason = $%d AND hash IN (%s)",
			len(args), placeholders(len(hashes), len(args)+1)))
		args = append(args, hashes...)
	}
	if len(q) == 0 {
		return people, refused, nil
	}
	rows, err := tx.query(ctx, strings.Join(q, " UNION ALL "), args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: look up WhatsApp senders' phones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var what, value string
		var person int64
		if err := rows.Scan(&what, &value, &person); err != nil {
			return nil, nil, fmt.Errorf("store: look up WhatsApp senders' phones: %w", err)
		}
		if what == "refused" {
			refused[value] = true
		} else {
			people[value] = person
		}
	}
	return people, refused, rows.Err()
}

// makeNewcomers makes a person for each message at idx, with the contact
// points it names, its conversation and its lead, and links the message
// to them: a statement each for the whole batch. It returns the messages
// whose sender another transaction made meanwhile (a contact point was
// taken between the lookup and the insert): their spare people are gone
// again, for recordSender to find the sender.
func makeNewcomers(ctx context.Context, tx *Tx, msgs []WhatsAppMessage, idx []int, inboxOf map[int]int64, out []WhatsAppResult) (raced []int, err error) {
	if len(idx) == 0 {
		return nil, nil
	}
	ids, err := insertPeople(ctx, tx, len(idx))
	if err != nil {
		return nil, err
	}
	args := []any{ms(tx.Now)}
	var values []string
	want := map[int64]int{}
	for j, i := range idx {
		for _, c := range senderContacts(msgs[i]) {
			args = append(args, ids[j], c[0], c[1])
			values = append(values, fmt.Sprintf("($%d,$%d,$%d,$1)", len(args)-2, len(args)-1, len(args)))
			want[ids[j]]++
		}
	}
	rows, err := tx.query(ctx, "INSERT INTO contact_points (person_id, kind, value, created_at) VALUES "+strings.Join(values, ",")+
		" ON CONFLICT (kind, value) DO NOTHING RETURNING person_id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: add WhatsApp senders' contacts: %w", err)
	}
	got, err := scanCounts(rows)
	if err != nil {
		return nil, fmt.Errorf("store: add WhatsApp senders' contacts: %w", err)
	}
	var spare []any
	var made []int
	var madeIDs []int64
	for j, i := range idx {
		if got[ids[j]] != want[ids[j]] {
			raced, spare = append(raced, i), append(spare, ids[j])
			continue
		}
		made, madeIDs = append(made, i), append(madeIDs, ids[j])
	}
	if len(spare) > 0 {
		in := placeholders(len(spare), 1)
		if _, err := tx.exec(ctx, "DELETE FROM contact_points WHERE person_id IN ("+in+")", spare...); err != nil {
			return nil, fmt.Errorf("store: drop spare WhatsApp senders: %w", err)
		}
		if _, err := tx.exec(ctx, "DELETE FROM people WHERE id IN ("+in+")", spare...); err != nil {
			return nil, fmt.Errorf("store: drop spare WhatsApp senders: %w", err)
		}
	}
	var convs []Conversation
	var convOf []int
	for j, i := range made {
		out[i].PersonID, out[i].NewPerson = madeIDs[j], true
		if m := msgs[i]; m.Business != "" {
			convs = append(convs, Conversation{PersonID: madeIDs[j], Channel: ChannelWhatsApp, Business: m.Business,
				BusinessNumber: m.BusinessNumber, DriveID: m.Drive, LastInboundAt: inboundAt(m, tx.Now)})
			convOf = append(convOf, i)
		}
	}
	conv := map[int]int64{}
	if len(convs) > 0 {
		convIDs, err := NoteInbounds(ctx, tx, convs)
		if err != nil {
			return nil, err
		}
		for k, i := range convOf {
			conv[i] = convIDs[k]
		}
	}
	if err := linkMessages(ctx, tx, made, inboxOf, conv, out); err != nil {
		return nil, err
	}
	var leads []newLead
	var leadOf []int
	for _, i := range made {
		if msgs[i].Drive == 0 {
			out[i].Note = noteNoDrive
			continue
		}
		leads = append(leads, newLead{Person: out[i].PersonID, Drive: msgs[i].Drive, Channel: "whatsapp", At: tx.Now, Day: msgs[i].Day})
		leadOf = append(leadOf, i)
	}
	newLeads, err := insertLeads(ctx, tx, leads)
	for k, i := range leadOf {
		out[i].NewLead = newLeads[k] != 0
	}
	return raced, err
}

// linkMessages sets the inbox rows of the messages at idx to their people
// and conversations (none: NULL), in one statement sent with the commit.
func linkMessages(ctx context.Context, tx *Tx, idx []int, inboxOf map[int]int64, conv map[int]int64, out []WhatsAppResult) error {
	if len(idx) == 0 {
		return nil
	}
	var args []any
	rows := make([]string, len(idx))
	for j, i := range idx {
		args = append(args, inboxOf[i], out[i].PersonID, optionalID(conv[i]))
		rows[j] = fmt.Sprintf("(CAST($%d AS BIGINT), CAST($%d AS BIGINT), CAST($%d AS BIGINT))", len(args)-2, len(args)-1, len(args))
	}
	err := tx.later(ctx, `WITH v (id, person, conv) AS (VALUES `+strings.Join(rows, ", ")+`)
		UPDATE inbox SET person_id = v.person, conversation_id = v.conv FROM v WHERE inbox.id = v.id`, args...)
	if err != nil {
		return fmt.Errorf("store: link %d messages to their senders: %w", len(idx), err)
	}
	return nil
}

// scanStrings reads a one-column result of text as a set.
func scanStrings(rows *sql.Rows) (map[string]bool, error) {
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		set[s] = true
	}
	return set, rows.Err()
}

// scanCounts counts how many times each id comes in a one-column result.
func scanCounts(rows *sql.Rows) (map[int64]int, error) {
	defer rows.Close()
	n := map[int64]int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		n[id]++
	}
	return n, rows.Err()
}
