// Package reports applies providers' delivery reports to the outbox. A
// report is stored before it is acknowledged, applied at once, and, when
// its message cannot be found yet (the report beat the send's answer and
// carries no id of ours), applied again later by Retry until it is.
package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// Kind is the inbox kind of an SMS delivery report.
const Kind = "sms_status"

// GiveUpAfter is how long a report whose message cannot be found is
// retried before it is kept as processed with a note.
const GiveUpAfter = 7 * 24 * time.Hour

// retryAfter is how old a report must be before Retry looks at it: the
// webhook applies it at once, Retry only picks up what that could not.
const retryAfter = 10 * time.Second

// Outcome is what applying a report did.
type Outcome string

// The outcomes.
const (
	Applied   Outcome = "applied"   // the message moved forward
	Stale     Outcome = "stale"     // a repeat, or the message is already further on
	Pending   Outcome = "pending"   // no message found yet; kept and retried
	Duplicate Outcome = "duplicate" // this exact report was received before
)

// ExotelItem is how an Exotel SMS report is kept in the inbox: keyed by the
// message and its detailed status, so a repeat is a duplicate and each step
// is kept once.
func ExotelItem(st sms.Status, raw []byte) store.InboxItem {
	return store.InboxItem{Provider: "exotel", Key: "sms:" + st.ProviderID + ":" + st.Detail, Kind: Kind, Payload: raw}
}

// Receive stores an Exotel report (already parsed from raw) and applies it.
func Receive(ctx context.Context, db *store.DB, st sms.Status, raw []byte) (Outcome, error) {
	res, err := db.ReceiveInbox(ctx, ExotelItem(st, raw))
	if err != nil {
		return "", err
	}
	if res.Duplicate {
		return Duplicate, nil
	}
	return apply(ctx, db, res.ID, outbox.StatusUpdate("exotel", st), false)
}

// apply applies a stored report and marks it processed unless its message
// is not found yet.
func apply(ctx context.Context, db *store.DB, inboxID int64, u store.StatusUpdate, giveUp bool) (Outcome, error) {
	moved, err := db.ApplyStatus(ctx, u)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound && giveUp:
		return Pending, db.MarkInboxProcessed(ctx, inboxID, "given up: no message matched this report")
	case apperr.CodeOf(err) == apperr.NotFound:
		return Pending, nil
	case apperr.CodeOf(err) == apperr.Invalid:
		return Stale, db.MarkInboxProcessed(ctx, inboxID, err.Error())
	case err != nil:
		return "", err
	}
	if err := db.MarkReportProcessed(ctx, inboxID, u); err != nil {
		return "", err
	}
	if moved {
		return Applied, nil
	}
	return Stale, nil
}

// Retrier applies again the reports that were pending.
type Retrier struct {
	DB    *store.DB
	Owner string
}

// Drain retries one batch of pending reports (a worker.Drain): Exotel's
// SMS reports and WhatsApp statuses whose message could not be found when
// they arrived.
func (r *Retrier) Drain(ctx context.Context) (int, error) {
	now := r.DB.Now()
	for _, kind := range []string{Kind, store.KindWhatsAppStatus} {
		rows, err := r.DB.LeaseInboxKind(ctx, r.Owner, kind, now.Add(-retryAfter), 100, time.Minute)
		if err != nil {
			return 0, err
		}
		for _, row := range rows {
			u, err := pendingUpdate(row)
			if err != nil {
				// It was parsed before it was stored; this cannot happen unless
				// the parser changed. Keep it, processed, with why.
				if err := r.DB.MarkInboxProcessed(ctx, row.ID, fmt.Sprintf("unreadable on retry: %v", err)); err != nil {
					return 0, err
				}
				continue
			}
			if _, err := apply(ctx, r.DB, row.ID, u, now.Sub(row.ReceivedAt) > GiveUpAfter); err != nil {
				return 0, err
			}
		}
	}
	// Rows still pending keep their lease for a minute: that is the backoff.
	// Report "nothing more to do" so the loop waits for its next tick.
	return 0, nil
}

// pendingUpdate reads a stored report back.
func pendingUpdate(row store.InboxRow) (store.StatusUpdate, error) {
	if row.Kind == store.KindWhatsAppStatus {
		var st whatsapp.Status
		if err := json.Unmarshal(row.Payload, &st); err != nil {
			return store.StatusUpdate{}, err
		}
		return WhatsAppUpdate(st), nil
	}
	v, err := url.ParseQuery(string(row.Payload))
	if err != nil {
		return store.StatusUpdate{}, err
	}
	st, err := sms.ParseExotelStatus(v)
	if err != nil {
		return store.StatusUpdate{}, err
	}
	return outbox.StatusUpdate("exotel", st), nil
}
