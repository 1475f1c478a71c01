package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Volunteer is a person volunteering in a drive: the participation that
// reached the volunteer stage, the area they work in for that drive (an AC
// or a booth, where the volunteers counter moved) and the languages they
// work in (handles.Languages codes).
type Volunteer struct {
	ParticipationID int64
	PersonID        int64
	DriveID         int64
	AreaID          int64
	Languages       []string
	Channel         string // where they volunteered: "web", "whatsapp"
	StartedAt       time.Time
	UpdatedAt       time.Time
	EndedAt         time.Time // zero: volunteering now
}

// StartVolunteering makes v's participation a volunteer at v.AreaID, or
// updates the area and languages of one who is. The stage is a guarded
// transition: only the call that sets volunteer_at counts +1 volunteers at
// the area, on day; a volunteer who moves to another area moves their
// count with them (-1 there, +1 here). started is false for a volunteer
// already.
func StartVolunteering(ctx context.Context, tx *Tx, v Volunteer, day string) (started bool, err error) {
	if v.ParticipationID == 0 || v.AreaID == 0 || v.Channel == "" || day == "" {
		return false, apperr.New(apperr.Invalid, "volunteering needs a participation, an area, a channel and a day")
	}
	now := ms(tx.Now)
	var driveID, personID int64
	err = tx.queryRow(ctx, `UPDATE participations SET volunteer_at = $1
		WHERE id = $2 AND volunteer_at IS NULL AND registered_at IS NOT NULL RETURNING drive_id, person_id`,
		now, v.ParticipationID).Scan(&driveID, &personID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, updateVolunteer(ctx, tx, v, day)
	case err != nil:
		return false, fmt.Errorf("store: participation %d volunteers: %w", v.ParticipationID, err)
	}
	_, err = tx.exec(ctx, `INSERT INTO volunteers
		(participation_id, person_id, drive_id, area_id, languages, channel, started_at, updated_at, ended_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, NULL)
		ON CONFLICT (participation_id) DO UPDATE SET area_id = $4, languages = $5, channel = $6,
			started_at = $7, updated_at = $7, ended_at = NULL`,
		v.ParticipationID, personID, driveID, v.AreaID, strings.Join(v.Languages, ","), v.Channel, now)
	if err != nil {
		return false, fmt.Errorf("store: participation %d volunteers: %w", v.ParticipationID, err)
	}
	return true, AddCounters(ctx, tx, []CounterDelta{{DriveID: driveID, AreaID: v.AreaID, Metric: StageVolunteer.Metric(),
		Day: day, Channel: v.Channel, Value: 1}})
}

// updateVolunteer changes a volunteer's area and languages; a
// participation that is no volunteer (or no member) is a conflict.
func updateVolunteer(ctx context.Context, tx *Tx, v Volunteer, day string) error {
	// The no-op update locks the row and reads it as the last writer left
	// it: two changes at once move the count once each, from where the
	// other left it, and a volunteering ended meanwhile is not changed.
	var old Volunteer
	err := tx.queryRow(ctx, `UPDATE volunteers SET updated_at = updated_at WHERE participation_id = $1 AND ended_at IS NULL
		RETURNING drive_id, area_id, channel`, v.ParticipationID).Scan(&old.DriveID, &old.AreaID, &old.Channel)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return apperr.New(apperr.Conflict, "participation %d is not a member who can volunteer", v.ParticipationID)
	case err != nil:
		return fmt.Errorf("store: update volunteer %d: %w", v.ParticipationID, err)
	}
	_, err = tx.exec(ctx, `UPDATE volunteers SET area_id = $1, languages = $2, updated_at = $3 WHERE participation_id = $4`,
		v.AreaID, strings.Join(v.Languages, ","), ms(tx.Now), v.ParticipationID)
	if err != nil {
		return fmt.Errorf("store: update volunteer %d: %w", v.ParticipationID, err)
	}
	if old.AreaID == v.AreaID {
		return nil
	}
	metric := StageVolunteer.Metric()
	return AddCounters(ctx, tx, []CounterDelta{
		{DriveID: old.DriveID, AreaID: old.AreaID, Metric: metric, Day: day, Channel: old.Channel, Value: -1},
		{DriveID: old.DriveID, AreaID: v.AreaID, Metric: metric, Day: day, Channel: old.Channel, Value: 1}})
}

// EndVolunteering ends a participation's volunteering: the stage is
// cleared (a guarded transition) and the row kept, ended, with where and
// when but not the languages. With count, -1
// volunteers lands on day where the +1 did (the volunteer's area and
// channel): the person withdrew. Without, the count stays, as joins
// already made do when a membership ends or a person is erased. ended is
// false when they were not volunteering.
func EndVolunteering(ctx context.Context, tx *Tx, participationID int64, count bool, day string) (ended bool, err error) {
	res, err := tx.exec(ctx, `UPDATE participations SET volunteer_at = NULL WHERE id = $1 AND volunteer_at IS NOT NULL`, participationID)
	if err != nil {
		return false, fmt.Errorf("store: end volunteering of participation %d: %w", participationID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	var v Volunteer
	err = tx.queryRow(ctx, `UPDATE volunteers SET ended_at = $1, updated_at = $1, languages = '' WHERE participation_id = $2
		RETURNING drive_id, area_id, channel`, ms(tx.Now), participationID).Scan(&v.DriveID, &v.AreaID, &v.Channel)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return true, nil // a stage set before volunteers had rows: nothing to count back
	case err != nil:
		return false, fmt.Errorf("store: end volunteering of participation %d: %w", participationID, err)
	}
	if !count {
		return true, nil
	}
	return true, AddCounters(ctx, tx, []CounterDelta{{DriveID: v.DriveID, AreaID: v.AreaID, Metric: StageVolunteer.Metric(),
		Day: day, Channel: v.Channel, Value: -1}})
}

const volunteerColumns = `participation_id, person_id, drive_id, area_id, languages, channel, started_at, updated_at, ended_at`

// VolunteerOf returns a participation's volunteer row, ended or not.
func VolunteerOf(ctx context.Context, tx *Tx, participationID int64) (Volunteer, error) {
	vs, err := selectVolunteers(ctx, tx, "participation_id = $1", participationID)
	if err != nil {
		return Volunteer{}, err
	}
	if len(vs) == 0 {
		return Volunteer{}, apperr.New(apperr.NotFound, "participation %d has never volunteered", participationID)
	}
	return vs[0], nil
}

// VolunteeringOf returns a person's volunteer rows in every drive, ended
// ones too, first started first.
func VolunteeringOf(ctx context.Context, tx *Tx, personID int64) ([]Volunteer, error) {
	return selectVolunteers(ctx, tx, "person_id = $1", personID)
}

func selectVolunteers(ctx context.Context, tx *Tx, where string, args ...any) ([]Volunteer, error) {
	rows, err := tx.query(ctx, "SELECT "+volunteerColumns+" FROM volunteers WHERE "+where+" ORDER BY started_at, participation_id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: volunteers: %w", err)
	}
	defer rows.Close()
	var out []Volunteer
	for rows.Next() {
		var v Volunteer
		var langs string
		var started, updated int64
		var ended sql.NullInt64
		if err := rows.Scan(&v.ParticipationID, &v.PersonID, &v.DriveID, &v.AreaID, &langs, &v.Channel, &started, &updated, &ended); err != nil {
			return nil, fmt.Errorf("store: volunteers: %w", err)
		}
		if langs != "" {
			v.Languages = strings.Split(langs, ",")
		}
		v.StartedAt, v.UpdatedAt, v.EndedAt = fromMS(started), fromMS(updated), fromNullMS(ended)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: volunteers: %w", err)
	}
	return out, nil
}

// LockVolunteer locks a participation's row while it is a volunteer's, so
// that what needs the volunteering (an appointment) and its ending
// (EndVolunteering) happen one after the other. false: no volunteer now.
func LockVolunteer(ctx context.Context, tx *Tx, participationID int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE participations SET volunteer_at = volunteer_at WHERE id = $1 AND volunteer_at IS NOT NULL`, participationID)
	if err != nil {
		return false, fmt.Errorf("store: lock volunteer %d: %w", participationID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: lock volunteer %d: %w", participationID, err)
	}
	return n == 1, nil
}
