package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// MaxInboxKey is the longest key the inbox takes (provider_key's CHECK).
const MaxInboxKey = 200

// InboxItem is one inbound webhook item as received.
type InboxItem struct {
	Provider string // "exotel", "whatsapp" …
	Key      string // the provider's own id: the deduplication key
	Kind     string // "call", "message", "status" …
	Payload  []byte // raw, as received
	Note     string // why it was kept without further processing, if so
	// Processed marks an item handled in the same transaction that stores
	// it (a missed call is turned into a lead at once), so no worker
	// leases it.
	Processed bool
	// PersonID and ConversationID, when known as it is stored (0: not),
	// link the item to its sender and, for a chat message, to the
	// conversation whose worker answers it.
	PersonID, ConversationID int64
}

// InboxResult is what storing an item did.
type InboxResult struct {
	ID        int64
	Duplicate bool // the provider delivered this key before
}

// InboxRow is a stored item handed to a worker.
type InboxRow struct {
	ID int64
	InboxItem
	ReceivedAt time.Time
}

// ValidateInboxItem rejects an item that cannot be stored.
func ValidateInboxItem(it InboxItem) error {
	switch {
	case it.Provider == "" || it.Kind == "":
		return apperr.New(apperr.Invalid, "inbox item needs a provider and a kind")
	case it.Key == "":
		return apperr.New(apperr.Invalid, "inbox item from %s has no id", it.Provider)
	}
	return nil
}

// InsertInbox stores items in one statement, skipping keys already stored
// (also repeats within items: the first occurrence wins).
func InsertInbox(ctx context.Context, tx *Tx, items []InboxItem) ([]InboxResult, error) {
	ids := make(map[[2]string]int64, len(items))
	for chunk := range slices.Chunk(items, inboxRowsPerStatement) {
		if err := insertInbox(ctx, tx, chunk, ids); err != nil {
			return nil, err
		}
	}
	out := make([]InboxResult, len(items))
	for i, it := range items {
		k := [2]string{it.Provider, it.Key}
		if id, ok := ids[k]; ok {
			out[i].ID = id
			delete(ids, k) // a repeat later in items is a duplicate
		} else {
			out[i].Duplicate = true
		}
	}
	return out, nil
}

// inboxRowsPerStatement bounds a multi-row insert: modernc.org/sqlite
// looks bound parameters up one by one, so thousands in one statement
// cost more than a few statements do.
const inboxRowsPerStatement = 128

// insertInbox inserts items in one statement and adds the new ones' ids
// to ids.
func insertInbox(ctx context.Context, tx *Tx, items []InboxItem, ids map[[2]string]int64) error {
	args := make([]any, 0, len(items)*9)
	for _, it := range items {
		var processed sql.NullInt64
		if it.Processed {
			processed = sql.NullInt64{Int64: ms(tx.Now), Valid: true}
		}
		args = append(args, it.Provider, it.Key, it.Kind, it.Payload, StorableText(it.Note, errorBytes), ms(tx.Now), processed,
			optionalID(it.PersonID), optionalID(it.ConversationID))
	}
	q := "INSERT INTO inbox (provider, provider_key, kind, payload, note, received_at, processed_at, person_id, conversation_id) VALUES " +
		valuesList(len(items), 9, 1) +
		" ON CONFLICT (provider, provider_key) DO NOTHING RETURNING provider, provider_key, id"
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: insert inbox: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k [2]string
		var id int64
		if err := rows.Scan(&k[0], &k[1], &id); err != nil {
			return fmt.Errorf("store: insert inbox: %w", err)
		}
		ids[k] = id
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: insert inbox: %w", err)
	}
	return nil
}

func scanInbox(r *sql.Rows) ([]InboxRow, error) {
	defer r.Close()
	var out []InboxRow
	for r.Next() {
		var row InboxRow
		var at int64
		if err := r.Scan(&row.ID, &row.Provider, &row.Key, &row.Kind, &row.Payload, &row.Note, &at); err != nil {
			return nil, fmt.Errorf("store: scan inbox: %w", err)
		}
		row.ReceivedAt = fromMS(at)
		out = append(out, row)
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("store: scan inbox: %w", err)
	}
	// RETURNING order is unspecified; workers process in receipt order.
	slices.SortFunc(out, func(a, b InboxRow) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// PurgeInbox deletes items processed before cutoff: raw payloads hold
// personal data and are kept no longer than the retention period. It
// deletes purgeChunk at a time, each in its own transaction: an hour of a
// national drive's launch can be crores of items, and one transaction for
// all of them would hold SQLite's one writer (and every call waiting on
// it) for minutes.
func (db *DB) PurgeInbox(ctx context.Context, cutoff time.Time) (int64, error) {
	return db.purgeInChunks(ctx, "inbox", `DELETE FROM inbox WHERE id IN (SELECT id FROM inbox
		WHERE processed_at IS NOT NULL AND processed_at < $1 LIMIT $2)`, ms(cutoff))
}
