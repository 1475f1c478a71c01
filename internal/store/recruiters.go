package store

import (
	"context"
	"fmt"
)

// RecruiterQuery asks for a drive's leading recruiters of an area.
type RecruiterQuery struct {
	Scope   []Area // the asker's scope narrowed to the area asked for; nil or empty: no rows
	DriveID int64
	Limit   int // 0 or more than 50: 50
}

// RecruiterRow is one recruiter's credit: their area (where they were
// when first credited), the verified members they brought in directly
// and those up to three levels below.
type RecruiterRow struct {
	PersonID         int64
	Name             string
	Area             Area // code and names only
	Direct, Indirect int64
}

// TopRecruiters returns the recruiters of a drive whose area lies in
// q.Scope, most direct recruits first, then most indirect, then the
// oldest person id. It walks recruiter_credits_top in its order, each
// row's area by its key, and stops at the limit (the CROSS JOINs fix
// SQLite's order; PostgreSQL reads them as plain joins): the state costs
// about the limit in rows, an AC about the limit × the ACs. A recruiter
// credited before they had an area is in no area's list.
func (db *DB) TopRecruiters(ctx context.Context, q RecruiterQuery) ([]RecruiterRow, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return nil, nil
	}
	limit := q.Limit
	if limit <= 0 || limit > 50 {
		limit = 50
	}
	w := scopeWhere(q.Scope)
	w.where("c.drive_id = $%d", q.DriveID)
	w.where("(c.direct > 0 OR c.indirect > 0)")
	w.args = append(w.args, limit)
	var out []RecruiterRow
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, fmt.Sprintf(`SELECT c.person_id, p.name, a.code, a.name_en, COALESCE(a.name_local, ''), c.direct, c.indirect
			FROM recruiter_credits c CROSS JOIN areas a CROSS JOIN people p
			WHERE a.id = c.area_id AND p.id = c.person_id AND %s ORDER BY c.direct DESC, c.indirect DESC, c.person_id LIMIT $%d`, w.sql(), len(w.args)), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r RecruiterRow
			if err := rows.Scan(&r.PersonID, &r.Name, &r.Area.Code, &r.Area.NameEN, &r.Area.NameLocal, &r.Direct, &r.Indirect); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: top recruiters: %w", err)
	}
	return out, nil
}
