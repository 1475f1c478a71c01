package store

import (
	"context"
	"fmt"
)

// Holder is a live holding with what the org chart shows of it: the
// holder's name and the area's code.
type Holder struct {
	Appointment
	Name     string
	AreaCode string
}

// HoldersAt returns the live holdings of drive at the areas of codes,
// oldest first within an area: the filled seats of an org chart.
func HoldersAt(ctx context.Context, tx *Tx, driveID int64, codes []string) ([]Holder, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	args := []any{driveID}
	for _, c := range codes {
		args = append(args, c)
	}
	rows, err := tx.query(ctx, `SELECT ap.id, ap.post, ap.area_id, ap.person_id, ap.appointed_at, ap.appointed_by, p.name, a.code
		FROM areas a JOIN appointments ap ON ap.area_id = a.id AND ap.drive_id = $1 AND ap.vacated_at IS NULL
		JOIN people p ON p.id = ap.person_id
		WHERE a.code IN (`+placeholders(len(codes), 2)+`) ORDER BY a.code, ap.post, ap.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: holders at areas: %w", err)
	}
	defer rows.Close()
	var out []Holder
	for rows.Next() {
		h := Holder{Appointment: Appointment{DriveID: driveID}}
		var appointed int64
		if err := rows.Scan(&h.ID, &h.Post, &h.AreaID, &h.PersonID, &appointed, &h.AppointedBy, &h.Name, &h.AreaCode); err != nil {
			return nil, fmt.Errorf("store: holders at areas: %w", err)
		}
		h.AppointedAt = fromMS(appointed)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: holders at areas: %w", err)
	}
	return out, nil
}

// Seats counts, under one parent, the live areas of a kind and how many
// of them hold a post: a booth level summed up per AC.
type Seats struct {
	Parent  string // the parent area's code
	Post    string // "" in the count of areas
	Areas   int    // live areas of the kind under Parent (Post "")
	Filled  int    // areas with at least one live holder of Post
	Holders int    // live holders of Post under Parent
}

// SeatsBelow counts, for each parent of parents, its live children of
// kind (a row with Post "") and, per post, those with a live holder in
// drive: two grouped reads however many children there are.
func SeatsBelow(ctx context.Context, tx *Tx, driveID int64, parents []string, kind string) ([]Seats, error) {
	if len(parents) == 0 {
		return nil, nil
	}
	args := []any{kind}
	for _, c := range parents {
		args = append(args, c)
	}
	in := placeholders(len(parents), 2)
	out, err := scanSeats(ctx, tx, `SELECT parent_code, '', COUNT(*), 0, 0 FROM areas
		WHERE kind || '' = $1 AND retired_at IS NULL AND parent_code IN (`+in+`) GROUP BY parent_code`, args)
	if err != nil {
		return nil, err
	}
	held, err := scanSeats(ctx, tx, `SELECT a.parent_code, ap.post, 0, COUNT(DISTINCT ap.area_id), COUNT(*)
		FROM areas a JOIN appointments ap ON ap.area_id = a.id AND ap.drive_id = $`+fmt.Sprint(len(args)+1)+` AND ap.vacated_at IS NULL
		WHERE a.kind || '' = $1 AND a.retired_at IS NULL AND a.parent_code IN (`+in+`) GROUP BY a.parent_code, ap.post`, append(args, driveID))
	return append(out, held...), err
}

func scanSeats(ctx context.Context, tx *Tx, query string, args []any) ([]Seats, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: seats below: %w", err)
	}
	defer rows.Close()
	var out []Seats
	for rows.Next() {
		var s Seats
		if err := rows.Scan(&s.Parent, &s.Post, &s.Areas, &s.Filled, &s.Holders); err != nil {
			return nil, fmt.Errorf("store: seats below: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: seats below: %w", err)
	}
	return out, nil
}
