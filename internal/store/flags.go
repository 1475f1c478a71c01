package store

import (
	"context"
	"fmt"
	"time"
)

// FlagQuery asks for the events a velocity flag counts in a drive, in the
// areas of Scope, since Since. Keys with fewer than AtLeast events since
// then cannot make a flag and are left out.
type FlagQuery struct {
	DriveID int64
	Scope   []Area // from AreasInScope
	Since   time.Time
	AtLeast int
}

// FlagEvent is one event a flag counts: Key is what the events are counted
// by (a person's id, a network prefix, a device hash), ordered by Key,
// then At. PersonID and Name are the person counted by, if any.
type FlagEvent struct {
	Key      string
	PersonID int64
	Name     string
	At       time.Time
}

// RecruitEvents are the verified joins credited to each recruiter: the
// participations referred by them and verified since q.Since, the
// recruiter's participation in q.Scope.
func (db *DB) RecruitEvents(ctx context.Context, q FlagQuery) ([]FlagEvent, error) {
	return db.flagEvents(ctx, q, `SELECT CAST(pa.person_id AS TEXT), pa.person_id, p.name, r.verified_at
		FROM participations r JOIN participations pa ON pa.person_id = r.referred_by AND pa.drive_id = r.drive_id
		JOIN people p ON p.id = pa.person_id JOIN areas a ON a.id = pa.area_id
		WHERE r.drive_id = $%[2]d AND r.verified_at >= $%[3]d AND r.referred_by IN (SELECT referred_by FROM participations
			WHERE drive_id = $%[2]d AND verified_at >= $%[3]d AND referred_by IS NOT NULL GROUP BY referred_by HAVING COUNT(*) >= $%[4]d)
		AND %[1]s ORDER BY pa.person_id, r.verified_at`)
}

// NetworkEvents are the registrations marked since q.Since by network
// prefix, the participation in q.Scope.
func (db *DB) NetworkEvents(ctx context.Context, q FlagQuery) ([]FlagEvent, error) {
	return db.flagEvents(ctx, q, markEvents("network"))
}

// DeviceEvents are the registrations marked since q.Since by device, the
// participation in q.Scope.
func (db *DB) DeviceEvents(ctx context.Context, q FlagQuery) ([]FlagEvent, error) {
	return db.flagEvents(ctx, q, markEvents("device"))
}

// markEvents selects registration marks by column (network or device;
// never a value from outside).
func markEvents(column string) string {
	return `SELECT m.` + column + `, 0, '', m.at
		FROM registration_marks m JOIN participations pa ON pa.id = m.participation_id JOIN areas a ON a.id = pa.area_id
		WHERE m.drive_id = $%[2]d AND m.at >= $%[3]d AND m.` + column + ` IN (SELECT ` + column + ` FROM registration_marks
			WHERE drive_id = $%[2]d AND at >= $%[3]d AND ` + column + ` <> '' GROUP BY ` + column + ` HAVING COUNT(*) >= $%[4]d)
		AND %[1]s ORDER BY m.` + column + `, m.at`
}

// GroupEvents are the groups registered since q.Since by their owner,
// the group's area in q.Scope, whatever their state now.
func (db *DB) GroupEvents(ctx context.Context, q FlagQuery) ([]FlagEvent, error) {
	return db.flagEvents(ctx, q, `SELECT CAST(g.person_id AS TEXT), g.person_id, p.name, g.registered_at
		FROM chat_groups g JOIN participations pa ON pa.id = g.participation_id JOIN people p ON p.id = g.person_id
		JOIN areas a ON a.id = g.area_id
		WHERE g.drive_id = $%[2]d AND g.registered_at >= $%[3]d AND g.person_id IN (SELECT person_id FROM chat_groups
			WHERE drive_id = $%[2]d AND registered_at >= $%[3]d GROUP BY person_id HAVING COUNT(*) >= $%[4]d)
		AND %[1]s ORDER BY g.person_id, g.registered_at`)
}

// flagEvents runs query, whose %[1]s takes the scope's conditions on a
// (the area) and pa (the participation) and whose $%[2]d, $%[3]d and
// $%[4]d are the drive, Since and AtLeast.
func (db *DB) flagEvents(ctx context.Context, q FlagQuery, query string) ([]FlagEvent, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return nil, nil
	}
	w := PeopleQuery{Scope: q.Scope, DriveID: q.DriveID}.filters()
	n := len(w.args)
	w.args = append(w.args, q.DriveID, ms(q.Since), max(q.AtLeast, 1))
	var out []FlagEvent
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, fmt.Sprintf(query, w.sql(), n+1, n+2, n+3), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e FlagEvent
			var at int64
			if err := rows.Scan(&e.Key, &e.PersonID, &e.Name, &at); err != nil {
				return err
			}
			e.At = fromMS(at)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: flag events: %w", err)
	}
	return out, nil
}

// PurgeRegistrationMarks deletes the registration marks made before
// cutoff: they are kept only for the velocity flags. It deletes them a
// chunk a transaction (purgeInChunks), found by their time's index.
func (db *DB) PurgeRegistrationMarks(ctx context.Context, cutoff time.Time) (int64, error) {
	return db.purgeInChunks(ctx, "registration marks", `DELETE FROM registration_marks WHERE participation_id IN
		(SELECT participation_id FROM registration_marks WHERE at < $1 LIMIT $2)`, ms(cutoff))
}
