package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// ClaimMessages marks up to limit due queued messages sending for owner, in
// one committed transaction, and returns them: once this returns, a crash
// leaves them sending (then unknown), never queued, so nothing is sent twice.
// attempts counts the claim. On PostgreSQL, rows another node is claiming
// are skipped, not waited for.
func (db *DB) ClaimMessages(ctx context.Context, owner string, limit int, lease time.Duration) ([]OutboxMessage, error) {
	// A WhatsApp message waits while an earlier one to the same person is
	// queued or sending, so a conversation's replies go one at a time, in
	// order, on one node or many: a claim running at the same time on
	// another node still sees the earlier one queued.
	pick := `SELECT id FROM outbox o WHERE state = 'queued' AND next_attempt_at <= $3
		AND (channel <> 'whatsapp' OR NOT EXISTS (SELECT 1 FROM outbox e WHERE e.channel = 'whatsapp'
			AND e.to_address = o.to_address AND e.id < o.id AND e.state IN ('queued', 'sending')))
		ORDER BY next_attempt_at, id LIMIT $4`
	if db.engine == Postgres {
		pick += " FOR UPDATE SKIP LOCKED"
	}
	// The pick runs once (materialized): PostgreSQL may plan an
	// IN (subquery) as a nested loop that reruns the subquery, and its
	// LIMIT, per row, claiming more than limit. The picked rows are
	// queued (SQLite has one writer; PostgreSQL holds their row locks),
	// and repeating that in the UPDATE would make SQLite scan every
	// queued row instead of looking up the picked ones.
	claim := `WITH picked AS MATERIALIZED (` + pick + `)
		UPDATE outbox SET state = 'sending', attempts = attempts + 1,
			lease_owner = $1, lease_until = $2, updated_at = $3
		WHERE id IN (SELECT id FROM picked) RETURNING ` + outboxColumns
	if db.engine == Postgres {
		// One statement is a transaction of its own: sent alone, without
		// BEGIN and COMMIT, it costs one round trip instead of three,
		// which is most of a claim's time with the database on another
		// host.
		now := db.Now()
		r, err := db.write.QueryContext(ctx, claim, owner, ms(now.Add(lease)), ms(now), limit)
		if err != nil {
			return nil, fmt.Errorf("store: claim messages: %w", err)
		}
		return scanMessages(r)
	}
	var out []OutboxMessage
	err := db.Update(ctx, func(tx *Tx) error {
		r, err := tx.query(ctx, claim, owner, ms(tx.Now.Add(lease)), ms(tx.Now), limit)
		if err != nil {
			return fmt.Errorf("store: claim messages: %w", err)
		}
		out, err = scanMessages(r)
		return err
	})
	return out, err
}

func scanMessages(r *sql.Rows) ([]OutboxMessage, error) {
	defer r.Close()
	var out []OutboxMessage
	for r.Next() {
		var m OutboxMessage
		var person, sent, drive sql.NullInt64
		var pid sql.NullString
		var next, created, updated int64
		if err := r.Scan(&m.ID, &person, &m.Channel, &m.Provider, &m.Class, &m.Template, &m.Body, &m.To, &m.State,
			&pid, &m.Error, &m.Attempts, &next, &created, &sent, &updated, &m.From, &drive); err != nil {
			return nil, fmt.Errorf("store: scan message: %w", err)
		}
		m.PersonID, m.ProviderID, m.DriveID = person.Int64, pid.String, drive.Int64
		m.NextAttemptAt, m.CreatedAt, m.SentAt, m.UpdatedAt = fromMS(next), fromMS(created), fromNullMS(sent), fromMS(updated)
		out = append(out, m)
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("store: scan message: %w", err)
	}
	slices.SortFunc(out, func(a, b OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// ExpireSending turns messages whose sender's lease ended before now into
// unknown: the sender crashed between marking and recording the answer, so
// the message may have gone out. They are never queued again, so their
// bodies are redacted. lease_owner stays, to say who was sending.
func (db *DB) ExpireSending(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE outbox SET state = 'unknown', lease_until = NULL, updated_at = $1,
				error = 'no answer recorded before the sender''s lease ended', `+redactOnly+`
			WHERE state = 'sending' AND lease_until < $2`, ms(tx.Now), ms(now))
		if err != nil {
			return fmt.Errorf("store: expire sending messages: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
