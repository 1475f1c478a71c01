package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// GroupsToRemind returns up to limit live groups confirmed before cutoff
// that have had fewer than n reminders this cycle, oldest first: what the
// sweep reminds with reminder n.
func GroupsToRemind(ctx context.Context, tx *Tx, cutoff time.Time, n, limit int) ([]Group, error) {
	return selectGroups(ctx, tx, "state = $1 AND confirmed_at < $2 AND reminded < $3", "confirmed_at, id LIMIT $4",
		GroupLive, ms(cutoff), n, limit)
}

// ReminderConversation is the person's latest WhatsApp conversation on a
// number of the drive, with whether they stopped it (STOP). NotFound: they
// never wrote to the drive on WhatsApp.
func ReminderConversation(ctx context.Context, tx *Tx, personID, driveID int64) (c Conversation, stopped bool, err error) {
	var last int64
	var closed, stop sql.NullInt64
	err = tx.queryRow(ctx, `SELECT business, last_inbound_at, window_closed_at, stopped_at FROM conversations
		WHERE person_id = $1 AND channel = $2 AND drive_id = $3 ORDER BY last_inbound_at DESC, id DESC LIMIT 1`,
		personID, ChannelWhatsApp, driveID).Scan(&c.Business, &last, &closed, &stop)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Conversation{}, false, apperr.New(apperr.NotFound, "no WhatsApp conversation of person %d in drive %d", personID, driveID)
	case err != nil:
		return Conversation{}, false, fmt.Errorf("store: conversation of person %d: %w", personID, err)
	}
	c.PersonID, c.Channel, c.DriveID = personID, ChannelWhatsApp, driveID
	c.LastInboundAt, c.WindowClosedAt = fromMS(last), fromNullMS(closed)
	return c, stop.Valid, nil
}

// WindowOpen says whether c's customer-service window is open at now for
// a window this long: what WindowsOpen decides for many.
func (c Conversation) WindowOpen(now time.Time, window time.Duration) bool {
	return c.LastInboundAt.After(now.Add(-window)) && (c.WindowClosedAt.IsZero() || c.WindowClosedAt.Before(c.LastInboundAt))
}
