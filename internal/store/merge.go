package store

import (
	"context"
	"fmt"
	"strings"
)

// MergeBlockers counts what keeps person from being folded into person
// into: from's registrations, conversations of from on a business number
// into already has one with, and one more if anything FoldPerson does not
// move points at from or at its participations (a staff role or sign-in
// link, a referral code, what a referral credited or a registration marked,
// volunteering, posts, groups, handles, enrolments made, an import's
// notice), all of which come only with more than a chat. Whether they block
// is package people's decision.
func MergeBlockers(ctx context.Context, tx *Tx, from, into int64) (int, error) {
	var blocked int
	err := tx.queryRow(ctx, `SELECT
			(SELECT COUNT(*) FROM participations WHERE person_id = $1 AND registered_at IS NOT NULL) +
			(SELECT COUNT(*) FROM conversations f JOIN conversations i ON i.channel = f.channel AND i.business = f.business
				WHERE f.person_id = $1 AND i.person_id = $2) +
			CASE WHEN EXISTS (SELECT 1 FROM staff_roles WHERE person_id = $1)
				OR EXISTS (SELECT 1 FROM signin_links WHERE person_id = $1)
				OR EXISTS (SELECT 1 FROM referral_codes WHERE person_id = $1)
				OR EXISTS (SELECT 1 FROM volunteers WHERE person_id = $1)
				OR EXISTS (SELECT 1 FROM appointments WHERE person_id = $1)
				OR EXISTS (SELECT 1 FROM chat_groups WHERE person_id = $1)
				OR EXISTS (SELECT 1 FROM handles WHERE person_id = $1)
				OR EXISTS (SELECT 1 FROM enrolments WHERE volunteer_id = $1)
				OR EXISTS (SELECT 1 FROM import_notices WHERE person_id = $1)
				OR EXISTS (SELECT 1 FROM participations WHERE registered_by = $1)
				-- Through from's participations, so that each is an index probe:
				-- credits and referrals are by drive, and one can refer or be
				-- credited only in a drive one has joined.
				OR EXISTS (SELECT 1 FROM participations p JOIN recruiter_credits r ON r.drive_id = p.drive_id AND r.person_id = p.person_id
					WHERE p.person_id = $1)
				OR EXISTS (SELECT 1 FROM participations p JOIN participations q ON q.drive_id = p.drive_id AND q.referred_by = p.person_id
					WHERE p.person_id = $1)
				OR EXISTS (SELECT 1 FROM participations p JOIN registration_marks m ON m.participation_id = p.id WHERE p.person_id = $1)
				OR EXISTS (SELECT 1 FROM participations p JOIN referral_credited c ON c.participation_id = p.id WHERE p.person_id = $1)
			THEN 1 ELSE 0 END`, from, into).Scan(&blocked)
	if err != nil {
		return 0, fmt.Errorf("store: merge person %d into %d: %w", from, into, err)
	}
	return blocked, nil
}

// FoldPerson makes everything of person from into's, in tx, and deletes
// from: contact points (a phone contact of from goes: the WhatsApp
// number it repeats stays, as a WhatsApp contact only), conversations,
// inbox and outbox rows, and consents into has not given itself. from's
// name and its search keys go; into keeps its own. Audit entries keep
// from's id: the log is never rewritten (the caller adds a merge entry,
// and AuditLog follows it). A participation of from in a drive into has
// joined too is removed, with its join links, and its lead count taken
// back on day (the drive-local day), so the drive counts one person once;
// any other participation moves over.
func FoldPerson(ctx context.Context, tx *Tx, from, into int64, day string) error {
	rows, err := tx.query(ctx, `SELECT f.id, f.channel FROM participations f
		JOIN participations i ON i.drive_id = f.drive_id AND i.person_id = $2 WHERE f.person_id = $1`, from, into)
	if err != nil {
		return fmt.Errorf("store: merge person %d into %d: %w", from, into, err)
	}
	type dup struct {
		id      int64
		channel string
	}
	var dups []dup
	for rows.Next() {
		var d dup
		if err := rows.Scan(&d.id, &d.channel); err != nil {
			rows.Close()
			return fmt.Errorf("store: merge person %d into %d: %w", from, into, err)
		}
		dups = append(dups, d)
	}
	rows.Close()
	for _, d := range dups {
		if _, err := RevertStage(ctx, tx, d.id, StageLead, d.channel, day); err != nil {
			return err
		}
		// Its join links go with it (a chat that called the drive itself
		// got one): used, they would register a participation that is gone.
		for _, q := range []string{"DELETE FROM join_links WHERE participation_id = $1", "DELETE FROM participations WHERE id = $1"} {
			if _, err := tx.exec(ctx, q, d.id); err != nil {
				return fmt.Errorf("store: merge person %d into %d: %w", from, into, err)
			}
		}
	}
	for _, q := range []string{
		"UPDATE participations SET person_id = $2 WHERE person_id = $1",
		// The chat's number stays a WhatsApp contact of theirs, not a
		// phone: the code proves the chat, not that the number is their phone.
		"DELETE FROM contact_points WHERE person_id = $1 AND kind = 'phone'",
		"UPDATE contact_points SET person_id = $2 WHERE person_id = $1",
		"UPDATE conversations SET person_id = $2 WHERE person_id = $1",
		"UPDATE inbox SET person_id = $2 WHERE person_id = $1",
		"UPDATE outbox SET person_id = $2 WHERE person_id = $1",
		"UPDATE person_requests SET person_id = $2 WHERE person_id = $1",
		"UPDATE consents SET person_id = $2 WHERE person_id = $1 AND purpose NOT IN (SELECT purpose FROM consents WHERE person_id = $2)",
		"DELETE FROM consents WHERE person_id = $1",
		"DELETE FROM sessions WHERE person_id = $1",
		"DELETE FROM person_name_keys WHERE person_id = $1",
		"DELETE FROM people WHERE id = $1",
	} {
		args := []any{from, into}
		if !strings.Contains(q, "$2") {
			args = args[:1] // PostgreSQL refuses an argument the statement does not use
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: merge person %d into %d: %w", from, into, err)
		}
	}
	return nil
}
