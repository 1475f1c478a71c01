package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// PersonDrive names a participation by its person and drive, with the
// phone the person called from.
type PersonDrive struct {
	PersonID, DriveID int64
	Phone             string // E.164
	// DriveVersion is the drive's version as read in the same transaction
	// (ChannelDrive.Version), or 0 if not known: with it, a follow-up's
	// texts already composed for that version are used without reading
	// the drive again.
	DriveVersion int
	// Participation is set when the call's transaction made the
	// participation with its follow-up already claimed (CallRecord.FollowUp).
	Participation int64
}

// followupDue is a participation whose follow-up was just claimed.
type followupDue struct {
	ParticipationID, PersonID, DriveID int64
}

// claimFollowups claims the follow-up (the SMS after a missed call) of each
// participation named, in tx: only those not yet registered whose last
// follow-up is empty or at least cooldown old, so a person who calls ten
// times gets one SMS per cooldown. The guarded update makes concurrent
// claimers (several writers, several nodes) get each participation once.
// It costs one statement per drive.
func claimFollowups(ctx context.Context, tx *Tx, who []PersonDrive, cooldown time.Duration) ([]followupDue, error) {
	byDrive := map[int64][]any{}
	for _, w := range who {
		if !slices.Contains(byDrive[w.DriveID], any(w.PersonID)) {
			byDrive[w.DriveID] = append(byDrive[w.DriveID], w.PersonID)
		}
	}
	drives := make([]int64, 0, len(byDrive))
	for d := range byDrive {
		drives = append(drives, d)
	}
	slices.Sort(drives) // a fixed lock order across concurrent writers
	var out []followupDue
	for _, d := range drives {
		people := byDrive[d]
		slices.SortFunc(people, func(a, b any) int { return int(a.(int64) - b.(int64)) })
		args := append([]any{ms(tx.Now), ms(tx.Now.Add(-cooldown)), d}, people...)
		// "drive_id + 0" keeps SQLite off the drive_id index (every
		// participation of the drive) and on (person_id, drive_id).
		rows, err := tx.query(ctx, `UPDATE participations SET last_followup_at = $1
			WHERE person_id IN (`+placeholders(len(people), 4)+`) AND drive_id + 0 = $3
				AND registered_at IS NULL AND (last_followup_at IS NULL OR last_followup_at <= $2)
			RETURNING id, person_id, drive_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: claim follow-ups: %w", err)
		}
		for rows.Next() {
			var f followupDue
			if err := rows.Scan(&f.ParticipationID, &f.PersonID, &f.DriveID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: claim follow-ups: %w", err)
			}
			out = append(out, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: claim follow-ups: %w", err)
		}
	}
	return out, nil
}

// FollowupDrive is what a follow-up needs of its drive.
type FollowupDrive struct {
	ID       int64
	Version  int
	File     []byte // the drive file as applied
	WhatsApp string // the drive's WhatsApp number, E.164; "" if it has none
}

// FollowupDrives loads the drives of ids, in tx.
func FollowupDrives(ctx context.Context, tx *Tx, ids []int64) (map[int64]FollowupDrive, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.query(ctx, `SELECT d.id, d.version, d.file, COALESCE(MIN(c.number), '')
		FROM drives d LEFT JOIN drive_channels c ON c.drive_id = d.id AND c.kind = 'whatsapp'
		WHERE d.id IN (`+placeholders(len(ids), 1)+`) GROUP BY d.id, d.version, d.file`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: follow-up drives: %w", err)
	}
	defer rows.Close()
	out := map[int64]FollowupDrive{}
	for rows.Next() {
		var d FollowupDrive
		var file string
		if err := rows.Scan(&d.ID, &d.Version, &file, &d.WhatsApp); err != nil {
			return nil, fmt.Errorf("store: follow-up drives: %w", err)
		}
		d.File = []byte(file)
		out[d.ID] = d
	}
	return out, rows.Err()
}

// FollowupDraft is a follow-up composed for a participation whose
// follow-up may be due: its join link and its message. A draft whose
// Link.ParticipationID is set was claimed when its participation was made
// in the same transaction (CallRecord.FollowUp); the others are claimed
// here.
type FollowupDraft struct {
	PersonID, DriveID int64
	Link              NewJoinLink
	Message           OutboxMessage
}

// QueueFollowups claims the due follow-ups among drafts that are not
// claimed yet (claimFollowups: one per person and drive), and queues the
// join link and message of every claimed one, in tx. queued is told how
// many once tx has committed. The claim is a round trip on PostgreSQL, and
// only for people who already were in the drive; the links and messages
// travel with COMMIT.
func QueueFollowups(ctx context.Context, tx *Tx, drafts []FollowupDraft, cooldown time.Duration, queued func(int)) error {
	var ready []FollowupDraft
	var who []PersonDrive
	type pd struct{ person, drive int64 }
	unclaimed := map[pd]FollowupDraft{}
	for _, d := range drafts {
		if d.Link.ParticipationID != 0 {
			ready = append(ready, d)
			continue
		}
		k := pd{d.PersonID, d.DriveID}
		if _, dup := unclaimed[k]; !dup {
			unclaimed[k] = d
			who = append(who, PersonDrive{PersonID: d.PersonID, DriveID: d.DriveID})
		}
	}
	if len(who) > 0 {
		due, err := claimFollowups(ctx, tx, who, cooldown)
		if err != nil {
			return err
		}
		for _, f := range due {
			d := unclaimed[pd{f.PersonID, f.DriveID}]
			d.Link.ParticipationID = f.ParticipationID
			ready = append(ready, d)
		}
	}
	links := make([]NewJoinLink, len(ready))
	msgs := make([]OutboxMessage, len(ready))
	for i, d := range ready {
		links[i], msgs[i] = d.Link, d.Message
	}
	if err := CreateJoinLinks(ctx, tx, links); err != nil {
		return err
	}
	if err := QueueMessages(ctx, tx, msgs); err != nil {
		return err
	}
	if queued != nil && len(ready) > 0 {
		tx.onCommit(func() { queued(len(ready)) })
	}
	return nil
}
