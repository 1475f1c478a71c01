package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Conversation is a person's thread with one business number on a channel.
type Conversation struct {
	PersonID       int64
	Channel        string // ChannelWhatsApp
	Business       string // the business number's id (WhatsApp phone_number_id)
	BusinessNumber string // its number, E.164, when known
	DriveID        int64  // the drive that owned the number at the last inbound message; 0: none
	LastInboundAt  time.Time
	WindowClosedAt time.Time // zero: the provider never said the window was closed
}

// NoteInbound records, in tx, that the person wrote to the business number
// at: the conversation is made if new, and its last inbound time only ever
// moves forward (webhooks arrive out of order). It returns the
// conversation's id.
func NoteInbound(ctx context.Context, tx *Tx, c Conversation) (int64, error) {
	ids, err := NoteInbounds(ctx, tx, []Conversation{c})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// noteInboundConflict is what a new inbound message does to its
// conversation when it exists already: waiting again (if it was not), one
// more inbound, the later of the two times, and the business number and
// drive the message came with where it has them.
const noteInboundConflict = `ON CONFLICT (person_id, channel, business) DO UPDATE SET
			waiting_since = COALESCE(conversations.waiting_since, excluded.waiting_since),
			inbound_seq = conversations.inbound_seq + 1,
			last_inbound_at = CASE WHEN excluded.last_inbound_at > conversations.last_inbound_at
				THEN excluded.last_inbound_at ELSE conversations.last_inbound_at END,
			business_number = CASE WHEN excluded.business_number <> '' THEN excluded.business_number ELSE conversations.business_number END,
			drive_id = COALESCE(excluded.drive_id, conversations.drive_id),
			updated_at = excluded.updated_at`

// NoteInbounds is NoteInbound for many messages in one statement; ids[i]
// is the conversation of cs[i]. Several messages to one conversation count
// as its latest.
func NoteInbounds(ctx context.Context, tx *Tx, cs []Conversation) (ids []int64, err error) {
	type key struct {
		person            int64
		channel, business string
	}
	latest := map[key]Conversation{}
	for _, c := range cs {
		k := key{c.PersonID, c.Channel, c.Business}
		if l, ok := latest[k]; !ok || c.LastInboundAt.After(l.LastInboundAt) {
			latest[k] = c
		}
	}
	// In one order, so that concurrent batches (PostgreSQL) lock
	// conversations alike and do not deadlock.
	keys := slices.SortedFunc(maps.Keys(latest), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.person, b.person), cmp.Compare(a.channel, b.channel), cmp.Compare(a.business, b.business))
	})
	args := []any{ms(tx.Now)}
	for _, k := range keys {
		c := latest[k]
		args = append(args, c.PersonID, c.Channel, c.Business, c.BusinessNumber, optionalID(c.DriveID), ms(c.LastInboundAt))
	}
	rows, err := tx.query(ctx, `INSERT INTO conversations (person_id, channel, business, business_number, drive_id,
			last_inbound_at, created_at, updated_at, waiting_since, inbound_seq) VALUES `+valuesWith(len(keys), 6, 2, "$1", "$1", "$1", "1")+`
		`+noteInboundConflict+`
		RETURNING id, person_id, channel, business`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: note inbound of %d conversations: %w", len(keys), err)
	}
	defer rows.Close()
	found := make(map[key]int64, len(keys))
	for rows.Next() {
		var k key
		var id int64
		if err := rows.Scan(&id, &k.person, &k.channel, &k.business); err != nil {
			return nil, fmt.Errorf("store: note inbound: %w", err)
		}
		found[k] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: note inbound: %w", err)
	}
	ids = make([]int64, len(cs))
	for i, c := range cs {
		if ids[i] = found[key{c.PersonID, c.Channel, c.Business}]; ids[i] == 0 {
			return nil, fmt.Errorf("store: note inbound: no conversation came back for person %d", c.PersonID)
		}
	}
	return ids, nil
}

// ConversationWork is a leased conversation: who, which business number,
// and the bot's state in it.
type ConversationWork struct {
	ID             int64
	PersonID       int64
	DriveID        int64 // 0: no drive owns the business number
	Channel        string
	Business       string
	BusinessNumber string
	State          string // JSON
	Stopped        bool   // the person wrote STOP here and not START since
	Seq            int64  // inbound messages counted when leased (Release.Seq)
}

// pendingConversations are those with unanswered messages, not leased by
// anyone, whose drive has not switched the channel off (their messages
// wait, stored, until it is on again).
const pendingConversations = `SELECT c.id FROM conversations c
	WHERE c.waiting_since IS NOT NULL AND (c.lease_until IS NULL OR c.lease_until < $1)
		AND NOT EXISTS (SELECT 1 FROM drive_channels d WHERE d.drive_id = c.drive_id AND d.kind = c.channel AND d.off = 1)`

// ConversationsWaiting says, from the read pool, whether any conversation
// has messages to answer (on SQLite LeaseConversations asks before taking
// the one writer).
func (db *DB) ConversationsWaiting(ctx context.Context, now time.Time) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+pendingConversations+` LIMIT 1) AS w`, ms(now)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: look for conversations to answer: %w", err)
	}
	return n > 0, nil
}

// LeaseConversations leases up to limit conversations with messages to
// answer to owner until the lease ends, those waiting longest first (since
// the first message not yet answered, so a newcomer is not starved by
// people who keep writing): while it holds one, no other worker (or node)
// answers that person on that number.
func (db *DB) LeaseConversations(ctx context.Context, owner string, limit int, lease time.Duration) ([]ConversationWork, error) {
	pick := pendingConversations + ` ORDER BY c.waiting_since, c.id LIMIT $4`
	if db.engine == Postgres {
		pick += " FOR UPDATE OF c SKIP LOCKED"
	}
	claim := `WITH picked AS MATERIALIZED (` + pick + `)
		UPDATE conversations SET lease_owner = $2, lease_until = $3 WHERE id IN (SELECT id FROM picked)
		RETURNING id, person_id, COALESCE(drive_id, 0), channel, business, business_number, state, stopped_at IS NOT NULL, inbound_seq`
	if db.engine == Postgres {
		// One statement is a transaction of its own: sent alone, without
		// BEGIN and COMMIT, it is one round trip instead of three (as
		// ClaimMessages), and with nothing waiting it writes nothing, so
		// no look from the read pool goes first.
		now := db.Now()
		rows, err := db.write.QueryContext(ctx, claim, ms(now), owner, ms(now.Add(lease)), limit)
		if err != nil {
			return nil, fmt.Errorf("store: lease conversations: %w", err)
		}
		return scanLeased(rows)
	}
	// SQLite has one writer: a look from the read pool first keeps an
	// idle worker from taking it.
	if waiting, err := db.ConversationsWaiting(ctx, db.Now()); err != nil || !waiting {
		return nil, err
	}
	var out []ConversationWork
	err := db.Update(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, claim, ms(tx.Now), owner, ms(tx.Now.Add(lease)), limit)
		if err != nil {
			return fmt.Errorf("store: lease conversations: %w", err)
		}
		out, err = scanLeased(rows)
		return err
	})
	return out, err
}

// scanLeased reads the conversations LeaseConversations leased, in id
// order.
func scanLeased(rows *sql.Rows) ([]ConversationWork, error) {
	defer rows.Close()
	var out []ConversationWork
	for rows.Next() {
		var c ConversationWork
		if err := rows.Scan(&c.ID, &c.PersonID, &c.DriveID, &c.Channel, &c.Business, &c.BusinessNumber, &c.State, &c.Stopped, &c.Seq); err != nil {
			return nil, fmt.Errorf("store: lease conversations: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: lease conversations: %w", err)
	}
	slices.SortFunc(out, func(a, b ConversationWork) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// PendingMessagesOf returns, in tx, the unanswered messages of many
// conversations, each conversation's in the order received.
func PendingMessagesOf(ctx context.Context, tx *Tx, conversationIDs []int64) (map[int64][]InboxRow, error) {
	out := map[int64][]InboxRow{}
	if len(conversationIDs) == 0 {
		return out, nil
	}
	if err := tx.batch(ctx, pendingMessagesStmt(conversationIDs, out)); err != nil {
		return nil, fmt.Errorf("store: messages of %d conversations: %w", len(conversationIDs), err)
	}
	return out, nil
}

// PendingWork is PendingMessagesOf the conversations and GetChatContexts of
// keys (one of each a conversation) together: on PostgreSQL one round trip,
// with BEGIN when they are the transaction's first statements.
func PendingWork(ctx context.Context, tx *Tx, conversationIDs []int64, keys []ChatKey) (map[int64][]InboxRow, map[ChatKey]ChatContext, error) {
	pending := map[int64][]InboxRow{}
	if len(conversationIDs) == 0 || len(keys) == 0 {
		return pending, map[ChatKey]ChatContext{}, nil // no conversations
	}
	var got chatRows
	if err := tx.batch(ctx, pendingMessagesStmt(conversationIDs, pending), chatContextsStmt(keys, &got)); err != nil {
		return nil, nil, fmt.Errorf("store: messages and chat contexts of %d conversations: %w", len(conversationIDs), err)
	}
	return pending, got.of(keys), nil
}

// pendingMessagesStmt is PendingMessagesOf's query for ids (not empty), its
// rows read into out.
func pendingMessagesStmt(ids []int64, out map[int64][]InboxRow) pgStmt {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return pgStmt{query: `SELECT id, provider, provider_key, kind, payload, note, received_at, conversation_id FROM inbox
		WHERE conversation_id IN (` + placeholders(len(args), 1) + `) AND processed_at IS NULL ORDER BY id`,
		args: args,
		scan: func(r rowScanner) error {
			for r.Next() {
				var row InboxRow
				var at, conv int64
				if err := r.Scan(&row.ID, &row.Provider, &row.Key, &row.Kind, &row.Payload, &row.Note, &at, &conv); err != nil {
					return err
				}
				row.ReceivedAt = fromMS(at)
				out[conv] = append(out[conv], row)
			}
			return r.Err()
		}}
}

// Release is a conversation's state to save as its lease ends.
type Release struct {
	ID    int64
	State string
	// Seq is ConversationWork.Seq when the caller answered everything it
	// read: unless a message came in since, the conversation stops
	// waiting. KeepWaiting: it waits whatever came in.
	Seq int64
}

// KeepWaiting is a Release.Seq that leaves the conversation waiting (some
// of its messages were not answered).
const KeepWaiting = -1

// ReleaseConversation saves the bot's state and ends owner's lease, in tx.
// held is false when owner no longer held the lease (it ran out and
// another worker took the conversation): then nothing was saved, and the
// caller must undo what it did for this conversation.
func ReleaseConversation(ctx context.Context, tx *Tx, owner string, r Release) (held bool, err error) {
	return ReleaseConversations(ctx, tx, owner, []Release{r})
}

// ReleaseConversations is ReleaseConversation for many, in one statement;
// held is false unless owner still held every one of them.
func ReleaseConversations(ctx context.Context, tx *Tx, owner string, rs []Release) (held bool, err error) {
	if len(rs) == 0 {
		return true, nil
	}
	args := []any{ms(tx.Now), owner}
	rows := make([]string, len(rs))
	for i, r := range rs {
		args = append(args, r.ID, r.State, r.Seq)
		rows[i] = fmt.Sprintf("(CAST($%d AS BIGINT), CAST($%d AS TEXT), CAST($%d AS BIGINT))", len(args)-2, len(args)-1, len(args))
	}
	// On PostgreSQL a message noted meanwhile holds the row: this update
	// waits for it and then compares the counter of the newest row.
	res, err := tx.exec(ctx, `WITH v (id, state, seq) AS (VALUES `+strings.Join(rows, ", ")+`)
		UPDATE conversations SET state = v.state, lease_owner = NULL, lease_until = NULL, updated_at = $1,
			waiting_since = CASE WHEN conversations.inbound_seq = v.seq THEN NULL ELSE conversations.waiting_since END
		FROM v WHERE conversations.id = v.id AND conversations.lease_owner = $2`, args...)
	if err != nil {
		return false, fmt.Errorf("store: release %d conversations: %w", len(rs), err)
	}
	n, err := res.RowsAffected()
	return int(n) == len(rs), err
}

// SetStopped records, in tx, that the person wrote STOP in the
// conversation (stopped) or START.
func SetStopped(ctx context.Context, tx *Tx, id int64, stopped bool) error {
	var at sql.NullInt64
	if stopped {
		at = sql.NullInt64{Int64: ms(tx.Now), Valid: true}
	}
	if _, err := tx.exec(ctx, "UPDATE conversations SET stopped_at = $1 WHERE id = $2", at, id); err != nil {
		return fmt.Errorf("store: stop conversation %d: %w", id, err)
	}
	return nil
}

// ClearStopped records, in tx, that the person wrote START: none of their
// conversations is stopped any more.
func ClearStopped(ctx context.Context, tx *Tx, personID int64) error {
	if _, err := tx.exec(ctx, "UPDATE conversations SET stopped_at = NULL WHERE person_id = $1 AND stopped_at IS NOT NULL", personID); err != nil {
		return fmt.Errorf("store: start conversations of person %d: %w", personID, err)
	}
	return nil
}
