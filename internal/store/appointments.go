package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Appointment is one holding of a post: a volunteer appointed to a post
// (the drive file's code) at an area, until it is vacated.
type Appointment struct {
	ID              int64
	DriveID         int64
	Post            string
	AreaID          int64
	PersonID        int64
	ParticipationID int64
	Many            bool // the post may have several holders at an area
	AppointedAt     time.Time
	AppointedBy     string // the audit log's actor
	VacatedAt       time.Time
	VacatedBy       string
	VacatedWhy      string // VacatedByStaff, Replaced, VolunteeringEnded, MembershipEnded, VacatedErased
}

// Why a holding ended.
const (
	VacatedByStaff    = "vacated"
	Replaced          = "replaced"
	VolunteeringEnded = "volunteering_ended"
	MembershipEnded   = "membership_ended"
	VacatedErased     = "erased"
)

// officeBearers is the counter metric posts move; their channel is "staff"
// whoever appointed (console, API, command line), so that a vacancy's -1
// always meets its appointment's +1.
const (
	officeBearers = "office_bearers"
	staffChannel  = "staff"
)

// Appoint records a as held from now and counts +1 office_bearers at its
// area on day. A post that is not Many has one holder an area, and nobody
// holds one post at one area twice: either is a conflict (the unique
// indexes decide, so two appointments at once end with one).
func Appoint(ctx context.Context, tx *Tx, a Appointment, day string) (Appointment, error) {
	if a.DriveID == 0 || a.Post == "" || a.AreaID == 0 || a.ParticipationID == 0 || a.AppointedBy == "" || day == "" {
		return Appointment{}, apperr.New(apperr.Invalid, "an appointment needs a drive, a post, an area, a volunteer, who appoints and a day")
	}
	many := 0
	if a.Many {
		many = 1
	}
	a.AppointedAt = tx.Now
	err := tx.queryRow(ctx, `INSERT INTO appointments (drive_id, post, area_id, person_id, participation_id, many, appointed_at, appointed_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
		a.DriveID, a.Post, a.AreaID, a.PersonID, a.ParticipationID, many, ms(a.AppointedAt), a.AppointedBy).Scan(&a.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Appointment{}, apperr.New(apperr.Conflict, "post %s at area %d is held already", a.Post, a.AreaID)
	case err != nil:
		return Appointment{}, fmt.Errorf("store: appoint to %s at area %d: %w", a.Post, a.AreaID, err)
	}
	return a, AddCounters(ctx, tx, []CounterDelta{{DriveID: a.DriveID, AreaID: a.AreaID, Metric: officeBearers, Day: day,
		Channel: staffChannel, Value: 1}})
}

// Vacate ends a holding (a guarded transition: -1 office_bearers at its
// area on day, once) and returns it as ended. vacated is false when it had
// ended before.
func Vacate(ctx context.Context, tx *Tx, id int64, by, why, day string) (a Appointment, vacated bool, err error) {
	res, err := tx.exec(ctx, `UPDATE appointments SET vacated_at = $1, vacated_by = $2, vacated_why = $3
		WHERE id = $4 AND vacated_at IS NULL`, ms(tx.Now), by, why, id)
	if err != nil {
		return Appointment{}, false, fmt.Errorf("store: vacate appointment %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Appointment{}, false, fmt.Errorf("store: vacate appointment %d: %w", id, err)
	}
	if a, err = GetAppointment(ctx, tx, id); err != nil || n == 0 {
		return a, false, err
	}
	return a, true, AddCounters(ctx, tx, []CounterDelta{{DriveID: a.DriveID, AreaID: a.AreaID, Metric: officeBearers, Day: day,
		Channel: staffChannel, Value: -1}})
}

const appointmentColumns = `id, drive_id, post, area_id, person_id, participation_id, many, appointed_at, appointed_by,
	vacated_at, vacated_by, vacated_why`

// GetAppointment returns a holding by id.
func GetAppointment(ctx context.Context, tx *Tx, id int64) (Appointment, error) {
	as, err := selectAppointments(ctx, tx, "id = $1", id)
	if err != nil {
		return Appointment{}, err
	}
	if len(as) == 0 {
		return Appointment{}, apperr.New(apperr.NotFound, "appointment %d not found", id)
	}
	return as[0], nil
}

// Holders returns the live holdings of a post at an area.
func Holders(ctx context.Context, tx *Tx, driveID int64, post string, areaID int64) ([]Appointment, error) {
	return selectAppointments(ctx, tx, "drive_id = $1 AND post = $2 AND area_id = $3 AND vacated_at IS NULL", driveID, post, areaID)
}

// AppointmentsOf returns a person's holdings, ended ones too, oldest first:
// their history.
func AppointmentsOf(ctx context.Context, tx *Tx, personID int64) ([]Appointment, error) {
	return selectAppointments(ctx, tx, "person_id = $1", personID)
}

func selectAppointments(ctx context.Context, tx *Tx, where string, args ...any) ([]Appointment, error) {
	rows, err := tx.query(ctx, "SELECT "+appointmentColumns+" FROM appointments WHERE "+where+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: appointments: %w", err)
	}
	defer rows.Close()
	var out []Appointment
	for rows.Next() {
		var a Appointment
		var many int
		var appointed int64
		var vacated sql.NullInt64
		if err := rows.Scan(&a.ID, &a.DriveID, &a.Post, &a.AreaID, &a.PersonID, &a.ParticipationID, &many, &appointed, &a.AppointedBy,
			&vacated, &a.VacatedBy, &a.VacatedWhy); err != nil {
			return nil, fmt.Errorf("store: appointments: %w", err)
		}
		a.Many, a.AppointedAt, a.VacatedAt = many == 1, fromMS(appointed), fromNullMS(vacated)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: appointments: %w", err)
	}
	return out, nil
}
