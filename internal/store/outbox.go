package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// OutboxMessage is one outbound message.
type OutboxMessage struct {
	ID       int64
	PersonID int64  // 0: not tied to a person
	Channel  string // "sms" or "whatsapp", also the consent purpose
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
	case m.Channel != PurposeSMS && m.Channel != PurposeWhatsApp:
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

// ClaimMessages marks up to limit due queued messages sending for owner, in
// one committed transaction, and returns them: once this returns, a crash
// leaves them sending (then unknown), never queued, so nothing is sent twice.
// attempts counts the claim. On PostgreSQL, rows another node is claiming
// are skipped, not waited for.
func (db *DB) ClaimMessages(ctx context.Context, owner string, limit int, lease time.Duration) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := db.Update(ctx, func(tx *Tx) error {
		// A WhatsApp message waits while an earlier one to the same
		// person is queued or sending, so a conversation's replies go one at
		// a time, in order, on one node or many: a claim running at the same
		// time on another node still sees the earlier one queued.
		pick := `SELECT id FROM outbox o WHERE state = 'queued' AND next_attempt_at <= $3
			AND (channel <> 'whatsapp' OR NOT EXISTS (SELECT 1 FROM outbox e WHERE e.channel = 'whatsapp'
				AND e.to_address = o.to_address AND e.id < o.id AND e.state IN ('queued', 'sending')))
			ORDER BY next_attempt_at, id LIMIT $4`
		if tx.Engine() == Postgres {
			pick += " FOR UPDATE SKIP LOCKED"
		}
		// The pick runs once (materialized): PostgreSQL may plan an
		// IN (subquery) as a nested loop that reruns the subquery, and its
		// LIMIT, per row, claiming more than limit. The picked rows are
		// queued (SQLite has one writer; PostgreSQL holds their row locks),
		// and repeating that in the UPDATE would make SQLite scan every
		// queued row instead of looking up the picked ones.
		r, err := tx.query(ctx, `WITH picked AS MATERIALIZED (`+pick+`)
			UPDATE outbox SET state = 'sending', attempts = attempts + 1,
				lease_owner = $1, lease_until = $2, updated_at = $3
			WHERE id IN (SELECT id FROM picked) RETURNING `+outboxColumns,
			owner, ms(tx.Now.Add(lease)), ms(tx.Now), limit)
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
	slices.SortFunc(out, func(a, b OutboxMessage) int { return int(a.ID - b.ID) })
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
// invalid and records nothing of the batch.
func (db *DB) FinishMessages(ctx context.Context, owner string, results []MessageResult) (int, error) {
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
		return nil
	})
	return n, err
}

// finishSent records many acceptances in one statement, with the same
// guard as finishMessage's: only while owner holds the message sending,
// or it became unknown before the answer recorded its provider id.
func finishSent(ctx context.Context, tx *Tx, owner string, results []MessageResult) (int, error) {
	args := []any{ms(tx.Now), owner}
	rows := make([]string, len(results))
	for i, r := range results {
		args = append(args, r.ID, optionalText(r.ProviderID))
		rows[i] = fmt.Sprintf("(CAST($%d AS BIGINT), CAST($%d AS TEXT))", len(args)-1, len(args))
	}
	res, err := tx.exec(ctx, `WITH v (id, pid) AS (VALUES `+strings.Join(rows, ", ")+`)
		UPDATE outbox SET state = 'sent', provider_id = v.pid, error = '', sent_at = $1, updated_at = $1,
			lease_owner = NULL, lease_until = NULL, `+redactOnly+`
		FROM v WHERE outbox.id = v.id AND outbox.lease_owner = $2
			AND (outbox.state = 'sending' OR (outbox.state = 'unknown' AND outbox.provider_id IS NULL))`, args...)
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

// StatusUpdate is a provider's report on a message: found by the provider's
// id, or, before the send answer recorded that id (the callback won the
// race) or when it never came (unknown), by Ref, our id the provider echoes.
type StatusUpdate struct {
	Provider   string
	ProviderID string
	Ref        int64  // our outbox id; 0 when the provider did not echo it
	State      string // MsgSent, MsgDelivered, MsgRead or MsgFailed
	Error      string // the provider's code or words when failed
	At         time.Time
}

// statusFrom is, for each state a callback can report, the states a
// message may move from: forward only, failed final, unknown resolvable.
var statusFrom = map[string][]string{
	MsgSent:      {MsgSending, MsgUnknown},
	MsgDelivered: {MsgSending, MsgUnknown, MsgSent},
	MsgRead:      {MsgSending, MsgUnknown, MsgSent, MsgDelivered},
	MsgFailed:    {MsgSending, MsgUnknown, MsgSent},
}

// ApplyStatus moves a message forward to u.State. It reports false for a
// repeated or stale report (the message is already there or further on);
// a report that names no message is not_found, so the caller can keep it
// and try again. A report that arrives while the message is still sending
// takes it out of sending, with the provider id, so the send answer that
// follows cannot move it back.
func (db *DB) ApplyStatus(ctx context.Context, u StatusUpdate) (bool, error) {
	var moved bool
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		moved, err = ApplyStatusTx(ctx, tx, u)
		return err
	})
	return moved, err
}

// ApplyStatusTx is ApplyStatus in the caller's transaction. Its not_found
// leaves the transaction usable: the caller can keep the report for later.
func ApplyStatusTx(ctx context.Context, tx *Tx, u StatusUpdate) (bool, error) {
	from, ok := statusFrom[u.State]
	if !ok || u.Provider == "" || u.ProviderID == "" {
		return false, apperr.New(apperr.Invalid, "status %q for %s message %q cannot be applied", u.State, u.Provider, u.ProviderID)
	}
	at := u.At
	if at.IsZero() {
		at = tx.Now
	}
	u.Error = StorableText(u.Error, errorBytes) // a provider's words
	args := []any{u.State, u.ProviderID, ms(at), ms(tx.Now), u.Error, u.Provider, u.Ref}
	for _, s := range from {
		args = append(args, s)
	}
	res, err := tx.exec(ctx, `UPDATE outbox SET state = $1, provider_id = $2,
			sent_at = COALESCE(sent_at, $3), updated_at = $4,
			error = CASE WHEN $1 = 'failed' THEN $5 ELSE error END, lease_owner = NULL, lease_until = NULL, `+redactOnly+`
		WHERE provider = $6 AND (provider_id = $2 OR (provider_id IS NULL AND id = $7))
			AND state IN (`+placeholders(len(from), 8)+`)`, args...)
	if err != nil {
		return false, fmt.Errorf("store: apply %s status to %s message %s: %w", u.State, u.Provider, u.ProviderID, err)
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return n > 0, err
	}
	var one int
	err = tx.queryRow(ctx, `SELECT 1 FROM outbox WHERE provider = $1 AND (provider_id = $2 OR (provider_id IS NULL AND id = $3))`,
		u.Provider, u.ProviderID, u.Ref).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, apperr.New(apperr.NotFound, "no %s message %q (ref %d)", u.Provider, u.ProviderID, u.Ref)
	}
	return false, err
}

// ChargeBudget takes up to want sends from channel's budget of limit for day,
// shared by every node, and returns how many it granted and how many the
// day has used since.
func (db *DB) ChargeBudget(ctx context.Context, channel, day string, want, limit int) (granted int, used int64, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO outbox_budget (channel, day, used) VALUES ($1, $2, 0)
			ON CONFLICT (channel, day) DO NOTHING`, channel, day); err != nil {
			return fmt.Errorf("store: charge %s budget: %w", channel, err)
		}
		q := "SELECT used FROM outbox_budget WHERE channel = $1 AND day = $2"
		if tx.Engine() == Postgres {
			q += " FOR UPDATE"
		}
		if err := tx.queryRow(ctx, q, channel, day).Scan(&used); err != nil {
			return fmt.Errorf("store: charge %s budget: %w", channel, err)
		}
		granted = int(min(int64(want), max(int64(limit)-used, 0)))
		used += int64(granted)
		_, err := tx.exec(ctx, "UPDATE outbox_budget SET used = $1 WHERE channel = $2 AND day = $3", used, channel, day)
		if err != nil {
			return fmt.Errorf("store: charge %s budget: %w", channel, err)
		}
		return nil
	})
	return granted, used, err
}
