package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// SendOutcome is what the sender decided an attempt amounts to.
type SendOutcome string

// The outcomes FinishMessages records.
const (
	// SendSent: the provider accepted the message (ProviderID set).
	SendSent SendOutcome = "sent"
	// SendFailed: final; nothing will be sent (the provider refused it, no
	// consent, retries used up).
	SendFailed SendOutcome = "failed"
	// SendRetry: nothing can have gone out (connection refused, 429); queued
	// again after RetryAfter.
	SendRetry SendOutcome = "retry"
	// SendDeferred: not attempted (over the daily budget); queued again after
	// RetryAfter without counting the attempt.
	SendDeferred SendOutcome = "deferred"
	// SendUnknown: the request may have reached the provider (a timeout, a
	// 5xx); never resent, reconciled from status callbacks.
	SendUnknown SendOutcome = "unknown"
)

// SendResult is one attempt's recorded answer.
type SendResult struct {
	Outcome    SendOutcome
	ProviderID string
	Error      string
	RetryAfter time.Duration // SendRetry and SendDeferred: from now
	Body       string        // SendSent and SendUnknown: what went instead of the body (a WhatsApp template); "" keeps it
}

// MessageResult is the answer to one claimed message.
type MessageResult struct {
	ID int64
	SendResult
}

// FinishMessages records the answers to claimed messages in one transaction
// (one commit for a whole batch), each only while owner holds it in sending,
// and reports how many it recorded. A message it leaves alone stands: its
// lease ran out, or a status callback already moved it on (which is further
// along than any send answer). One exception: an acceptance arriving after
// the lease ran out (the message became unknown) is still recorded, because
// its provider id is what reconciles it. An outcome it does not know is
// invalid and records nothing of the batch. An import notice recorded
// sent has its sent_at set in the same transaction. With keyed, a message that
// went to someone who erased their data meanwhile is forgotten in the same
// transaction (forgetErasedSends), so no crash can leave its address kept.
func (db *DB) FinishMessages(ctx context.Context, owner string, results []MessageResult, keyed func(string) string) (int, error) {
	if len(results) == 0 {
		return 0, nil
	}
	// Rows in id order, so two transactions on PostgreSQL lock them alike.
	sorted := slices.SortedFunc(slices.Values(results), func(a, b MessageResult) int { return cmp.Compare(a.ID, b.ID) })
	var n int
	err := db.Update(ctx, func(tx *Tx) error {
		n = 0 // Update may run this again
		var sent []MessageResult
		for _, r := range sorted {
			if r.Outcome == SendSent && r.Body == "" {
				sent = append(sent, r) // the common answer: recorded together below
				continue
			}
			done, err := finishMessage(ctx, tx, owner, r)
			if err != nil {
				return err
			}
			n += done
		}
		for chunk := range slices.Chunk(sent, 200) {
			done, err := finishSent(ctx, tx, owner, chunk)
			if err != nil {
				return err
			}
			n += done
		}
		if err := markNoticesSent(ctx, tx, sentIDs(sorted)); err != nil {
			return err
		}
		if keyed == nil {
			return nil
		}
		return forgetErasedSends(ctx, tx, sorted, keyed)
	})
	return n, err
}

// sentIDs are the ids of the results that say sent.
func sentIDs(results []MessageResult) []int64 {
	var ids []int64
	for _, r := range results {
		if r.Outcome == SendSent {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// finishSent records many acceptances in one statement, with the same
// guard as finishMessage's: only while owner holds the message sending,
// or it became unknown before the answer recorded its provider id.
//
// The rows are found by their ids alone: the state is tested in a CASE,
// which no index matches. Written as `state = 'sending' OR …`, PostgreSQL
// chose the partial index of messages being sent, which keeps an entry for
// every message that was ever being sent until the next VACUUM, and read
// every one of them through a bitmap scan (which never marks dead entries):
// measured after a missed-call storm with follow-up SMS, that scan took 6
// of the 11 ms of recording a batch of 100 once 10,000 were sent; found by
// id, 0.3 ms.
func finishSent(ctx context.Context, tx *Tx, owner string, results []MessageResult) (int, error) {
	args := []any{ms(tx.Now), owner}
	rows := make([]string, len(results))
	for i, r := range results {
		args = append(args, r.ID, optionalText(r.ProviderID))
		rows[i] = fmt.Sprintf("(CAST($%d AS BIGINT), CAST($%d AS TEXT))", len(args)-1, len(args))
	}
	res, err := tx.execReplanned(ctx, `WITH v (id, pid) AS (VALUES `+strings.Join(rows, ", ")+`)
		UPDATE outbox SET state = 'sent', provider_id = v.pid, error = '', sent_at = $1, updated_at = $1,
			lease_owner = NULL, lease_until = NULL, `+redactOnly+`
		FROM v WHERE outbox.id = v.id AND outbox.lease_owner = $2
			AND CASE outbox.state WHEN 'sending' THEN 1 WHEN 'unknown' THEN CASE WHEN outbox.provider_id IS NULL THEN 1 END END = 1`, args...)
	if err != nil {
		return 0, fmt.Errorf("store: record %d sent messages: %w", len(results), err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// finishMessage records one answer and returns 1, or 0 when the message was
// no longer owner's to answer.
func finishMessage(ctx context.Context, tx *Tx, owner string, r MessageResult) (int, error) {
	now := ms(tx.Now)
	r.Error = StorableText(r.Error, errorBytes) // a provider's words
	var res sql.Result
	var err error
	switch r.Outcome {
	case SendSent:
		res, err = tx.exec(ctx, `UPDATE outbox SET state = 'sent', provider_id = $1, error = '', sent_at = $2,
				updated_at = $2, lease_owner = NULL, lease_until = NULL, `+redactBody+`
			WHERE id = $3 AND lease_owner = $4 AND (state = 'sending' OR (state = 'unknown' AND provider_id IS NULL))`,
			optionalText(r.ProviderID), now, r.ID, owner, r.Body)
	case SendFailed:
		res, err = tx.exec(ctx, `UPDATE outbox SET state = 'failed', provider_id = $1, error = $2,
				updated_at = $3, lease_owner = NULL, lease_until = NULL, `+redactOnly+`
			WHERE id = $4 AND lease_owner = $5 AND state = 'sending'`,
			optionalText(r.ProviderID), r.Error, now, r.ID, owner)
	case SendRetry, SendDeferred:
		uncount := 0
		if r.Outcome == SendDeferred {
			uncount = 1
		}
		res, err = tx.exec(ctx, `UPDATE outbox SET state = 'queued', error = $1, next_attempt_at = $2,
				attempts = attempts - $3, updated_at = $4, lease_owner = NULL, lease_until = NULL
			WHERE id = $5 AND lease_owner = $6 AND state = 'sending'`,
			r.Error, ms(tx.Now.Add(r.RetryAfter)), uncount, now, r.ID, owner)
	case SendUnknown:
		res, err = tx.exec(ctx, `UPDATE outbox SET state = 'unknown', error = $1, updated_at = $2, lease_until = NULL,
				`+redactBody+`
			WHERE id = $3 AND lease_owner = $4 AND state = 'sending'`, r.Error, now, r.ID, owner, r.Body)
	default:
		return 0, apperr.New(apperr.Invalid, "unknown send outcome %q for message %d", r.Outcome, r.ID)
	}
	if err != nil {
		return 0, fmt.Errorf("store: finish message %d: %w", r.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: finish message %d: %w", r.ID, err)
	}
	return int(n), nil
}
