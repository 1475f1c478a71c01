package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// ImportNotice is the notice an imported person must have been sent
// before any outreach: the channel it went on, its outbox message, when it
// was queued and when the provider took it (zero: not yet).
type ImportNotice struct {
	PersonID, ImportID int64
	Channel            string
	OutboxID           int64
	QueuedAt, SentAt   time.Time
}

// HeldForNotice returns, of people, those an import brought into a drive
// (created, or joined to it) whom no notice has reached yet and who gave
// no consent of their own (on a channel other than import): outreach to
// them must wait. Each maps to the
// outbox id of their queued notice (0: none queued), the one message to
// them that may go.
func HeldForNotice(ctx context.Context, tx *Tx, people []int64) (map[int64]int64, error) {
	held := make(map[int64]int64)
	for start := 0; start < len(people); start += bulkBatch {
		part := people[start:min(len(people), start+bulkBatch)]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := tx.query(ctx, `SELECT p.id, COALESCE(n.outbox_id, 0) FROM people p
			LEFT JOIN import_notices n ON n.person_id = p.id
			WHERE p.id IN (`+placeholders(len(part), 1)+`) AND n.sent_at IS NULL
			AND (p.import_id IS NOT NULL OR EXISTS (SELECT 1 FROM participations ip WHERE ip.person_id = p.id AND ip.import_id IS NOT NULL))
			AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.channel <> 'import')`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: people held for an import notice: %w", err)
		}
		for rows.Next() {
			var person, outbox int64
			if err := rows.Scan(&person, &outbox); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: scan person held for a notice: %w", err)
			}
			held[person] = outbox
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: people held for an import notice: %w", err)
		}
	}
	return held, nil
}

// NoticeCandidate is a person an import brought in who has no notice yet
// (or one that failed),
// with what choosing its channel needs: the import's opt-ins in force.
type NoticeCandidate struct {
	PersonID int64
	Language string
	Phone    string // E.164; "" when they have none left
	WhatsApp bool   // a whatsapp consent granted on channel import, in force
	SMS      bool   // likewise for sms
}

// NoticeCandidates returns up to limit live people import importID
// brought into its drive (created, or joined to it), after person id
// after, in id order, who have no notice, or only one whose message
// failed (tried again).
func NoticeCandidates(ctx context.Context, tx *Tx, importID, after int64, limit int) ([]NoticeCandidate, error) {
	optin := func(purpose string) string {
		return `EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.purpose = '` + purpose + `'
			AND c.channel = 'import' AND c.withdrawn_at IS NULL)`
	}
	rows, err := tx.query(ctx, `SELECT p.id, p.language,
			COALESCE((SELECT MIN(c.value) FROM contact_points c WHERE c.person_id = p.id AND c.kind = 'phone'), ''),
			`+optin(PurposeWhatsApp)+`, `+optin(PurposeSMS)+`
		FROM participations ip JOIN people p ON p.id = ip.person_id
		WHERE ip.import_id = $1 AND ip.person_id > $2 AND p.erased_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM import_notices n WHERE n.person_id = p.id AND NOT (`+noticeFailed+`))
		ORDER BY ip.person_id LIMIT $3`, importID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: notice candidates of import %d: %w", importID, err)
	}
	defer rows.Close()
	var out []NoticeCandidate
	for rows.Next() {
		var c NoticeCandidate
		if err := rows.Scan(&c.PersonID, &c.Language, &c.Phone, &c.WhatsApp, &c.SMS); err != nil {
			return nil, fmt.Errorf("store: scan notice candidate: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notice candidates of import %d: %w", importID, err)
	}
	return out, nil
}

// noticeFailed holds for a notice (n) whose message failed: it never
// reached the person, who may be sent another.
const noticeFailed = `n.sent_at IS NULL AND EXISTS (SELECT 1 FROM outbox o WHERE o.id = n.outbox_id AND o.state = 'failed')`

// NoticedCount is how many people import importID brought in have a
// notice queued or sent.
func NoticedCount(ctx context.Context, tx *Tx, importID int64) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM import_notices n JOIN participations ip ON ip.person_id = n.person_id
		WHERE ip.import_id = $1 AND NOT (`+noticeFailed+`)`, importID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: notices of import %d: %w", importID, err)
	}
	return n, nil
}

// RecordNotices records that notices are queued (now), replacing one
// whose message failed, and reports how many it recorded: fewer than
// given when some of the people had one already (another run got there
// first), which the caller should treat as a conflict and roll back,
// messages and all.
func RecordNotices(ctx context.Context, tx *Tx, notices []ImportNotice) (int64, error) {
	var recorded int64
	for part := range slices.Chunk(notices, bulkBatch) {
		args := make([]any, 0, 5*len(part))
		for _, n := range part {
			args = append(args, n.PersonID, n.ImportID, n.Channel, optionalID(n.OutboxID), ms(tx.Now))
		}
		res, err := tx.exec(ctx, `INSERT INTO import_notices (person_id, import_id, channel, outbox_id, queued_at)
			VALUES `+valuesList(len(part), 5, 1)+` ON CONFLICT (person_id) DO UPDATE SET import_id = excluded.import_id,
				channel = excluded.channel, outbox_id = excluded.outbox_id, queued_at = excluded.queued_at
			WHERE import_notices.sent_at IS NULL AND EXISTS (SELECT 1 FROM outbox o
				WHERE o.id = import_notices.outbox_id AND o.state = 'failed')`, args...)
		if err != nil {
			return 0, fmt.Errorf("store: record %d notices: %w", len(part), err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("store: record %d notices: %w", len(part), err)
		}
		recorded += n
	}
	return recorded, nil
}

// NoticeOf returns the person's import notice; ok false when none.
func NoticeOf(ctx context.Context, tx *Tx, personID int64) (ImportNotice, bool, error) {
	n := ImportNotice{PersonID: personID}
	var outbox, sent sql.NullInt64
	var queued int64
	err := tx.queryRow(ctx, `SELECT import_id, channel, outbox_id, queued_at, sent_at FROM import_notices WHERE person_id = $1`,
		personID).Scan(&n.ImportID, &n.Channel, &outbox, &queued, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	if err != nil {
		return n, false, fmt.Errorf("store: notice of person %d: %w", personID, err)
	}
	n.OutboxID, n.QueuedAt, n.SentAt = outbox.Int64, fromMS(queued), fromNullMS(sent)
	return n, true, nil
}

// markNoticesSent sets sent_at on the notices among the outbox messages
// ids that are now sent or further on (not those a guard left alone),
// with the commit on PostgreSQL (Tx.later): nothing reads it before.
func markNoticesSent(ctx context.Context, tx *Tx, ids []int64) error {
	for part := range slices.Chunk(ids, bulkBatch) {
		args := []any{ms(tx.Now)}
		for _, id := range part {
			args = append(args, id)
		}
		err := tx.later(ctx, `UPDATE import_notices SET sent_at = $1
			WHERE sent_at IS NULL AND outbox_id IN (`+placeholders(len(part), 2)+`)
			AND EXISTS (SELECT 1 FROM outbox o WHERE o.id = import_notices.outbox_id AND o.state IN ('sent', 'delivered', 'read'))`,
			args...)
		if err != nil {
			return fmt.Errorf("store: mark %d notices sent: %w", len(part), err)
		}
	}
	return nil
}

// markNoticeReported sets sent_at on the notice a provider's report of
// sent, delivered or read just moved on: the report may come when the send
// answer never did (the message became unknown).
func markNoticeReported(ctx context.Context, tx *Tx, u StatusUpdate) error {
	if u.State == MsgFailed {
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE import_notices SET sent_at = $1 WHERE sent_at IS NULL
		AND outbox_id IN (SELECT id FROM outbox WHERE provider = $2 AND provider_id = $3)`, ms(tx.Now), u.Provider, u.ProviderID)
	if err != nil {
		return fmt.Errorf("store: mark notice of %s message %s sent: %w", u.Provider, u.ProviderID, err)
	}
	return nil
}

// DriveWhatsAppBusiness is the business number id (WhatsApp
// phone_number_id) people last wrote to in the drive, which a message to
// someone who never wrote goes from; "" when nobody has written yet.
func DriveWhatsAppBusiness(ctx context.Context, tx *Tx, driveID int64) (string, error) {
	var business string
	err := tx.queryRow(ctx, `SELECT business FROM conversations WHERE channel = $1 AND drive_id = $2
		ORDER BY last_inbound_at DESC LIMIT 1`, ChannelWhatsApp, driveID).Scan(&business)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: WhatsApp number of drive %d: %w", driveID, err)
	}
	return business, nil
}

// ImportOrigin is, for a person an import created or joined to a drive,
// where they came from: the import's source text and the day it ran; and
// the number the source system gave them.
type ImportOrigin struct {
	ImportID int64 // 0: they did not come from an import
	Source   string
	Day      string // YYYY-MM-DD, the import's day
	LegacyNo string // may be set for a person who was only filled in by one
}

// ImportOriginOf returns the person's import origin.
func ImportOriginOf(ctx context.Context, tx *Tx, personID int64) (ImportOrigin, error) {
	var o ImportOrigin
	// The import that created them, else the latest that joined them to a
	// drive.
	err := tx.queryRow(ctx, `SELECT COALESCE(i.id, 0), COALESCE(i.source, ''), COALESCE(i.day, ''), p.legacy_no
		FROM people p LEFT JOIN imports i ON i.id = COALESCE(p.import_id,
			(SELECT MAX(ip.import_id) FROM participations ip WHERE ip.person_id = p.id))
		WHERE p.id = $1`, personID).
		Scan(&o.ImportID, &o.Source, &o.Day, &o.LegacyNo)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("store: import origin of person %d: %w", personID, err)
	}
	return o, nil
}

// forgetImported erases what imports hold of a person: the number the
// source system gave them, their notice, and any staged row with one of
// their phones (an import still loading would otherwise bring it back).
func forgetImported(ctx context.Context, tx *Tx, personID int64, phones []string) error {
	if _, err := tx.exec(ctx, `UPDATE people SET legacy_no = '' WHERE id = $1`, personID); err != nil {
		return fmt.Errorf("store: erase legacy number of person %d: %w", personID, err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM import_notices WHERE person_id = $1`, personID); err != nil {
		return fmt.Errorf("store: erase notice of person %d: %w", personID, err)
	}
	for _, p := range phones {
		if _, err := tx.exec(ctx, `DELETE FROM import_rows WHERE phone = $1`, p); err != nil {
			return fmt.Errorf("store: erase staged rows of person %d: %w", personID, err)
		}
	}
	return nil
}
