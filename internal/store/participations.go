package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Stage is a step of a drive's funnel (DESIGN.md §4).
type Stage string

// The funnel's stages, in order.
const (
	StageLead       Stage = "lead"
	StageRegistered Stage = "registered"
	StageVerified   Stage = "verified"
	StageVolunteer  Stage = "volunteer"
	StageActive     Stage = "active"
)

// stageColumns maps each stage to the participations column holding the
// time it was reached and to the counter metric it moves. Only these
// column names are ever spliced into SQL.
var stageColumns = map[Stage]struct{ column, metric string }{
	StageLead:       {"lead_at", "leads"},
	StageRegistered: {"registered_at", "members"},
	StageVerified:   {"verified_at", "verified"},
	StageVolunteer:  {"volunteer_at", "volunteers"},
	StageActive:     {"active_at", "active"},
}

// Metric is the counter metric a stage moves ("members" for registered).
func (s Stage) Metric() string { return stageColumns[s].metric }

// Participation is a person in a drive and the time each stage was
// reached (zero: not reached).
type Participation struct {
	ID             int64
	PersonID       int64
	DriveID        int64
	Channel        string // where the person was first seen
	AreaID         int64  // 0: not known yet
	ReferredBy     int64  // 0: nobody
	RegisteredBy   int64  // 0: themselves
	FirstSeenAt    time.Time
	LeadAt         time.Time
	RegisteredAt   time.Time
	VerifiedAt     time.Time
	VolunteerAt    time.Time
	ActiveAt       time.Time
	LastFollowupAt time.Time
}

// ParticipationInput is a person's first contact with a drive. Day is the
// drive-local day ("2026-02-12") the lead counts on.
type ParticipationInput struct {
	PersonID     int64
	DriveID      int64
	Channel      string
	AreaID       int64 // 0: not known yet; the lead counts at the drive's root area
	ReferredBy   int64 // 0: nobody
	RegisteredBy int64 // 0: themselves
	Day          string
}

// countArea is where a participation's events count: its most specific
// known area, else its drive's root area.
const countArea = `COALESCE(area_id, (SELECT d.root_area_id FROM drives d WHERE d.id = participations.drive_id))`

// EnsureParticipation returns the person's participation in the drive,
// creating it as a lead, and counting that lead, if it is new. The first
// contact wins: an existing participation keeps its channel, area and
// referrer.
func EnsureParticipation(ctx context.Context, tx *Tx, p ParticipationInput) (id int64, created bool, err error) {
	return ensureParticipation(ctx, tx, p, true)
}

// EnsureLead is EnsureParticipation for a caller that needs only to know
// whether the lead is new: one statement when the person is in the drive
// already.
func EnsureLead(ctx context.Context, tx *Tx, p ParticipationInput) (created bool, err error) {
	_, created, err = ensureParticipation(ctx, tx, p, false)
	return created, err
}

func ensureParticipation(ctx context.Context, tx *Tx, p ParticipationInput, needID bool) (id int64, created bool, err error) {
	if p.PersonID == 0 || p.DriveID == 0 || p.Channel == "" || p.Day == "" {
		return 0, false, apperr.New(apperr.Invalid, "a participation needs a person, a drive, a channel and a day")
	}
	var countAt int64
	err = tx.queryRow(ctx, `INSERT INTO participations
		(person_id, drive_id, channel, area_id, referred_by, registered_by, first_seen_at, lead_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (person_id, drive_id) DO NOTHING
		RETURNING id, `+countArea,
		p.PersonID, p.DriveID, p.Channel, optionalID(p.AreaID), optionalID(p.ReferredBy), optionalID(p.RegisteredBy),
		ms(tx.Now)).Scan(&id, &countAt)
	switch {
	case errors.Is(err, sql.ErrNoRows) && !needID:
		return 0, false, nil
	case errors.Is(err, sql.ErrNoRows):
		err = tx.queryRow(ctx, "SELECT id FROM participations WHERE person_id = $1 AND drive_id = $2",
			p.PersonID, p.DriveID).Scan(&id)
		if err != nil {
			return 0, false, fmt.Errorf("store: find participation of person %d in drive %d: %w", p.PersonID, p.DriveID, err)
		}
		return id, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("store: create participation of person %d in drive %d: %w", p.PersonID, p.DriveID, err)
	}
	lead := CounterDelta{DriveID: p.DriveID, AreaID: countAt, Metric: StageLead.Metric(), Day: p.Day, Channel: p.Channel, Value: 1}
	if err := AddCounters(ctx, tx, []CounterDelta{lead}); err != nil {
		return 0, false, err
	}
	return id, true, nil
}

// ReachStage records that a participation reached stage, once: only the
// call that sets the stage's time moves the counter, by one, at the most
// specific area known (areaID when given, which also becomes the
// participation's area, else its area, else the drive's root). moved is
// false when the stage was reached before.
func ReachStage(ctx context.Context, tx *Tx, participationID int64, stage Stage, areaID int64, channel, day string) (moved bool, err error) {
	column, err := stageColumn(stage, channel, day)
	if err != nil {
		return false, err
	}
	return moveStage(ctx, tx, participationID, stage, +1, channel, day, reachQuery(column),
		ms(tx.Now), optionalID(areaID), participationID)
}

// reachQuery sets a stage's column once, returning (drive, area to count at).
func reachQuery(column string) string {
	return `UPDATE participations SET ` + column + ` = $1, area_id = COALESCE($2, area_id)
		WHERE id = $3 AND ` + column + ` IS NULL
		RETURNING drive_id, ` + countArea
}

// Reaching is a registration's second half (people.Register): the contact
// points its channel proved, and the stages the participation reaches.
type Reaching struct {
	PersonID int64
	Proven   []Contact // verified where they are the person's (VerifyContactsOf)
	// ParticipationID reaches Stages in order, as ReachStage would with
	// AreaID, Channel and Day.
	ParticipationID, AreaID int64
	Channel, Day            string
	Stages                  []Stage
}

// ReachStagesProving verifies r.Proven and moves r.Stages, in one round
// trip on PostgreSQL, and reports which stages moved (each counted once, as
// ReachStage does).
func ReachStagesProving(ctx context.Context, tx *Tx, r Reaching) ([]bool, error) {
	var stmts []pgStmt
	if len(r.Proven) > 0 {
		q, args := verifyContactsStmt(tx, r.PersonID, r.Proven)
		stmts = append(stmts, pgStmt{query: q, args: args})
	}
	type reached struct {
		drive, area int64
		moved       bool
	}
	got := make([]reached, len(r.Stages))
	for i, stage := range r.Stages {
		column, err := stageColumn(stage, r.Channel, r.Day)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, pgStmt{query: reachQuery(column), args: []any{ms(tx.Now), optionalID(r.AreaID), r.ParticipationID},
			scan: func(rows rowScanner) error {
				for rows.Next() {
					got[i].moved = true
					if err := rows.Scan(&got[i].drive, &got[i].area); err != nil {
						return err
					}
				}
				return rows.Err()
			}})
	}
	if err := tx.batch(ctx, stmts...); err != nil {
		return nil, fmt.Errorf("store: participation %d reaching %v: %w", r.ParticipationID, r.Stages, err)
	}
	moved := make([]bool, len(r.Stages))
	for i, g := range got {
		if !g.moved {
			continue
		}
		moved[i] = true
		if err := countStage(ctx, tx, r.Stages[i], +1, r.Channel, r.Day, g.drive, g.area); err != nil {
			return nil, err
		}
	}
	if !slices.Contains(moved, true) {
		// Each stage was reached before, or there is no such participation.
		if _, err := GetParticipation(ctx, tx, r.ParticipationID); err != nil {
			return nil, err
		}
	}
	return moved, nil
}

// RevertStage undoes a stage (a volunteer steps down): it clears the
// stage's time and counts -1 on day, so the cumulative counters drop from
// that day on. The -1 lands where events count now (the participation's
// area, else the drive's root), which is where the +1 landed unless a
// later stage moved the participation to another area. moved is false
// when the stage was not reached.
func RevertStage(ctx context.Context, tx *Tx, participationID int64, stage Stage, channel, day string) (moved bool, err error) {
	column, err := stageColumn(stage, channel, day)
	if err != nil {
		return false, err
	}
	return moveStage(ctx, tx, participationID, stage, -1, channel, day, `UPDATE participations
		SET `+column+` = NULL
		WHERE id = $1 AND `+column+` IS NOT NULL
		RETURNING drive_id, `+countArea,
		participationID)
}

// moveStage runs a guarded update returning (drive, area) and counts delta
// only when it changed the row: concurrent callers wait on the row lock
// and then find the guard false, so an event is counted exactly once.
func moveStage(ctx context.Context, tx *Tx, id int64, stage Stage, delta int64, channel, day, query string, args ...any) (bool, error) {
	var driveID, areaID int64
	err := tx.queryRow(ctx, query, args...).Scan(&driveID, &areaID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err := GetParticipation(ctx, tx, id)
		return false, err
	case err != nil:
		return false, fmt.Errorf("store: participation %d %s: %w", id, stage, err)
	}
	if err := countStage(ctx, tx, stage, delta, channel, day, driveID, areaID); err != nil {
		return false, err
	}
	return true, nil
}

// stageColumn is the participation's column for stage, which is counted
// by channel on day, so both must be named.
func stageColumn(stage Stage, channel, day string) (string, error) {
	col, ok := stageColumns[stage]
	if !ok || channel == "" || day == "" {
		return "", apperr.New(apperr.Invalid, "stage %q by channel %q on day %q cannot be counted", stage, channel, day)
	}
	return col.column, nil
}

// countStage counts delta of stage at the drive's area, on day by channel.
func countStage(ctx context.Context, tx *Tx, stage Stage, delta int64, channel, day string, driveID, areaID int64) error {
	return AddCounters(ctx, tx, []CounterDelta{{DriveID: driveID, AreaID: areaID, Metric: stage.Metric(), Day: day, Channel: channel, Value: delta}})
}

const participationColumns = `id, person_id, drive_id, channel, area_id, referred_by, registered_by,
	first_seen_at, lead_at, registered_at, verified_at, volunteer_at, active_at, last_followup_at`

// GetParticipation returns a participation by id.
func GetParticipation(ctx context.Context, tx *Tx, id int64) (Participation, error) {
	row := tx.queryRow(ctx, "SELECT "+participationColumns+" FROM participations WHERE id = $1", id)
	p, err := scanParticipation(row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Participation{}, apperr.New(apperr.NotFound, "participation %d not found", id)
	case err != nil:
		return Participation{}, fmt.Errorf("store: get participation %d: %w", id, err)
	}
	return p, nil
}

// FindParticipation returns a person's participation in a drive.
func FindParticipation(ctx context.Context, tx *Tx, personID, driveID int64) (Participation, error) {
	row := tx.queryRow(ctx, "SELECT "+participationColumns+" FROM participations WHERE person_id = $1 AND drive_id = $2",
		personID, driveID)
	p, err := scanParticipation(row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Participation{}, apperr.New(apperr.NotFound, "person %d has not joined drive %d", personID, driveID)
	case err != nil:
		return Participation{}, fmt.Errorf("store: find participation of person %d in drive %d: %w", personID, driveID, err)
	}
	return p, nil
}

func scanParticipation(row interface{ Scan(...any) error }) (Participation, error) {
	var p Participation
	var area, referrer, enroller sql.NullInt64
	var firstSeen int64
	var lead, registered, verified, volunteer, active, followup sql.NullInt64
	err := row.Scan(&p.ID, &p.PersonID, &p.DriveID, &p.Channel, &area, &referrer, &enroller,
		&firstSeen, &lead, &registered, &verified, &volunteer, &active, &followup)
	if err != nil {
		return Participation{}, err
	}
	p.AreaID, p.ReferredBy, p.RegisteredBy = area.Int64, referrer.Int64, enroller.Int64
	p.FirstSeenAt = fromMS(firstSeen)
	p.LeadAt, p.RegisteredAt, p.VerifiedAt = fromNullMS(lead), fromNullMS(registered), fromNullMS(verified)
	p.VolunteerAt, p.ActiveAt, p.LastFollowupAt = fromNullMS(volunteer), fromNullMS(active), fromNullMS(followup)
	return p, nil
}
