package store

import (
	"context"
	"fmt"
	"strings"
)

// A WhatsApp message id (wamid) is base64 of its user's number, so the ids
// of an erased person's messages are personal data too. They are kept only
// as keyed hashes (ErasedID): a provider repeating a delivery, or reporting
// a status, still finds its message, and nobody can read the number back.

// erasedPrefix starts an id kept as ErasedID.
const erasedPrefix = "erased:"

// ErasedID is the keyed hash under which the id of an erased person's
// message at provider is kept; keyed is the installation's keyed hash
// (KeyedHash), the one ErasePersonalData is given.
func ErasedID(keyed func(string) string, provider, id string) string {
	return erasedPrefix + keyed("message-id:"+provider+":"+id)
}

// KeyedHash is SuppressionHash with secretKey.
func KeyedHash(secretKey []byte) func(string) string {
	return func(s string) string { return SuppressionHash(secretKey, s) }
}

// whatsappStatuses are the statuses Meta reports for a message: a status
// item's key is the message id, ":" and one of them.
var whatsappStatuses = []string{"sent", "delivered", "read", "failed", "deleted", "warning", "played"}

// forgetSent keeps only keyed hashes of the provider ids of the WhatsApp
// messages where matches (a condition on outbox with $1 its argument),
// and of the keys of their status items, whose payloads go.
func forgetSent(ctx context.Context, tx *Tx, keyed func(string) string, personID int64, match string, arg any) error {
	rows, err := tx.query(ctx, `SELECT id, provider_id FROM outbox WHERE `+match+`
		AND provider = 'whatsapp' AND provider_id IS NOT NULL AND provider_id NOT LIKE '`+erasedPrefix+`%'`, arg)
	if err != nil {
		return fmt.Errorf("store: find the message ids of person %d: %w", personID, err)
	}
	var ids []int64
	var pids []string
	for rows.Next() {
		var id int64
		var pid string
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return fmt.Errorf("store: find the message ids of person %d: %w", personID, err)
		}
		ids, pids = append(ids, id), append(pids, pid)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("store: find the message ids of person %d: %w", personID, err)
	}
	keys := make([]string, len(whatsappStatuses))
	for i, id := range ids {
		hashed := ErasedID(keyed, "whatsapp", pids[i])
		if _, err := tx.exec(ctx, "UPDATE outbox SET provider_id = $1 WHERE id = $2", hashed, id); err != nil {
			return fmt.Errorf("store: forget the id of message %d: %w", id, err)
		}
		args := []any{hashed, len(pids[i]) + 1, []byte{}, Erased, optionalID(personID), ms(tx.Now)}
		for j, s := range whatsappStatuses {
			keys[j] = fmt.Sprintf("$%d", len(args)+1)
			args = append(args, pids[i]+":"+s)
		}
		_, err := tx.exec(ctx, `UPDATE inbox SET provider_key = $1 || SUBSTR(provider_key, $2), payload = $3, note = $4,
				person_id = COALESCE(person_id, $5), processed_at = COALESCE(processed_at, $6), lease_owner = NULL, lease_until = NULL
			WHERE provider = 'whatsapp' AND provider_key IN (`+strings.Join(keys, ",")+`)`, args...)
		if err != nil {
			return fmt.Errorf("store: forget the statuses of message %d: %w", id, err)
		}
	}
	return nil
}

// forgetReceived keeps only keyed hashes of the ids of the person's
// WhatsApp messages in the inbox.
func forgetReceived(ctx context.Context, tx *Tx, keyed func(string) string, personID int64) error {
	rows, err := tx.query(ctx, `SELECT id, provider_key FROM inbox WHERE person_id = $1 AND provider = 'whatsapp'
		AND kind = $2 AND provider_key NOT LIKE '`+erasedPrefix+`%'`, personID, KindWhatsAppMessage)
	if err != nil {
		return fmt.Errorf("store: find the message ids of person %d: %w", personID, err)
	}
	keys := map[int64]string{}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return fmt.Errorf("store: find the message ids of person %d: %w", personID, err)
		}
		keys[id] = key
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("store: find the message ids of person %d: %w", personID, err)
	}
	for id, key := range keys {
		if _, err := tx.exec(ctx, "UPDATE inbox SET provider_key = $1 WHERE id = $2",
			ErasedID(keyed, "whatsapp", key), id); err != nil {
			return fmt.Errorf("store: forget the id of inbox item %d: %w", id, err)
		}
	}
	return nil
}

// erasedKey is the key an unlinked raw item holding an erased number is
// kept under: a WhatsApp message's or status's id hashed, others as they
// are (their ids carry no number).
func erasedKey(keyed func(string) string, provider, kind, key string) string {
	if provider != "whatsapp" || strings.HasPrefix(key, erasedPrefix) {
		return key
	}
	switch kind {
	case KindWhatsAppMessage:
		return ErasedID(keyed, provider, key)
	case KindWhatsAppStatus:
		if i := strings.LastIndexByte(key, ':'); i > 0 {
			return ErasedID(keyed, provider, key[:i]) + key[i:]
		}
	}
	return key
}

// forgetErasedSends does, for messages that went out after their person
// erased their data (the erasure's own confirmation, a reply that was
// being sent), what the erasure did for the earlier ones: their bodies and
// addresses go, and their provider ids are kept as keyed hashes. results
// are messages just finished; when none is an erased person's, it is one
// read.
func forgetErasedSends(ctx context.Context, tx *Tx, results []MessageResult, keyed func(string) string) error {
	args := make([]any, len(results))
	for i, r := range results {
		args[i] = r.ID
	}
	// The person is looked up by a scalar subquery, one index probe a
	// message: as a join, a plan made while people was small read every
	// person for each batch (2–3 ms a batch of 100 in a storm).
	rows, err := tx.query(ctx, `SELECT o.id FROM outbox o
		WHERE o.id IN (`+placeholders(len(results), 1)+`) AND o.state NOT IN ('queued', 'sending')
			AND (SELECT p.erased_at FROM people p WHERE p.id = o.person_id) IS NOT NULL
			AND (o.to_address <> '`+Erased+`' OR o.provider_id NOT LIKE '`+erasedPrefix+`%')`, args...)
	if err != nil {
		return fmt.Errorf("store: find messages sent to erased people: %w", err)
	}
	var found []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("store: find messages sent to erased people: %w", err)
		}
		found = append(found, id)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("store: find messages sent to erased people: %w", err)
	}
	for _, id := range found {
		if _, err := tx.exec(ctx, `UPDATE outbox SET body = $1, to_address = $1, summary = '', updated_at = $2
			WHERE id = $3`, Erased, ms(tx.Now), id); err != nil {
			return fmt.Errorf("store: erase message %d: %w", id, err)
		}
		if err := forgetSent(ctx, tx, keyed, 0, "id = $1", id); err != nil {
			return err
		}
	}
	return nil
}
