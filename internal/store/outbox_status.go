package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

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
	if err == nil && n > 0 {
		err = markNoticeReported(ctx, tx, u)
	}
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
